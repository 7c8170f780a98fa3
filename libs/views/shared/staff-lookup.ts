import { liveTarget, type ReadStore, type Target } from '#read-store';
import { groupOfRepAt, inScope, viewerScope, type ViewerScope } from './viewer-scope';
import type { Actor } from '#shared-kernel';
import { type RepDoc, REPS_COLLECTION, STAFF_READ_MODEL } from '#staff';

/**
 * Reads of the staff read model that a view's query needs, each by id or by index: the caller's scope, the reps
 * of a group on a day, the groups of the reps on one page. Nothing is kept between queries.
 */
export class StaffLookup {
  constructor(
    private readonly store: ReadStore,
    readonly target: Target,
  ) {}

  static async open(store: ReadStore): Promise<StaffLookup> {
    return new StaffLookup(store, await liveTarget(store, STAFF_READ_MODEL));
  }

  /** Whose customers the actor may see (a supervisor's group is read through the group index). */
  async scopeOf(actor: Actor): Promise<ViewerScope> {
    if (actor.role !== 'supervisor') return viewerScope(actor, { docs: new Map() });
    const self = (await this.store.load(this.target, REPS_COLLECTION, [actor.id])).get(actor.id)?.doc as RepDoc | undefined;
    const mates = self ? await this.store.find<RepDoc>(this.target, REPS_COLLECTION, { groupId: self.groupId }) : [];
    return viewerScope(actor, { docs: new Map([...(self ? [self] : []), ...mates].map((rep) => [rep.id, rep])) });
  }

  async reps(ids: Iterable<string>): Promise<Map<string, RepDoc>> {
    const loaded = await this.store.load(this.target, REPS_COLLECTION, [...new Set(ids)]);
    return new Map([...loaded].map(([id, stored]) => [id, stored.doc as RepDoc]));
  }

  /** Every rep (a team is small next to its customers: tens to hundreds). */
  async allReps(): Promise<Map<string, RepDoc>> {
    return new Map((await this.store.find<RepDoc>(this.target, REPS_COLLECTION)).map((rep) => [rep.id, rep]));
  }

  /**
   * The reps whose customers a list may show: those in scope, narrowed to one rep and to the reps in a group on
   * `day`; undefined when nothing narrows it (everyone).
   */
  async repsFor(scope: ViewerScope, day: string, repId?: string, groupId?: string): Promise<ReadonlySet<string> | undefined> {
    let reps: Set<string> | undefined = scope.all ? undefined : new Set(scope.repIds);
    if (repId !== undefined) reps = inScope(scope, repId) ? new Set([repId]) : new Set();
    if (groupId !== undefined) {
      const candidates = reps ? await this.reps(reps) : await this.allReps();
      reps = new Set([...candidates.values()].filter((rep) => groupOfRepAt(rep, day) === groupId).map((rep) => rep.id));
    }
    return reps;
  }
}
