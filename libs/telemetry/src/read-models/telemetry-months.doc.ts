import type { ReadModelRef } from '#read-store';
/**
 * What the `telemetry_daily` projection keeps: one document per customer per calendar month, with one slot per
 * day of the month (index 0 = day 1). A corrected report replaces its day's slot; it never adds to it.
 * Fixed-length number arrays keep a year of 10k customers compact in memory and cheap to rewrite.
 */
export interface UsageMonthDoc {
  /** `<customerId>:<YYYY-MM>` */
  readonly id: string;
  readonly customerId: string;
  /** `YYYY-MM` */
  readonly month: string;
  /** 1 where a report exists for the day, else 0. */
  readonly reported: readonly number[];
  readonly logins: readonly number[];
  readonly shopViews: readonly number[];
  readonly adClicks: readonly number[];
  readonly inquiriesReceived: readonly number[];
  readonly inquiriesUnread: readonly number[];
  readonly messagesUnanswered: readonly number[];
  /** How many corrections replaced a day's report in this month. */
  readonly corrections: number;
}

export interface SpendMonthDoc {
  readonly id: string;
  readonly customerId: string;
  readonly month: string;
  readonly reported: readonly number[];
  readonly spendFen: readonly number[];
  readonly clicks: readonly number[];
  readonly activeKeywords: readonly number[];
  readonly corrections: number;
}

export const TELEMETRY_PROJECTION = 'telemetry_daily';

/**
 * The documents' shape queries read: a new version is rebuilt beside the live one and read once swapped in.
 * Version 2: a rowid table (months read by id for past days).
 */
export const TELEMETRY_READ_MODEL: ReadModelRef = { projection: TELEMETRY_PROJECTION, version: 2 };

export const USAGE_MONTHS_COLLECTION = 'usage_months';
export const SPEND_MONTHS_COLLECTION = 'spend_months';
export const monthDocId = (customerId: string, month: string): string => `${customerId}:${month}`;
