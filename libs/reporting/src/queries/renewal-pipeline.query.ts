import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { comparePipeline, renewalPipelineEntries, type PipelineEntry, type PipelineFlag, type PipelineStatus } from '../../../customer/src/read-models/renewal-pipeline';
import type { Actor } from '../../../shared-kernel/src/metadata';
import { ReadSideData } from '../read-side-data';
import { groupOfRepAt, inScope, viewerScope } from '../viewer-scope';
import { pageOf, type Page, type Paging } from './paging';

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

export class GetRenewalPipeline extends Query<Page<PipelineRow> & { readonly asOf: string; readonly summary: PipelineSummary }> {
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
  return row.window !== 'ended' && row.window <= window;
};

/** Terms ending soon (or just ended) with their reminders, contacts, flags and status on `asOf`. */
@QueryHandler(GetRenewalPipeline)
export class GetRenewalPipelineHandler implements IQueryHandler<GetRenewalPipeline> {
  constructor(private readonly data: ReadSideData) {}

  async execute({ actor, filter, paging }: GetRenewalPipeline) {
    const [customers, reps] = await Promise.all([this.data.customers(), this.data.reps()]);
    const scope = viewerScope(actor, reps);
    const all: PipelineRow[] = [];
    for (const doc of customers.docs.values()) {
      for (const entry of renewalPipelineEntries(doc, this.data.rules, filter.asOf)) {
        if (!inScope(scope, entry.serviceRepId) || (filter.repId && entry.serviceRepId !== filter.repId)) continue;
        const groupId = groupOfRepAt(reps.docs.get(entry.serviceRepId), filter.asOf) ?? null;
        if (filter.groupId && groupId !== filter.groupId) continue;
        all.push({ ...entry, groupId });
      }
    }
    const windows: (number | 'ended')[] = ['ended', ...this.data.rules.pipelineWindows];
    const summary: PipelineSummary = {
      byWindow: windows.map((window) => {
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
