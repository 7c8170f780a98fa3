import { type EventShapes, isoDay, num, object, text } from '#shared-kernel';

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

type Reported<K extends 'Usage' | 'Spend'> = Extract<TelemetryEvent, { type: `Daily${K}Reported` | `Daily${K}Corrected` }>;

const decideDaily =
  <K extends 'Usage' | 'Spend', R extends DailyUsage | DailySpend>(kind: K) =>
  (record: R, history: readonly Reported<K>[]): { outcome: TelemetryOutcome; events: readonly TelemetryEvent[] } => {
    const existing = current<R>(history as unknown as readonly { data: R & { previous?: R } }[]);
    if (existing === undefined) return { outcome: 'recorded', events: [{ type: `Daily${kind}Reported`, data: record } as TelemetryEvent] };
    if (sameRecord(existing, record)) return { outcome: 'unchanged', events: [] };
    return { outcome: 'corrected', events: [{ type: `Daily${kind}Corrected`, data: { ...record, previous: existing } } as TelemetryEvent] };
  };

/** Decides a usage report against the day's earlier reports: recorded, unchanged or a replacing correction. */
export const decideUsage = decideDaily<'Usage', DailyUsage>('Usage');
/** Decides a spend report against the day's earlier reports: recorded, unchanged or a replacing correction. */
export const decideSpend = decideDaily<'Spend', DailySpend>('Spend');

/** `usage-<customerId>.<day>`: the day is a fixed-width suffix, so any customer id parses back. */
export const telemetryStreamId = (customerId: string, day: string): string => `${customerId}.${day}`;

const usage = { customerId: text, day: isoDay, logins: num, shopViews: num, adClicks: num, inquiriesReceived: num, inquiriesUnread: num, messagesUnanswered: num };
const spend = { customerId: text, day: isoDay, spendFen: num, clicks: num, activeKeywords: num };

/** What each telemetry event carries, checked when a projection reads it: a correction carries the values it replaced. */
export const TELEMETRY_EVENT_SHAPES = {
  DailyUsageReported: object(usage),
  DailyUsageCorrected: object({ ...usage, previous: object(usage) }),
  DailySpendReported: object(spend),
  DailySpendCorrected: object({ ...spend, previous: object(spend) }),
} as const satisfies EventShapes<TelemetryEvent>;
