import { type CustomerFactsDoc, type Quiet, quietSince, windowStart } from '#customer';
import { addDays } from '#shared-kernel';
import type { UsageSeries } from '#telemetry';

/* What the churn score and the worklist read of a customer's usage (the customer's facts meet its telemetry here). */

/** Days without a login, looking back only `lookBackDays` because scanning years per customer is too slow at query time. */
export const daysWithoutLogin = (doc: Pick<CustomerFactsDoc, 'signedOn'>, usage: UsageSeries, asOf: string, lookBackDays: number): Quiet => {
  const from = addDays(asOf, -lookBackDays);
  const last = usage.lastPositive('logins', asOf, doc.signedOn > from ? doc.signedOn : from);
  if (last !== undefined || doc.signedOn >= from) return quietSince(doc, last, asOf);
  return { days: lookBackDays + 1, since: 'beyond' };
};

/** Unread inquiries on the last reported day within the `lookBackDays`-long window ending on `asOf`. */
export const unreadInquiries = (usage: UsageSeries, asOf: string, lookBackDays: number): { readonly count: number; readonly on?: string } => {
  const on = usage.lastReported(asOf, windowStart(asOf, lookBackDays));
  return on === undefined ? { count: 0 } : { count: usage.value('inquiriesUnread', on) ?? 0, on };
};
