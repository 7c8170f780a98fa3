import { docsOf, projectInMemory } from '#read-store';
import { type EventInput, expectReplaySafe, recorded } from '#testing';
import { REP_DAYS_COLLECTION, REP_PERIODS_COLLECTION, type RepDayDoc, type RepPeriodDoc } from './rep-activity.doc';
import { repActivityProjection as projection } from './rep-activity.projection';

let visitNo = 0;
const visit = (overrides: Record<string, unknown> = {}): EventInput => {
  visitNo += 1;
  return {
    type: 'VisitRecorded',
    data: {
      customerId: 'c1',
      visitId: `v${visitNo}`,
      repId: 'rep-1',
      level: 1,
      channel: 'phone',
      purpose: 'care',
      reached: true,
      summary: 'checked in',
      visitedOn: '2024-05-06',
      serviceRepId: 'rep-1',
      ...overrides,
    },
  };
};

/** A renewal collected by a rep on a day (the amounts and terms do not count here). */
const renewal = (collectedBy: string, collectedOn: string): EventInput => ({
  type: 'RenewalCollected',
  data: {
    customerId: 'c1',
    amountFen: 1_000_000,
    paymentReference: 'PAY-1',
    previousTerm: { start: '2023-06-06', end: '2024-06-05' },
    newTerm: { start: '2024-06-06', end: '2025-06-05' },
    collectedBy,
    serviceRepId: 'rep-1',
    salesRepId: 'sales-1',
    collectedOn,
    daysAfterTermEnd: -16,
    winBack: false,
  },
});

const NO_WORK = { phoneReached: 0, otherContact: 0, onsiteOrMeeting: 0, renewalReminder: 0, renewalCollected: 0, resolutionCommunicated: 0 };

/** The rep-days after the events (each test replays them twice). */
const daysAfter = (...events: EventInput[]): Map<string, RepDayDoc> => docsOf<RepDayDoc>(expectReplaySafe(projection, recorded(events)), REP_DAYS_COLLECTION);

/** The rep weeks and months after the events (each test replays them twice). */
const periodsAfter = (...events: EventInput[]): Map<string, RepPeriodDoc> => docsOf<RepPeriodDoc>(expectReplaySafe(projection, recorded(events)), REP_PERIODS_COLLECTION);

describe('rep_activity projection', () => {
  it('VisitRecorded: a reached phone call counts as a visit, call, contact, served customer and phoneReached', () => {
    expect(daysAfter(visit()).get('rep-1:2024-05-06')).toStrictEqual({
      id: 'rep-1:2024-05-06',
      repId: 'rep-1',
      day: '2024-05-06',
      visits: 1,
      phoneCalls: 1,
      contacts: 1,
      customersServed: ['c1'],
      levelTwoVisits: 0,
      remindersSent: 0,
      reminderDaysBefore: [],
      renewalsCollected: 0,
      resolutionsCommunicated: 0,
      workload: { ...NO_WORK, phoneReached: 1 },
    });
  });

  it('VisitRecorded: the same customer visited twice in a day is served once; served customers are sorted', () => {
    const doc = daysAfter(visit({ customerId: 'c3' }), visit({ customerId: 'c1' }), visit({ customerId: 'c3', channel: 'chat' }))
      .get('rep-1:2024-05-06')!;
    expect(doc.customersServed).toEqual(['c1', 'c3']);
    expect(doc.contacts).toBe(3);
    expect(doc.visits).toBe(3);
    expect(doc.phoneCalls).toBe(2);
  });

  it('VisitRecorded: an unreached call is a call but no contact, no served customer and no workload', () => {
    const doc = daysAfter(visit({ reached: false })).get('rep-1:2024-05-06')!;
    expect([doc.visits, doc.phoneCalls, doc.contacts]).toEqual([1, 1, 0]);
    expect(doc.customersServed).toEqual([]);
    expect(doc.workload).toEqual(NO_WORK);
  });

  it('VisitRecorded: email/sms/chat count as other contact reached or not; onsite and meeting as onsiteOrMeeting', () => {
    const doc = daysAfter(
      visit({ channel: 'email', reached: false }),
      visit({ channel: 'sms' }),
      visit({ channel: 'chat' }),
      visit({ channel: 'onsite', reached: false }),
      visit({ channel: 'meeting' }),
    ).get('rep-1:2024-05-06')!;
    expect(doc.workload).toEqual({ ...NO_WORK, otherContact: 3, onsiteOrMeeting: 2 });
    expect([doc.visits, doc.phoneCalls, doc.contacts]).toEqual([5, 0, 3]);
  });

  it('VisitRecorded: a supervisor level-2 visit counts for the visiting supervisor, on the visit day', () => {
    const days = daysAfter(visit(), visit({ repId: 'sup-1', level: 2, visitedOn: '2024-05-07' }));
    expect([...days.keys()].sort()).toEqual(['rep-1:2024-05-06', 'sup-1:2024-05-07']);
    expect(days.get('sup-1:2024-05-07')!.levelTwoVisits).toBe(1);
    expect(days.get('rep-1:2024-05-06')!.levelTwoVisits).toBe(0);
  });

  it('RenewalReminderSent counts for the sender with its days before term end', () => {
    const reminder = (reminderId: string, daysBeforeTermEnd: number): EventInput => ({
      type: 'RenewalReminderSent',
      data: { customerId: 'c1', reminderId, channel: 'phone', termEnd: '2024-06-05', daysBeforeTermEnd, sentBy: 'rep-2', sentOn: '2024-05-06' },
    });
    const doc = daysAfter(reminder('r1', 30), reminder('r2', 30)).get('rep-2:2024-05-06')!;
    expect(doc.remindersSent).toBe(2);
    expect(doc.reminderDaysBefore).toEqual([30, 30]);
    expect(doc.workload).toEqual({ ...NO_WORK, renewalReminder: 2 });
    expect(doc.visits).toBe(0);
  });

  it('RenewalCollected counts for the collecting rep on the collection day', () => {
    const doc = daysAfter(renewal('rep-3', '2024-05-20')).get('rep-3:2024-05-20')!;
    expect(doc.renewalsCollected).toBe(1);
    expect(doc.workload).toEqual({ ...NO_WORK, renewalCollected: 1 });
  });

  it('IssueResolutionCommunicated counts for the rep who told the customer', () => {
    const doc = daysAfter({
      type: 'IssueResolutionCommunicated',
      data: { customerId: 'c1', issueId: 'i1', channel: 'phone', communicatedBy: 'rep-1', communicatedOn: '2024-05-08' },
    }).get('rep-1:2024-05-08')!;
    expect(doc.resolutionsCommunicated).toBe(1);
    expect(doc.workload).toEqual({ ...NO_WORK, resolutionCommunicated: 1 });
    expect(doc.contacts).toBe(0);
  });

  it('ignores events it does not handle', () => {
    const [graded] = recorded([{ type: 'CustomerGraded', data: { customerId: 'c1', grade: 'A', previousGrade: 'B' } }]);
    expect(projection.touches(graded!)).toEqual([]);
  });

  it('fails loudly, naming the event and position, on a malformed event', () => {
    expect(() => projectInMemory(projection, recorded([visit({ channel: 'fax' })], 6))).toThrow('VisitRecorded at position 6: channel is not one of');
    expect(() => projectInMemory(projection, recorded([visit({ repId: '' })], 2))).toThrow('VisitRecorded at position 2: repId is not a non-empty string');
    const reminder = { type: 'RenewalReminderSent', data: { customerId: 'c1', reminderId: 'r1', channel: 'phone', termEnd: '2024-06-05', sentBy: 'rep-1', sentOn: '2024-05-06' } };
    expect(() => projectInMemory(projection, recorded([reminder], 4))).toThrow('RenewalReminderSent at position 4: daysBeforeTermEnd is not a number');
  });

  it('declares its name, version, event types and indexes', () => {
    expect(projection.name).toBe('rep_activity');
    expect(projection.version).toBe(3);
    expect([...projection.eventTypes].sort()).toEqual(['IssueResolutionCommunicated', 'RenewalCollected', 'RenewalReminderSent', 'VisitRecorded']);
    expect(projection.collections[0]!.indexes.map((i) => i.fields)).toEqual([
      [
        ['repId', 1],
        ['day', 1],
      ],
      [['day', 1]],
    ]);
    expect(projection.collections.map((c) => [c.name, c.indexes.map((i) => i.fields)])).toStrictEqual([
      [REP_DAYS_COLLECTION, [[['repId', 1], ['day', 1]], [['day', 1]]]],
      [REP_PERIODS_COLLECTION, [[['kind', 1], ['from', 1], ['repId', 1]]]],
    ]);
  });

  describe('weeks and months', () => {
    // 2024-04-29 (Monday) to 2024-05-05 is one ISO week across two months.
    const events = [
      visit({ customerId: 'c2', visitedOn: '2024-04-30' }),
      visit({ customerId: 'c1', visitedOn: '2024-05-01' }),
      visit({ customerId: 'c1', visitedOn: '2024-05-01', channel: 'chat' }),
      visit({ customerId: 'c2', visitedOn: '2024-05-02', reached: false }),
      visit({ customerId: 'c3', visitedOn: '2024-05-06', level: 2, channel: 'onsite' }),
      { type: 'RenewalReminderSent', data: { customerId: 'c1', reminderId: 'r1', channel: 'phone', termEnd: '2024-05-22', sentBy: 'rep-1', sentOn: '2024-05-02', daysBeforeTermEnd: 20 } },
      renewal('rep-1', '2024-05-03'),
      { type: 'IssueResolutionCommunicated', data: { customerId: 'c2', issueId: 'i1', channel: 'phone', communicatedBy: 'rep-1', communicatedOn: '2024-04-29' } },
    ];

    it('a week sums its days across a month boundary: distinct customers over the week, each day tallied', () => {
      expect(periodsAfter(...events).get('rep-1:week:2024-04-29')).toStrictEqual({
        id: 'rep-1:week:2024-04-29',
        repId: 'rep-1',
        kind: 'week',
        from: '2024-04-29',
        visits: 4,
        phoneCalls: 3,
        contacts: 3,
        levelTwoVisits: 0,
        remindersSent: 1,
        reminderDaysBefore: [20],
        renewalsCollected: 1,
        resolutionsCommunicated: 1,
        workload: { phoneReached: 2, otherContact: 1, onsiteOrMeeting: 0, renewalReminder: 1, renewalCollected: 1, resolutionCommunicated: 1 },
        // c1 twice on 05-01 is one customer served that day; an unreached call on 05-02 is a call and no customer.
        distinctCustomersServed: 2,
        days: { '2024-04-30': { customersServed: 1, phoneCalls: 1 }, '2024-05-01': { customersServed: 1, phoneCalls: 1 }, '2024-05-02': { customersServed: 0, phoneCalls: 1 } },
        // The customers themselves are the projection's input, never read by a query.
        internal: { customersServed: ['c1', 'c2'] },
      });
    });

    it('a month holds only its own days, and the next week starts its own document', () => {
      const periods = periodsAfter(...events);
      expect([...periods.keys()].sort()).toStrictEqual(['rep-1:month:2024-04-01', 'rep-1:month:2024-05-01', 'rep-1:week:2024-04-29', 'rep-1:week:2024-05-06']);
      const may = periods.get('rep-1:month:2024-05-01')!;
      expect([may.visits, may.distinctCustomersServed, may.internal, may.levelTwoVisits, Object.keys(may.days)]).toStrictEqual([
        4,
        2,
        { customersServed: ['c1', 'c3'] },
        1,
        ['2024-05-01', '2024-05-02', '2024-05-06'],
      ]);
      const april = periods.get('rep-1:month:2024-04-01')!;
      expect([april.visits, april.resolutionsCommunicated, april.distinctCustomersServed, april.internal, april.days]).toStrictEqual([
        1,
        1,
        1,
        { customersServed: ['c2'] },
        { '2024-04-30': { customersServed: 1, phoneCalls: 1 } },
      ]);
      expect(periods.get('rep-1:week:2024-05-06')!.days).toStrictEqual({ '2024-05-06': { customersServed: 1, phoneCalls: 0 } });
    });

    it('each day of a period tallies what that day document holds', () => {
      const days = daysAfter(...events);
      for (const period of periodsAfter(...events).values()) {
        for (const [day, tally] of Object.entries(period.days)) {
          const doc = days.get(`rep-1:${day}`)!;
          expect(tally).toStrictEqual({ customersServed: doc.customersServed.length, phoneCalls: doc.phoneCalls });
        }
      }
    });
  });
});
