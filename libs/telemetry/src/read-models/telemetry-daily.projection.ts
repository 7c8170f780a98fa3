import { failOn as fail, type Projection, type Recorded, typedProjection } from '#read-store';
import { TELEMETRY_EVENT_SHAPES, type TelemetryEvent } from '../domain/telemetry';
import type { SpendField, UsageField } from './daily-series';
import { monthDocId, SPEND_MONTHS_COLLECTION, TELEMETRY_PROJECTION, TELEMETRY_READ_MODEL, USAGE_MONTHS_COLLECTION, type SpendMonthDoc, type UsageMonthDoc } from './telemetry-months.doc';

/** Every telemetry event: a day's usage or spend, reported or corrected. */
export const TELEMETRY_EVENT_TYPES = ['DailyUsageReported', 'DailyUsageCorrected', 'DailySpendReported', 'DailySpendCorrected'] as const satisfies readonly TelemetryEvent['type'][];
const EVENT_TYPES = TELEMETRY_EVENT_TYPES;
type HandledType = (typeof EVENT_TYPES)[number];
/** A telemetry event, its data checked against the domain's type. */
export type TelemetryRecorded = Recorded<TelemetryEvent>;

const USAGE_FIELDS = ['logins', 'shopViews', 'adClicks', 'inquiriesReceived', 'inquiriesUnread', 'messagesUnanswered'] as const satisfies readonly UsageField[];
const SPEND_FIELDS = ['spendFen', 'clicks', 'activeKeywords'] as const satisfies readonly SpendField[];

/** Slots per month document: index = day of month − 1, so every month has the same shape. */
const DAYS = 31;

type MonthDoc = UsageMonthDoc | SpendMonthDoc;

/** Which collection a telemetry event lands in, and whether it replaces an earlier report. */
const kindOf = (type: HandledType): { collection: string; fields: readonly string[]; correction: boolean } => {
  switch (type) {
    case 'DailyUsageReported':
      return { collection: USAGE_MONTHS_COLLECTION, fields: USAGE_FIELDS, correction: false };
    case 'DailyUsageCorrected':
      return { collection: USAGE_MONTHS_COLLECTION, fields: USAGE_FIELDS, correction: true };
    case 'DailySpendReported':
      return { collection: SPEND_MONTHS_COLLECTION, fields: SPEND_FIELDS, correction: false };
    case 'DailySpendCorrected':
      return { collection: SPEND_MONTHS_COLLECTION, fields: SPEND_FIELDS, correction: true };
    default: {
      const unreachable: never = type;
      return unreachable;
    }
  }
};

const emptyMonth = (id: string, customerId: string, month: string, fields: readonly string[]): MonthDoc => {
  const doc: Record<string, unknown> = { id, customerId, month, reported: new Array<number>(DAYS).fill(0) };
  for (const field of fields) doc[field] = new Array<number>(DAYS).fill(0);
  doc.corrections = 0;
  return doc as unknown as MonthDoc;
};

/** A copy of the slots with one day's value replaced. */
const withSlot = (slots: readonly number[], index: number, value: number): number[] => {
  const next = slots.slice();
  next[index] = value;
  return next;
};

/** A customer's month document after a telemetry event of one of its days. */
export const evolveTelemetryMonth = (current: MonthDoc | null, event: TelemetryRecorded, id: string): MonthDoc => {
  const kind = kindOf(event.type);
  const { customerId, day } = event.data;
  const month = day.slice(0, 7);
  const base = current ?? emptyMonth(id, customerId, month, kind.fields);
  if (base.customerId !== customerId || base.month !== month) fail(event, 'customerId and day', `in ${id}`);
  const index = Number(day.slice(8, 10)) - 1;
  const values = event.data as unknown as Readonly<Record<string, number>>;
  // A report or a correction carries the day's full values: each slot is replaced, never added to.
  const next: Record<string, unknown> = { ...base, reported: withSlot(base.reported, index, 1) };
  for (const field of kind.fields) next[field] = withSlot((base as unknown as Record<string, readonly number[]>)[field]!, index, values[field]!);
  next.corrections = base.corrections + (kind.correction ? 1 : 0);
  return next as unknown as MonthDoc;
};

export const telemetryDailyProjection: Projection<MonthDoc> = typedProjection<MonthDoc, TelemetryEvent>(TELEMETRY_EVENT_SHAPES, {
  name: TELEMETRY_PROJECTION,
  version: TELEMETRY_READ_MODEL.version,
  description: 'Daily usage and spend per customer, one document per calendar month, corrections replacing the day',
  eventTypes: EVENT_TYPES,
  collections: [
    {
      name: USAGE_MONTHS_COLLECTION,
      indexes: [
        { name: 'by_month', fields: [['month', 1]] },
        { name: 'by_customer', fields: [['customerId', 1]] },
      ],
    },
    {
      name: SPEND_MONTHS_COLLECTION,
      indexes: [
        { name: 'by_month', fields: [['month', 1]] },
        { name: 'by_customer', fields: [['customerId', 1]] },
      ],
    },
  ],
  touches: (event) => [{ collection: kindOf(event.type).collection, id: monthDocId(event.data.customerId, event.data.day.slice(0, 7)) }],
  evolve: (current, event, ref) => {
    const kind = kindOf(event.type);
    if (ref.collection !== kind.collection) fail(event, 'collection', kind.collection);
    return evolveTelemetryMonth(current, event, ref.id);
  },
});
