/**
 * Counting rules of `rep_activity` (one document per rep per business day; the day is the event's business date):
 * - VisitRecorded → the visiting rep (`repId`) on `visitedOn`: visits +1; phone → phoneCalls +1; reached → contacts +1
 *   and the customer joins the sorted, distinct `customersServed`; level 2 → levelTwoVisits +1.
 *   Workload: phone and reached → phoneReached +1 (an unreached call scores nothing); email/sms/chat → otherContact +1,
 *   reached or not; onsite or meeting → onsiteOrMeeting +1, reached or not.
 * - RenewalReminderSent → `sentBy` on `sentOn`: remindersSent +1, daysBeforeTermEnd pushed to reminderDaysBefore,
 *   workload.renewalReminder +1.
 * - RenewalCollected → `collectedBy` on `collectedOn`: renewalsCollected +1, workload.renewalCollected +1.
 * - IssueResolutionCommunicated → `communicatedBy` on `communicatedOn`: resolutionsCommunicated +1,
 *   workload.resolutionCommunicated +1.
 * The same counts go to the rep's ISO week and calendar month of that day (`rep_periods`), whose
 * `distinctCustomersServed` counts the customers reached over the period (their list kept as the projection's internal
 * input) and whose `days` tally, per day, the distinct customers served (read from the rep's day document as it was
 * before the event) and the phone calls.
 */
import { failOn as fail, type Projection, type ProjectionContext, type Recorded, typedProjection } from '#read-store';
import { CUSTOMER_EVENT_SHAPES, type CustomerEvent, type CustomerEventType, type VisitChannel } from '#customer';
import { monthStart, weekStart } from '#shared-kernel';
import {
  REP_ACTIVITY_PROJECTION,
  REP_ACTIVITY_READ_MODEL,
  REP_DAYS_COLLECTION,
  REP_PERIODS_BY_PERIOD,
  REP_PERIODS_COLLECTION,
  repDayId,
  repPeriodId,
  type RepCounters,
  type RepDayDoc,
  type RepPeriodDoc,
  type RepPeriodKind,
} from './rep-activity.doc';

const EVENT_TYPES = ['VisitRecorded', 'RenewalReminderSent', 'RenewalCollected', 'IssueResolutionCommunicated'] as const satisfies readonly CustomerEventType[];
type HandledType = (typeof EVENT_TYPES)[number];
type ActivityDomainEvent = Extract<CustomerEvent, { readonly type: HandledType }>;
type ActivityEvent = Recorded<ActivityDomainEvent>;
type VisitEvent = Extract<ActivityEvent, { readonly type: 'VisitRecorded' }>;

/** Who did the work and on which business day, per event type. */
const actorAndDay = (event: ActivityEvent): { repId: string; day: string } => {
  switch (event.type) {
    case 'VisitRecorded':
      return { repId: event.data.repId, day: event.data.visitedOn };
    case 'RenewalReminderSent':
      return { repId: event.data.sentBy, day: event.data.sentOn };
    case 'RenewalCollected':
      return { repId: event.data.collectedBy, day: event.data.collectedOn };
    case 'IssueResolutionCommunicated':
      return { repId: event.data.communicatedBy, day: event.data.communicatedOn };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
};

type Work = Omit<RepCounters, 'customersServed'>;

const NO_WORK: Work = {
  visits: 0,
  phoneCalls: 0,
  contacts: 0,
  levelTwoVisits: 0,
  remindersSent: 0,
  reminderDaysBefore: [],
  renewalsCollected: 0,
  resolutionsCommunicated: 0,
  workload: { phoneReached: 0, otherContact: 0, onsiteOrMeeting: 0, renewalReminder: 0, renewalCollected: 0, resolutionCommunicated: 0 },
};

/** A rep's day before anything happened in it. */
export const emptyRepDay = (repId: string, dayOn: string): RepDayDoc => ({ id: repDayId(repId, dayOn), repId, day: dayOn, ...NO_WORK, customersServed: [] });

/** A rep's week or month before anything happened in it. */
export const emptyRepPeriod = (repId: string, kind: RepPeriodKind, from: string): RepPeriodDoc => ({
  id: repPeriodId(repId, kind, from),
  repId,
  kind,
  from,
  ...NO_WORK,
  distinctCustomersServed: 0,
  days: {},
  internal: { customersServed: [] },
});

/** The week and the month a day belongs to. */
const periodsOf = (dayOn: string): readonly [RepPeriodKind, string][] => [
  ['week', weekStart(dayOn)],
  ['month', monthStart(dayOn)],
];

/** The workload kind a visit counts as, if any (an unreached phone call counts as none). */
const visitWorkload = (channel: VisitChannel, reached: boolean): keyof RepDayDoc['workload'] | undefined => {
  switch (channel) {
    case 'phone':
      return reached ? 'phoneReached' : undefined;
    case 'email':
    case 'sms':
    case 'chat':
      return 'otherContact';
    case 'onsite':
    case 'meeting':
      return 'onsiteOrMeeting';
    default: {
      const unreachable: never = channel;
      return unreachable;
    }
  }
};

/** The customers reached, sorted and distinct, after the event (a reached visit may add its customer). */
const servedAfter = (served: readonly string[], event: ActivityEvent): readonly string[] => {
  if (event.type !== 'VisitRecorded' || !event.data.reached || served.includes(event.data.customerId)) return served;
  return [...served, event.data.customerId].sort();
};

const withVisit = <T extends Work>(doc: T, event: VisitEvent): T => {
  const { channel, level, reached } = event.data;
  const kind = visitWorkload(channel, reached);
  return {
    ...doc,
    visits: doc.visits + 1,
    phoneCalls: doc.phoneCalls + (channel === 'phone' ? 1 : 0),
    contacts: doc.contacts + (reached ? 1 : 0),
    levelTwoVisits: doc.levelTwoVisits + (level === 2 ? 1 : 0),
    workload: kind === undefined ? doc.workload : { ...doc.workload, [kind]: doc.workload[kind] + 1 },
  };
};

/** The counters after the event (the customers served aside). */
const counted = <T extends Work>(doc: T, event: ActivityEvent): T => {
  switch (event.type) {
    case 'VisitRecorded':
      return withVisit(doc, event);
    case 'RenewalReminderSent': {
      const daysBefore = event.data.daysBeforeTermEnd;
      return {
        ...doc,
        remindersSent: doc.remindersSent + 1,
        reminderDaysBefore: [...doc.reminderDaysBefore, daysBefore],
        workload: { ...doc.workload, renewalReminder: doc.workload.renewalReminder + 1 },
      };
    }
    case 'RenewalCollected':
      return { ...doc, renewalsCollected: doc.renewalsCollected + 1, workload: { ...doc.workload, renewalCollected: doc.workload.renewalCollected + 1 } };
    case 'IssueResolutionCommunicated':
      return {
        ...doc,
        resolutionsCommunicated: doc.resolutionsCommunicated + 1,
        workload: { ...doc.workload, resolutionCommunicated: doc.workload.resolutionCommunicated + 1 },
      };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
};

/** A week or month after the event: its counters, and the tally of the event's day (a visit may add a call or a customer served that day). */
const periodAfter = (current: RepPeriodDoc, event: ActivityEvent, dayOn: string, context: ProjectionContext): RepPeriodDoc => {
  const served = servedAfter(current.internal?.customersServed ?? [], event);
  const next = { ...counted(current, event), distinctCustomersServed: served.length, internal: { customersServed: served } };
  if (event.type !== 'VisitRecorded') return next;
  const before = context.get<RepDayDoc>(REP_DAYS_COLLECTION, repDayId(current.repId, dayOn));
  const tally = current.days[dayOn] ?? { customersServed: 0, phoneCalls: 0 };
  const newlyServed = event.data.reached && !(before?.customersServed ?? []).includes(event.data.customerId);
  return {
    ...next,
    days: {
      ...current.days,
      [dayOn]: { customersServed: tally.customersServed + (newlyServed ? 1 : 0), phoneCalls: tally.phoneCalls + next.phoneCalls - current.phoneCalls },
    },
  };
};

export const repActivityProjection: Projection<RepDayDoc | RepPeriodDoc> = typedProjection<RepDayDoc | RepPeriodDoc, ActivityDomainEvent>(CUSTOMER_EVENT_SHAPES, {
  name: REP_ACTIVITY_PROJECTION,
  version: REP_ACTIVITY_READ_MODEL.version,
  description: 'Per rep per business day, ISO week and month: visits, calls, contacts, customers served, reminders, renewals and workload counts',
  eventTypes: EVENT_TYPES,
  collections: [
    {
      name: REP_DAYS_COLLECTION,
      indexes: [
        { name: 'by_rep_day', fields: [['repId', 1], ['day', 1]] },
        { name: 'by_day', fields: [['day', 1]] },
      ],
    },
    { name: REP_PERIODS_COLLECTION, indexes: [{ name: REP_PERIODS_BY_PERIOD, fields: [['kind', 1], ['from', 1], ['repId', 1]] }] },
  ],
  touches: (event) => {
    const { repId, day: on } = actorAndDay(event);
    return [{ collection: REP_DAYS_COLLECTION, id: repDayId(repId, on) }, ...periodsOf(on).map(([kind, from]) => ({ collection: REP_PERIODS_COLLECTION, id: repPeriodId(repId, kind, from) }))];
  },
  reads: (event) => {
    if (event.type !== 'VisitRecorded') return [];
    const { repId, day: on } = actorAndDay(event);
    return [{ collection: REP_DAYS_COLLECTION, id: repDayId(repId, on) }];
  },
  evolve: (current, event, ref, context) => {
    const { repId, day: on } = actorAndDay(event);
    if (ref.collection === REP_PERIODS_COLLECTION) {
      const [kind, from] = periodsOf(on).find(([k, f]) => repPeriodId(repId, k, f) === ref.id) ?? fail(event, 'the period', `the week or month of ${on}`);
      return periodAfter((current as RepPeriodDoc | null) ?? emptyRepPeriod(repId, kind, from), event, on, context);
    }
    const day = (current as RepDayDoc | null) ?? emptyRepDay(repId, on);
    return { ...counted(day, event), customersServed: servedAfter(day.customersServed, event) };
  },
});
