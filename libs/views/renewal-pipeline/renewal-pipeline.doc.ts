import type { ReadModelRef } from '#read-store';
import type { CustomerFactsDoc } from '#customer';
import type { PipelineEntry } from './renewal-pipeline';

export const RENEWAL_PIPELINE_PROJECTION = 'renewal_pipeline';

/**
 * The documents' shape queries read: a new version is rebuilt beside the live one and read once swapped in.
 * Version 2: the window indexes also hold the flags, so the summary is one grouped count.
 * Version 3: customers in a rowid table, entries with declared field types.
 */
export const RENEWAL_PIPELINE_READ_MODEL: ReadModelRef = { projection: RENEWAL_PIPELINE_PROJECTION, version: 3 };

/** One document per customer: the facts its pipeline entries are computed from (internal) and when they next change. */
export const PIPELINE_CUSTOMERS_COLLECTION = 'customers';
/** One document per contract term: what the pipeline shows for it on the current business day, when it is listed. */
export const PIPELINE_ENTRIES_COLLECTION = 'entries';
/** One document: the business day the projection has reached. */
export const PIPELINE_CALENDAR_COLLECTION = 'calendar';
export const PIPELINE_CALENDAR_DOC_ID = 'today';
/** The name readers outside the service use for the entries, whatever generation is live. */
export const RENEWAL_PIPELINE_PUBLISHED_NAME = 'renewal_pipeline';
/** The index a list for several reps reads through. */
export const ENTRIES_BY_REP_TERM_END = 'by_rep_term_end';
/** The indexes the summary counts through, for everyone and for a list of reps. */
export const ENTRIES_BY_WINDOW_STATUS = 'by_window_status';
export const ENTRIES_BY_REP_WINDOW_STATUS = 'by_rep_window_status';
/** `nextChangeOn` of a customer whose entries no later business day can change until another of its events. */
export const NEVER = '9999-12-31';
/** `nextChangeOn` before the log's first business day: the first one computes every customer. */
export const AT_FIRST_DAY = '0000-01-01';

export interface PipelineCalendarDoc {
  readonly id: typeof PIPELINE_CALENDAR_DOC_ID;
  readonly day: string;
}

export interface PipelineCustomerDoc {
  /** The customer id. */
  readonly id: string;
  /** The business day the entries are for; null before the log's first business day. */
  readonly day: string | null;
  /** The first business day after `day` on which an entry can change without another event of the customer. */
  readonly nextChangeOn: string;
  /** The customer's facts, pruned to what the pipeline can read on `day` and later. */
  readonly internal: { readonly facts: CustomerFactsDoc };
}

/** A term's pipeline entry on `day`; a term outside the pipeline that day is stored with `listed: false` only. */
export type PipelineEntryDoc = PipelineListedDoc | PipelineUnlistedDoc;

export interface PipelineListedDoc extends PipelineEntry {
  /** `<customerId>:<termEnd>` */
  readonly id: string;
  readonly day: string;
  readonly listed: true;
  /** The flags as fields, so a filter on one is an index read. */
  readonly reminderDue: boolean;
  readonly underContacted: boolean;
}

export interface PipelineUnlistedDoc {
  readonly id: string;
  readonly customerId: string;
  readonly termEnd: string;
  readonly listed: false;
}

export const entryId = (customerId: string, termEnd: string): string => `${customerId}:${termEnd}`;
