import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { comparePipeline, renewalPipelineEntries, type PipelineEntry, type PipelineFlag, type PipelineStatus } from './renewal-pipeline';
import { type AggregateRow, type Filter, READ_STORE, type ReadStore, type Target } from '#read-store';
import { pageOf, type Page, type Paging } from '../shared/paging';
import { SERVICE_RULES } from '../shared/tokens';
import { groupOfRepAt } from '../shared/viewer-scope';
import type { Actor, ServiceRules } from '#shared-kernel';
import { STAFF_READ_MODEL } from '#staff';
import { AnswerCache } from '../shared/answer-cache';
import { customersEverAssigned } from '../shared/scoped-customers';
import { StaffLookup } from '../shared/staff-lookup';
import {
  ENTRIES_BY_REP_TERM_END,
  ENTRIES_BY_REP_WINDOW_STATUS,
  ENTRIES_BY_WINDOW_STATUS,
  PIPELINE_CALENDAR_COLLECTION,
  PIPELINE_CALENDAR_DOC_ID,
  PIPELINE_ENTRIES_COLLECTION,
  RENEWAL_PIPELINE_READ_MODEL,
  type PipelineCalendarDoc,
  type PipelineListedDoc,
} from './renewal-pipeline.doc';

export interface PipelineFilter {
  readonly asOf: string;
  /** Only terms ending within this many days (one of the configured windows, every band up to it), or already ended. */
  readonly window?: number | 'ended';
  readonly status?: PipelineStatus;
  readonly flag?: PipelineFlag;
  readonly repId?: string;
  readonly groupId?: string;
}

export interface PipelineRow extends PipelineEntry {
  readonly groupId: string | null;
}

export interface PipelineSummary {
  readonly byWindow: readonly { readonly window: number | 'ended'; readonly pending: number; readonly renewed: number; readonly lapsed: number }[];
  readonly reminderDue: number;
  readonly underContacted: number;
}

export type PipelinePage = Page<PipelineRow> & { readonly asOf: string; readonly summary: PipelineSummary };

export class GetRenewalPipeline extends Query<PipelinePage> {
  constructor(
    readonly actor: Actor,
    readonly filter: PipelineFilter,
    readonly paging: Paging,
  ) {
    super();
  }
}

/** `window=30` holds every term ending within 30 days, whichever band (15 or 30) it is in; `ended` only the ended ones. */
export const withinWindow = (row: Pick<PipelineEntry, 'window'>, window: number | 'ended' | undefined): boolean => {
  if (window === undefined) return true;
  if (window === 'ended') return row.window === 'ended';
  return typeof row.window === 'number' && row.window <= window;
};

/** An entry document as the row the view shows (its group is added for the page). */
const rowOf = (doc: PipelineListedDoc): PipelineRow => {
  const { id: _id, day: _day, listed: _listed, reminderDue: _due, underContacted: _under, ...entry } = doc;
  return { ...entry, groupId: null };
};

/**
 * Terms ending soon (or just ended) with their reminders, contacts, flags and status on `asOf`. For the business
 * day the renewal-pipeline read model has reached, a page is one indexed read and the summary one grouped indexed
 * count, in the caller's scope. Any other day is computed from the dated facts of the customers in scope.
 */
@QueryHandler(GetRenewalPipeline)
export class GetRenewalPipelineHandler implements IQueryHandler<GetRenewalPipeline, PipelinePage> {
  private readonly cache: AnswerCache<PipelinePage>;

  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(SERVICE_RULES) private readonly rules: ServiceRules,
  ) {
    this.cache = new AnswerCache(store);
  }

  async execute({ actor, filter, paging }: GetRenewalPipeline): Promise<PipelinePage> {
    const {
      targets: [staffTarget, target],
      version,
    } = await this.cache.live([STAFF_READ_MODEL, RENEWAL_PIPELINE_READ_MODEL]);
    const key = JSON.stringify([['manager', 'admin', 'analyst'].includes(actor.role) ? '*' : `${actor.role}:${actor.id}`, filter, paging]);
    const cached = this.cache.get(key, version);
    if (cached) return cached;
    const staff = new StaffLookup(this.store, staffTarget);
    const reps = await staff.repsFor(await staff.scopeOf(actor), filter.asOf, filter.repId, filter.groupId);
    const calendar = (await this.store.load(target, PIPELINE_CALENDAR_COLLECTION, [PIPELINE_CALENDAR_DOC_ID])).get(PIPELINE_CALENDAR_DOC_ID)?.doc as PipelineCalendarDoc | undefined;
    const indexed = calendar?.day === filter.asOf;
    const answer = indexed ? await this.fromReadModel(target, filter, reps, paging) : await this.computed(filter, reps, paging);
    const groups = await staff.reps(answer.items.map((row) => row.serviceRepId));
    const result = { ...answer, items: answer.items.map((row) => ({ ...row, groupId: groupOfRepAt(groups.get(row.serviceRepId), filter.asOf) ?? null })) };
    // A past day reads customer facts, which move apart from these two read models.
    if (indexed) this.cache.set(key, version, result);
    return result;
  }

  private windows(): (number | 'ended')[] {
    return ['ended', ...this.rules.pipelineWindows];
  }

  /** The read model's day: one page through the term-end index, its count, and the summary's counts. */
  private async fromReadModel(target: Target, filter: PipelineFilter, reps: ReadonlySet<string> | undefined, paging: Paging): Promise<PipelinePage> {
    const scope: Record<string, Filter[string]> = { listed: true };
    if (reps) scope.serviceRepId = reps.size === 1 ? [...reps][0]! : { $in: [...reps] };
    const where: Record<string, Filter[string]> = { ...scope };
    if (filter.window === 'ended') where.window = 'ended';
    else if (filter.window !== undefined) where.window = { $in: this.rules.pipelineWindows.filter((days) => days <= (filter.window as number)) };
    if (filter.status) where.status = filter.status;
    if (filter.flag === 'reminder_due') where.reminderDue = true;
    if (filter.flag === 'under_contacted') where.underContacted = true;
    const hint = reps && reps.size > 1 ? ENTRIES_BY_REP_TERM_END : undefined;
    const [docs, total, groups] = await Promise.all([
      this.store.find<PipelineListedDoc>(target, PIPELINE_ENTRIES_COLLECTION, where, {
        sort: [['termEnd', 1], ['customerId', 1]],
        skip: paging.offset,
        limit: paging.limit,
        ...(hint ? { hint } : {}),
      }),
      this.store.count(target, PIPELINE_ENTRIES_COLLECTION, where, hint),
      // The summary: one count per window, status and pair of flags, through the window index.
      this.store.aggregate(target, PIPELINE_ENTRIES_COLLECTION, scope, {
        groupBy: ['window', 'status', 'reminderDue', 'underContacted'],
        sum: [],
        hint: reps ? ENTRIES_BY_REP_WINDOW_STATUS : ENTRIES_BY_WINDOW_STATUS,
      }),
    ]);
    const counted = (match: (key: AggregateRow['key']) => boolean): number => groups.filter((group) => match(group.key)).reduce((n, group) => n + group.count, 0);
    const summary: PipelineSummary = {
      byWindow: this.windows().map((window) => ({
        window,
        pending: counted((key) => key.window === window && key.status === 'pending'),
        renewed: counted((key) => key.window === window && key.status === 'renewed'),
        lapsed: counted((key) => key.window === window && key.status === 'lapsed'),
      })),
      reminderDue: counted((key) => key.reminderDue === true),
      underContacted: counted((key) => key.underContacted === true),
    };
    return { asOf: filter.asOf, summary, total, offset: paging.offset, limit: paging.limit, items: docs.map(rowOf) };
  }

  /** Any other day: the customers in scope by index, their facts read by id, their entries computed for that day. */
  private async computed(filter: PipelineFilter, reps: ReadonlySet<string> | undefined, paging: Paging): Promise<PipelinePage> {
    const all: PipelineRow[] = [];
    for (const doc of await customersEverAssigned(this.store, reps)) {
      for (const entry of renewalPipelineEntries(doc, this.rules, filter.asOf)) {
        if (reps && !reps.has(entry.serviceRepId)) continue;
        all.push({ ...entry, groupId: null });
      }
    }
    const summary: PipelineSummary = {
      byWindow: this.windows().map((window) => {
        const inWindow = all.filter((row) => row.window === window);
        return {
          window,
          pending: inWindow.filter((row) => row.status === 'pending').length,
          renewed: inWindow.filter((row) => row.status === 'renewed').length,
          lapsed: inWindow.filter((row) => row.status === 'lapsed').length,
        };
      }),
      reminderDue: all.filter((row) => row.flags.includes('reminder_due')).length,
      underContacted: all.filter((row) => row.flags.includes('under_contacted')).length,
    };
    const rows = all
      .filter((row) => withinWindow(row, filter.window))
      .filter((row) => !filter.status || row.status === filter.status)
      .filter((row) => !filter.flag || row.flags.includes(filter.flag))
      .sort(comparePipeline);
    return { asOf: filter.asOf, summary, ...pageOf(rows, paging) };
  }
}
