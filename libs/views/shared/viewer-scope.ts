import { type Actor, entryAt, Forbidden } from '#shared-kernel';
import type { RepDoc } from '#staff';

/** Whose customers and KPIs a viewer may see: everyone's, or those of a set of reps. */
export type ViewerScope = { readonly all: true } | { readonly all: false; readonly repIds: ReadonlySet<string> };

/**
 * A rep sees their own customers; a supervisor those of the reps in their group (as the staff read model has it
 * now); managers, admins and analysts see everything. The platform identity reads no views. `reps` needs to hold
 * the supervisor and the reps of the supervisor's group only.
 */
export const viewerScope = (actor: Actor, reps: { readonly docs: ReadonlyMap<string, RepDoc> }): ViewerScope => {
  switch (actor.role) {
    case 'manager':
    case 'admin':
    case 'analyst':
      return { all: true };
    case 'rep':
      return { all: false, repIds: new Set([actor.id]) };
    case 'supervisor': {
      const self = reps.docs.get(actor.id);
      const repIds = new Set([actor.id]);
      if (self) for (const rep of reps.docs.values()) if (rep.groupId === self.groupId) repIds.add(rep.id);
      return { all: false, repIds };
    }
    case 'platform':
      throw new Forbidden('The platform identity reports telemetry; it cannot read views');
    default: {
      const unknown: never = actor.role;
      throw new Forbidden(`Role ${String(unknown)} cannot read views`);
    }
  }
};

export const inScope = (scope: ViewerScope, repId: string | undefined): boolean => scope.all || (repId !== undefined && scope.repIds.has(repId));

/** Refuses a view of one rep that the viewer may not see. */
export const assertCanSeeRep = (scope: ViewerScope, repId: string): void => {
  if (!inScope(scope, repId)) throw new Forbidden(`You may not see rep ${repId}'s work`);
};

/** The group a rep belonged to on a day (its history), or its current group when the day precedes the history. */
export const groupOfRepAt = (rep: RepDoc | undefined, day: string): string | undefined =>
  rep ? (entryAt(rep.groups, day)?.groupId ?? rep.groupId) : undefined;
