/**
 * Platform telemetry: one record per customer per day. Each (customer, day) is its own small stream, so a
 * corrected report is decided against the one record it replaces: identical → nothing; different → a
 * correction carrying the full new values (it replaces, it never adds).
 */
export const USAGE_CATEGORY = 'usage';
export const SPEND_CATEGORY = 'spend';

export interface DailyUsage {
  readonly customerId: string;
  readonly day: string;
  readonly logins: number;
  readonly shopViews: number;
  readonly adClicks: number;
  readonly inquiriesReceived: number;
  readonly inquiriesUnread: number;
  readonly messagesUnanswered: number;
}

export interface DailySpend {
  readonly customerId: string;
  readonly day: string;
  /** Spend in fen (1 CNY = 100 fen). */
  readonly spendFen: number;
  readonly clicks: number;
  readonly activeKeywords: number;
}

export type TelemetryEvent =
  | { readonly type: 'DailyUsageReported'; readonly data: DailyUsage }
  | { readonly type: 'DailyUsageCorrected'; readonly data: DailyUsage & { readonly previous: DailyUsage } }
  | { readonly type: 'DailySpendReported'; readonly data: DailySpend }
  | { readonly type: 'DailySpendCorrected'; readonly data: DailySpend & { readonly previous: DailySpend } };

export type TelemetryOutcome = 'recorded' | 'corrected' | 'unchanged';

const sameRecord = (a: object, b: object): boolean => {
  const keysA = Object.keys(a).filter((k) => k !== 'previous');
  return keysA.length === Object.keys(b).filter((k) => k !== 'previous').length &&
    keysA.every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
};

const current = <T>(events: readonly { data: T & { previous?: T } }[]): T | undefined => {
  const last = events[events.length - 1];
  if (!last) return undefined;
  const { previous: _previous, ...rest } = last.data as T & { previous?: T };
  return rest as T;
};

export const decideUsage = (
  record: DailyUsage,
  history: readonly Extract<TelemetryEvent, { type: 'DailyUsageReported' | 'DailyUsageCorrected' }>[],
): { outcome: TelemetryOutcome; events: readonly TelemetryEvent[] } => {
  const existing = current<DailyUsage>(history);
  if (existing === undefined) return { outcome: 'recorded', events: [{ type: 'DailyUsageReported', data: record }] };
  if (sameRecord(existing, record)) return { outcome: 'unchanged', events: [] };
  return { outcome: 'corrected', events: [{ type: 'DailyUsageCorrected', data: { ...record, previous: existing } }] };
};

export const decideSpend = (
  record: DailySpend,
  history: readonly Extract<TelemetryEvent, { type: 'DailySpendReported' | 'DailySpendCorrected' }>[],
): { outcome: TelemetryOutcome; events: readonly TelemetryEvent[] } => {
  const existing = current<DailySpend>(history);
  if (existing === undefined) return { outcome: 'recorded', events: [{ type: 'DailySpendReported', data: record }] };
  if (sameRecord(existing, record)) return { outcome: 'unchanged', events: [] };
  return { outcome: 'corrected', events: [{ type: 'DailySpendCorrected', data: { ...record, previous: existing } }] };
};

/** `usage-<customerId>.<day>`: the day is a fixed-width suffix, so any customer id parses back. */
export const telemetryStreamId = (customerId: string, day: string): string => `${customerId}.${day}`;
