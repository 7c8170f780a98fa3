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
 */
import type { RecordedEvent } from '../../../event-store/src/event-store.port';
import type { DocRef, Projection } from '../../../read-store/src/projection';
import { dayField as day, failOn as fail, stringField as str } from '../../../read-store/src/projection';
import { VISIT_CHANNELS, VISIT_LEVELS, type CustomerEventType, type VisitChannel } from '../../../customer/src/domain/customer.events';
import { REP_ACTIVITY_PROJECTION, REP_DAYS_COLLECTION, repDayId, type RepDayDoc } from './rep-activity.doc';

const EVENT_TYPES = ['VisitRecorded', 'RenewalReminderSent', 'RenewalCollected', 'IssueResolutionCommunicated'] as const satisfies readonly CustomerEventType[];
type HandledType = (typeof EVENT_TYPES)[number];
const isHandled = (type: string): type is HandledType => (EVENT_TYPES as readonly string[]).includes(type);

/** Who did the work and on which business day, per event type. */
const actorAndDay = (event: RecordedEvent, type: HandledType): { repId: string; day: string } => {
  switch (type) {
    case 'VisitRecorded':
      return { repId: str(event, 'repId'), day: day(event, 'visitedOn') };
    case 'RenewalReminderSent':
      return { repId: str(event, 'sentBy'), day: day(event, 'sentOn') };
    case 'RenewalCollected':
      return { repId: str(event, 'collectedBy'), day: day(event, 'collectedOn') };
    case 'IssueResolutionCommunicated':
      return { repId: str(event, 'communicatedBy'), day: day(event, 'communicatedOn') };
    default: {
      const unreachable: never = type;
      return unreachable;
    }
  }
};

/** A rep's day before anything happened in it. */
export const emptyRepDay = (repId: string, dayOn: string): RepDayDoc => ({
  id: repDayId(repId, dayOn),
  repId,
  day: dayOn,
  visits: 0,
  phoneCalls: 0,
  contacts: 0,
  customersServed: [],
  levelTwoVisits: 0,
  remindersSent: 0,
  reminderDaysBefore: [],
  renewalsCollected: 0,
  resolutionsCommunicated: 0,
  workload: { phoneReached: 0, otherContact: 0, onsiteOrMeeting: 0, renewalReminder: 0, renewalCollected: 0, resolutionCommunicated: 0 },
});

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

const withVisit = (doc: RepDayDoc, event: RecordedEvent): RepDayDoc => {
  const channel = VISIT_CHANNELS.find((c) => c === event.data.channel) ?? fail(event, 'channel', `one of ${VISIT_CHANNELS.join(', ')}`);
  const level = VISIT_LEVELS.find((l) => l === event.data.level) ?? fail(event, 'level', `one of ${VISIT_LEVELS.join(', ')}`);
  const reached = typeof event.data.reached === 'boolean' ? event.data.reached : fail(event, 'reached', 'a boolean');
  const customerId = str(event, 'customerId');
  const kind = visitWorkload(channel, reached);
  const served = reached && !doc.customersServed.includes(customerId) ? [...doc.customersServed, customerId].sort() : doc.customersServed;
  return {
    ...doc,
    visits: doc.visits + 1,
    phoneCalls: doc.phoneCalls + (channel === 'phone' ? 1 : 0),
    contacts: doc.contacts + (reached ? 1 : 0),
    customersServed: served,
    levelTwoVisits: doc.levelTwoVisits + (level === 2 ? 1 : 0),
    workload: kind === undefined ? doc.workload : { ...doc.workload, [kind]: doc.workload[kind] + 1 },
  };
};

export const repActivityProjection: Projection<RepDayDoc> = {
  name: REP_ACTIVITY_PROJECTION,
  version: 1,
  description: 'Per rep per business day: visits, calls, contacts, customers served, reminders, renewals and workload counts',
  eventTypes: EVENT_TYPES,
  collections: [
    {
      name: REP_DAYS_COLLECTION,
      indexes: [
        { name: 'by_rep_day', fields: [['repId', 1], ['day', 1]] },
        { name: 'by_day', fields: [['day', 1]] },
      ],
    },
  ],
  touches: (event: RecordedEvent): readonly DocRef[] => {
    if (!isHandled(event.type)) return [];
    const { repId, day: on } = actorAndDay(event, event.type);
    return [{ collection: REP_DAYS_COLLECTION, id: repDayId(repId, on) }];
  },
  evolve: (current, event) => {
    const type = event.type;
    if (!isHandled(type)) throw new Error(`${type} at position ${event.position} is not a rep activity event`);
    const { repId, day: on } = actorAndDay(event, type);
    const doc = current ?? emptyRepDay(repId, on);
    switch (type) {
      case 'VisitRecorded':
        return withVisit(doc, event);
      case 'RenewalReminderSent': {
        const daysBefore = event.data.daysBeforeTermEnd;
        if (typeof daysBefore !== 'number' || !Number.isFinite(daysBefore)) return fail(event, 'daysBeforeTermEnd', 'a number');
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
        const unreachable: never = type;
        return unreachable;
      }
    }
  },
};
