import { contactsInWindow, type CustomerFactsDoc, isRenewedAsOf, lastContactOn, latest, type Product, type ReminderFact, remindersFor, repAssignedAt, type TermFact, termsKnownAsOf, type VisitFact } from '#customer';
import { addDays, daysBetween, type ServiceRules } from '#shared-kernel';

export type PipelineStatus = 'pending' | 'renewed' | 'lapsed';
export type PipelineFlag = 'reminder_due' | 'under_contacted';

export interface PipelineEntry {
  readonly customerId: string;
  readonly companyName: string;
  /** The service rep assigned on `asOf`. */
  readonly serviceRepId: string;
  readonly product: Product;
  readonly termEnd: string;
  /** Negative once the term has ended. */
  readonly daysToEnd: number;
  /** The smallest configured window that holds `daysToEnd`, or `ended`. */
  readonly window: number | 'ended';
  readonly remindersSent: number;
  readonly lastReminderOn?: string;
  /** Reminders for this term sent inside the on-time window before its end. */
  readonly remindersOnTime: number;
  /** Contacts in the last `rules.expiring.windowDays` days (30 by default). */
  readonly contactsLast30Days: number;
  readonly lastContactOn?: string;
  readonly flags: readonly PipelineFlag[];
  readonly status: PipelineStatus;
  readonly renewedOn?: string;
}

/** What a pipeline entry reads of a customer's facts. */
export interface PipelineFacts extends Pick<CustomerFactsDoc, 'id' | 'companyName' | 'product' | 'assignments' | 'terms'> {
  readonly visits: readonly Pick<VisitFact, 'on' | 'reached' | 'repId' | 'serviceRepId'>[];
  readonly reminders: readonly Pick<ReminderFact, 'on' | 'termEnd'>[];
  readonly churns: readonly { readonly on: string; readonly termEnd: string }[];
}

/** Terms ending from `renewalGraceDays` ago to the largest window ahead, as known on `asOf`; empty before signing. */
export const renewalPipelineEntries = (doc: PipelineFacts, rules: ServiceRules, asOf: string): PipelineEntry[] => {
  const serviceRepId = repAssignedAt(doc, asOf);
  if (serviceRepId === undefined) return [];
  const windows = [...rules.pipelineWindows].sort((a, b) => a - b);
  const from = addDays(asOf, -rules.renewalGraceDays);
  const to = addDays(asOf, windows.length > 0 ? windows[windows.length - 1]! : 0);
  return termsKnownAsOf(doc, asOf)
    .filter((term) => term.end >= from && term.end <= to)
    .map((term) => pipelineEntry(doc, term, serviceRepId, windows, rules, asOf));
};

const pipelineEntry = (
  doc: PipelineFacts,
  term: TermFact,
  serviceRepId: string,
  windows: readonly number[],
  rules: ServiceRules,
  asOf: string,
): PipelineEntry => {
  const daysToEnd = daysBetween(asOf, term.end);
  const reminders = remindersFor(doc, term.end, asOf);
  const { earliestDaysBefore, latestDaysBefore } = rules.reminderWindow;
  const onTime = reminders.filter((reminder) => {
    const before = daysBetween(reminder.on, term.end);
    return before <= earliestDaysBefore && before >= latestDaysBefore;
  });
  const contacts = contactsInWindow(doc, asOf, rules.expiring.windowDays);
  const status = termStatus(doc, term, asOf);
  const flags: PipelineFlag[] = [];
  if (status === 'pending') {
    if (daysToEnd <= earliestDaysBefore && reminders.length === 0) flags.push('reminder_due');
    if (daysToEnd >= 0 && daysToEnd <= rules.expiring.horizonDays && contacts < rules.expiring.minContacts) flags.push('under_contacted');
  }
  const lastReminderOn = latest(reminders.map((reminder) => reminder.on));
  const lastContact = lastContactOn(doc, asOf);
  return {
    customerId: doc.id,
    companyName: doc.companyName,
    serviceRepId,
    product: doc.product,
    termEnd: term.end,
    daysToEnd,
    window: daysToEnd < 0 ? 'ended' : (windows.find((days) => days >= daysToEnd) ?? 'ended'),
    remindersSent: reminders.length,
    ...(lastReminderOn !== undefined ? { lastReminderOn } : {}),
    remindersOnTime: onTime.length,
    contactsLast30Days: contacts,
    ...(lastContact !== undefined ? { lastContactOn: lastContact } : {}),
    flags,
    status,
    ...(status === 'renewed' ? { renewedOn: term.renewedOn! } : {}),
  };
};

/** Renewed beats lapsed so a win-back shows as renewed; terms past the grace never get here, so no grace test. */
const termStatus = (doc: PipelineFacts, term: TermFact, asOf: string): PipelineStatus => {
  if (isRenewedAsOf(term, asOf)) return 'renewed';
  return doc.churns.some((churn) => churn.on <= asOf && churn.termEnd === term.end) ? 'lapsed' : 'pending';
};

/** Soonest term end first, then customer id. */
export const comparePipeline = (a: PipelineEntry, b: PipelineEntry): number =>
  a.termEnd < b.termEnd ? -1 : a.termEnd > b.termEnd ? 1 : a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0;
