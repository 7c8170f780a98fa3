import { docsOf, projectInMemory } from '#read-store';
import { type EventInput, expectReplaySafe, recorded } from '#testing';
import { CUSTOMER_DIRECTORY_COLLECTION, CUSTOMERS_COLLECTION, type CustomerDirectoryDoc, type CustomerFactsDoc, nameSearchKey } from './customer-facts.doc';
import { customerFactsProjection as projection, directoryRowOf } from './customer-facts.projection';

const signed: EventInput = {
  type: 'CustomerSigned',
  data: {
    customerId: 'c1',
    companyName: 'Ningbo Valves Co.',
    contact: { name: 'Li Wei', phone: '13800000000', email: 'li@example.com' },
    industry: 'machinery',
    product: 'bidding',
    contractAmountFen: 1_200_000,
    term: { start: '2024-01-01', end: '2024-12-31' },
    salesRepId: 'sales-1',
    serviceRepId: 'rep-1',
    grade: 'B',
    keyAccount: false,
    signedOn: '2024-01-01',
  },
};

const visit = (overrides: Record<string, unknown> = {}): EventInput => ({
  type: 'VisitRecorded',
  data: {
    customerId: 'c1',
    visitId: 'v1',
    repId: 'rep-1',
    level: 1,
    channel: 'phone',
    purpose: 'care',
    reached: true,
    summary: 'asked about inquiries',
    visitedOn: '2024-02-01',
    serviceRepId: 'rep-1',
    ...overrides,
  },
});

const issueRaised: EventInput = {
  type: 'IssueRaised',
  data: { customerId: 'c1', issueId: 'i1', category: 'billing', description: 'double charge', raisedBy: 'rep-1', raisedOn: '2024-02-02' },
};

/** Projects the signing plus the given events (each test replays them twice) and returns the customer. */
const customerAfter = (...events: EventInput[]): CustomerFactsDoc => {
  const working = expectReplaySafe(projection, recorded([signed, ...events]));
  const doc = docsOf<CustomerFactsDoc>(working, CUSTOMERS_COLLECTION).get('c1');
  if (!doc) throw new Error('customer c1 was not projected');
  return doc;
};

describe('customer_facts projection', () => {
  it('CustomerSigned creates the customer with its first term and assignment, and no personal contact data', () => {
    expect(customerAfter()).toStrictEqual({
      id: 'c1', companyName: 'Ningbo Valves Co.', industry: 'machinery', product: 'bidding', grade: 'B', keyAccount: false,
      contractAmountFen: 1_200_000, signedOn: '2024-01-01', salesRepId: 'sales-1', serviceRepId: 'rep-1',
      assignments: [{ repId: 'rep-1', from: '2024-01-01' }],
      terms: [{ start: '2024-01-01', end: '2024-12-31' }],
      status: 'active',
      churns: [], visits: [], reminders: [], renewals: [], issues: [], complaints: [], followUps: [], buyerIntroductions: [],
    });
  });

  it('ServiceRepAssigned changes the current rep and keeps the reassignment history', () => {
    const doc = customerAfter(
      { type: 'ServiceRepAssigned', data: { customerId: 'c1', serviceRepId: 'rep-2', previousServiceRepId: 'rep-1', assignedOn: '2024-03-01' } },
      { type: 'ServiceRepAssigned', data: { customerId: 'c1', serviceRepId: 'rep-3', previousServiceRepId: 'rep-2', reason: 'leave', assignedOn: '2024-05-10' } },
    );
    expect(doc.serviceRepId).toBe('rep-3');
    expect(doc.assignments).toEqual([
      { repId: 'rep-1', from: '2024-01-01' },
      { repId: 'rep-2', from: '2024-03-01' },
      { repId: 'rep-3', from: '2024-05-10' },
    ]);
  });

  it('CustomerGraded sets the grade', () => {
    expect(customerAfter({ type: 'CustomerGraded', data: { customerId: 'c1', grade: 'A', previousGrade: 'B' } }).grade).toBe('A');
  });

  it('KeyAccountFlagChanged sets the flag', () => {
    expect(customerAfter({ type: 'KeyAccountFlagChanged', data: { customerId: 'c1', keyAccount: true } }).keyAccount).toBe(true);
  });

  it('VisitRecorded appends the visit with the responsible rep and optional details only when present', () => {
    const doc = customerAfter(
      visit({ contactRole: 'decision_maker', satisfaction: 4, effect: { calls: 3, inquiries: 2, deals: 1 }, feedback: 'wants more inquiries' }),
      visit({ visitId: 'v2', repId: 'sup-1', level: 2, channel: 'onsite', purpose: 'effect_survey', reached: false, visitedOn: '2024-02-03' }),
    );
    expect(doc.visits).toStrictEqual([
      {
        visitId: 'v1',
        on: '2024-02-01',
        repId: 'rep-1',
        serviceRepId: 'rep-1',
        level: 1,
        channel: 'phone',
        purpose: 'care',
        reached: true,
        contactRole: 'decision_maker',
        satisfaction: 4,
        effect: { calls: 3, inquiries: 2, deals: 1 },
        feedback: 'wants more inquiries',
      },
      { visitId: 'v2', on: '2024-02-03', repId: 'sup-1', serviceRepId: 'rep-1', level: 2, channel: 'onsite', purpose: 'effect_survey', reached: false },
    ]);
  });

  it('FollowUpScheduled appends an open follow-up and FollowUpCompleted closes that one only', () => {
    const scheduled = customerAfter(
      { type: 'FollowUpScheduled', data: { customerId: 'c1', followUpId: 'f1', dueOn: '2024-02-10', repId: 'rep-1', visitId: 'v1' } },
      { type: 'FollowUpScheduled', data: { customerId: 'c1', followUpId: 'f2', dueOn: '2024-03-10', repId: 'rep-1', note: 'training' } },
    );
    expect(scheduled.followUps).toStrictEqual([
      { followUpId: 'f1', dueOn: '2024-02-10', repId: 'rep-1' },
      { followUpId: 'f2', dueOn: '2024-03-10', repId: 'rep-1' },
    ]);
    const completed = customerAfter(
      { type: 'FollowUpScheduled', data: { customerId: 'c1', followUpId: 'f1', dueOn: '2024-02-10', repId: 'rep-1' } },
      { type: 'FollowUpScheduled', data: { customerId: 'c1', followUpId: 'f2', dueOn: '2024-03-10', repId: 'rep-1' } },
      { type: 'FollowUpCompleted', data: { customerId: 'c1', followUpId: 'f1', visitId: 'v2', completedOn: '2024-02-11' } },
    );
    expect(completed.followUps).toStrictEqual([
      { followUpId: 'f1', dueOn: '2024-02-10', repId: 'rep-1', completedOn: '2024-02-11' },
      { followUpId: 'f2', dueOn: '2024-03-10', repId: 'rep-1' },
    ]);
  });

  it('IssueRaised appends an open issue with its description, and the visit it came up in when there was one', () => {
    expect(customerAfter(issueRaised).issues).toStrictEqual([
      { issueId: 'i1', category: 'billing', description: 'double charge', raisedOn: '2024-02-02', raisedBy: 'rep-1' },
    ]);
    const duringVisit = { ...issueRaised, data: { ...issueRaised.data, issueId: 'i2', visitId: 'v1' } };
    expect(customerAfter(visit(), duringVisit).issues).toStrictEqual([
      { issueId: 'i2', category: 'billing', description: 'double charge', visitId: 'v1', raisedOn: '2024-02-02', raisedBy: 'rep-1' },
    ]);
  });

  it('IssueResolved and IssueResolutionCommunicated date the issue with who did each', () => {
    const resolved = { type: 'IssueResolved', data: { customerId: 'c1', issueId: 'i1', resolution: 'refunded', resolvedBy: 'ops-1', resolvedOn: '2024-02-05' } };
    expect(customerAfter(issueRaised, resolved).issues).toStrictEqual([
      { issueId: 'i1', category: 'billing', description: 'double charge', raisedOn: '2024-02-02', raisedBy: 'rep-1', resolvedOn: '2024-02-05', resolvedBy: 'ops-1' },
    ]);
    const communicated = {
      type: 'IssueResolutionCommunicated',
      data: { customerId: 'c1', issueId: 'i1', channel: 'phone', communicatedBy: 'rep-1', communicatedOn: '2024-02-06' },
    };
    expect(customerAfter(issueRaised, resolved, communicated).issues).toStrictEqual([
      {
        issueId: 'i1', category: 'billing', description: 'double charge', raisedOn: '2024-02-02', raisedBy: 'rep-1', resolvedOn: '2024-02-05', resolvedBy: 'ops-1',
        communicatedOn: '2024-02-06', communicatedBy: 'rep-1',
      },
    ]);
  });

  it('ComplaintFiled appends a complaint and ComplaintResolved dates it', () => {
    const filed = {
      type: 'ComplaintFiled',
      data: { customerId: 'c1', complaintId: 'k1', category: 'service', description: 'rude', againstRepId: 'rep-1', filedBy: 'sup-1', filedOn: '2024-04-01' },
    };
    expect(customerAfter(filed).complaints).toStrictEqual([{ complaintId: 'k1', category: 'service', filedOn: '2024-04-01', againstRepId: 'rep-1' }]);
    const resolved = { type: 'ComplaintResolved', data: { customerId: 'c1', complaintId: 'k1', resolution: 'apology', resolvedBy: 'sup-1', resolvedOn: '2024-04-03' } };
    expect(customerAfter(filed, resolved).complaints).toStrictEqual([
      { complaintId: 'k1', category: 'service', filedOn: '2024-04-01', againstRepId: 'rep-1', resolvedOn: '2024-04-03' },
    ]);
  });

  it('BuyerIntroduced appends who introduced a buyer and when', () => {
    const doc = customerAfter({
      type: 'BuyerIntroduced',
      data: { customerId: 'c1', introductionId: 'b1', buyerName: 'Acme', introducedBy: 'rep-1', introducedOn: '2024-06-01' },
    });
    expect(doc.buyerIntroductions).toStrictEqual([{ on: '2024-06-01', by: 'rep-1' }]);
  });

  it('RenewalReminderSent appends the reminder with its days before term end', () => {
    const doc = customerAfter({
      type: 'RenewalReminderSent',
      data: { customerId: 'c1', reminderId: 'r1', channel: 'phone', termEnd: '2024-12-31', daysBeforeTermEnd: 30, sentBy: 'rep-1', sentOn: '2024-12-01' },
    });
    expect(doc.reminders).toStrictEqual([{ reminderId: 'r1', on: '2024-12-01', termEnd: '2024-12-31', daysBeforeTermEnd: 30, by: 'rep-1', channel: 'phone' }]);
  });

  const renewal = (data: Record<string, unknown>): EventInput => ({
    type: 'RenewalCollected',
    data: {
      customerId: 'c1',
      amountFen: 1_500_000,
      paymentReference: 'PAY-1',
      previousTerm: { start: '2024-01-01', end: '2024-12-31' },
      newTerm: { start: '2025-01-01', end: '2025-12-31' },
      collectedBy: 'rep-1',
      serviceRepId: 'rep-1',
      salesRepId: 'sales-1',
      collectedOn: '2024-12-20',
      daysAfterTermEnd: -11,
      winBack: false,
      ...data,
    },
  });

  it('RenewalCollected marks the ended term renewed, appends the new term and records the renewal', () => {
    const doc = customerAfter(renewal({}));
    expect(doc.terms).toStrictEqual([
      { start: '2024-01-01', end: '2024-12-31', renewedOn: '2024-12-20' },
      { start: '2025-01-01', end: '2025-12-31' },
    ]);
    expect(doc.renewals).toStrictEqual([
      {
        on: '2024-12-20', amountFen: 1_500_000, paymentReference: 'PAY-1', daysAfterTermEnd: -11, winBack: false,
        previousTerm: { start: '2024-01-01', end: '2024-12-31' }, newTerm: { start: '2025-01-01', end: '2025-12-31' },
        collectedBy: 'rep-1', serviceRepId: 'rep-1', salesRepId: 'sales-1',
      },
    ]);
    expect(doc.status).toBe('active');
    expect(doc.contractAmountFen).toBe(1_200_000);
  });

  it('CustomerChurned marks the customer churned and a later win-back renewal makes it active again', () => {
    const churned = { type: 'CustomerChurned', data: { customerId: 'c1', kind: 'lapsed', reason: 'budget', termEnd: '2024-12-31', churnedOn: '2025-01-15' } };
    const lapsed = customerAfter(churned);
    expect(lapsed.status).toBe('churned');
    expect(lapsed.churns).toStrictEqual([{ on: '2025-01-15', kind: 'lapsed', termEnd: '2024-12-31' }]);

    const won = customerAfter(
      churned,
      renewal({ collectedOn: '2025-03-01', newTerm: { start: '2025-03-01', end: '2026-02-28' }, daysAfterTermEnd: 60, winBack: true, paymentReference: 'PAY-2' }),
    );
    expect(won.status).toBe('active');
    expect(won.churns).toHaveLength(1);
    expect(won.terms).toStrictEqual([
      { start: '2024-01-01', end: '2024-12-31', renewedOn: '2025-03-01' },
      { start: '2025-03-01', end: '2026-02-28' },
    ]);
    expect(won.renewals.map((r) => [r.paymentReference, r.winBack, r.daysAfterTermEnd])).toEqual([['PAY-2', true, 60]]);
  });

  it('keeps customers apart and ignores events it does not handle', () => {
    const other = { ...signed, data: { ...signed.data, customerId: 'c2', serviceRepId: 'rep-9' } };
    const events = recorded([signed, other, { type: 'DailySpendReported', data: { customerId: 'c1', day: '2024-01-02', spendFen: 1, clicks: 1, activeKeywords: 1 } }]);
    expect(projection.touches(events[2]!)).toEqual([]);
    const docs = docsOf<CustomerFactsDoc>(expectReplaySafe(projection, events), CUSTOMERS_COLLECTION);
    expect([...docs.keys()].sort()).toEqual(['c1', 'c2']);
    expect(docs.get('c2')!.assignments).toEqual([{ repId: 'rep-9', from: '2024-01-01' }]);
  });

  it('fails loudly, naming the event and position, on a malformed event or one before the signing', () => {
    expect(() => projectInMemory(projection, recorded([{ ...signed, data: { ...signed.data, product: 'ads' } }], 7))).toThrow(
      'CustomerSigned at position 7: product is not one of membership, bidding',
    );
    expect(() => projectInMemory(projection, recorded([visit()], 3))).toThrow('VisitRecorded at position 3');
    expect(() => projectInMemory(projection, recorded([signed, visit({ visitedOn: '2024-2-1' })]))).toThrow('VisitRecorded at position 2: visitedOn is not an ISO day');
    expect(() => projectInMemory(projection, recorded([signed, renewal({ previousTerm: { start: '2023-01-01', end: '2023-12-31' } })]))).toThrow(
      'RenewalCollected at position 2: previousTerm is not the current term',
    );
  });

  it('declares its name, version, event types and indexes', () => {
    expect(projection.name).toBe('customer_facts');
    expect(projection.version).toBe(4);
    expect(projection.eventTypes).toHaveLength(16);
    expect(projection.collections[0]!.indexes.map((i) => i.fields)).toStrictEqual([[['serviceRepId', 1]], [['salesRepId', 1]], [['product', 1]], [['status', 1]]]);
    expect(projection.collections[1]!.indexes.map((i) => i.fields)).toStrictEqual([[['nameKey', 1]], [['serviceRepId', 1], ['nameKey', 1]], [['salesRepId', 1], ['nameKey', 1]], [['termEnd', 1], ['nameKey', 1]]]);
  });

  describe('the directory row derived from the facts', () => {
    const rowAfter = (...events: EventInput[]): CustomerDirectoryDoc => {
      const working = expectReplaySafe(projection, recorded([signed, ...events]));
      const row = docsOf<CustomerDirectoryDoc>(working, CUSTOMER_DIRECTORY_COLLECTION).get('c1');
      if (!row) throw new Error('no directory row for c1');
      return row;
    };

    it('is written with the signing: name key, reps, current term, nothing open', () => {
      expect(rowAfter()).toStrictEqual({
        id: 'c1', companyName: 'Ningbo Valves Co.', nameKey: 'ningbo valves co.\u0001c1', industry: 'machinery', product: 'bidding', grade: 'B',
        keyAccount: false, status: 'active', serviceRepId: 'rep-1', salesRepId: 'sales-1', termStart: '2024-01-01', termEnd: '2024-12-31',
        openIssues: 0, openComplaints: 0, nextFollowUpOn: null,
      });
    });

    it('counts what is still open and names the earliest follow-up not completed, whatever order they were scheduled in', () => {
      const row = rowAfter(
        issueRaised,
        { type: 'IssueRaised', data: { customerId: 'c1', issueId: 'i2', category: 'platform', description: 'slow', raisedBy: 'rep-1', raisedOn: '2024-02-03' } },
        { type: 'IssueResolved', data: { customerId: 'c1', issueId: 'i2', resolution: 'fixed', resolvedBy: 'ops-1', resolvedOn: '2024-02-04' } },
        { type: 'ComplaintFiled', data: { customerId: 'c1', complaintId: 'k1', category: 'service', description: 'late', filedBy: 'sup-1', filedOn: '2024-02-05' } },
        { type: 'FollowUpScheduled', data: { customerId: 'c1', followUpId: 'f1', dueOn: '2024-03-10', repId: 'rep-1' } },
        { type: 'FollowUpScheduled', data: { customerId: 'c1', followUpId: 'f2', dueOn: '2024-02-20', repId: 'rep-1' } },
        { type: 'FollowUpScheduled', data: { customerId: 'c1', followUpId: 'f3', dueOn: '2024-02-15', repId: 'rep-1' } },
        { type: 'FollowUpCompleted', data: { customerId: 'c1', followUpId: 'f3', visitId: 'v9', completedOn: '2024-02-15' } },
      );
      expect([row.openIssues, row.openComplaints, row.nextFollowUpOn]).toStrictEqual([1, 1, '2024-02-20']);
    });

    it('follows a reassignment and a new grade', () => {
      const row = rowAfter(
        { type: 'ServiceRepAssigned', data: { customerId: 'c1', serviceRepId: 'rep-2', previousServiceRepId: 'rep-1', assignedOn: '2024-03-01' } },
        { type: 'CustomerGraded', data: { customerId: 'c1', grade: 'A', previousGrade: 'B' } },
      );
      expect([row.serviceRepId, row.grade]).toStrictEqual(['rep-2', 'A']);
    });

    it('keys names by their searched form: full-width and upper-case letters read as lower-case ASCII, control characters as spaces', () => {
      expect(nameSearchKey('ＨＡＮＧＺＨＯＵ Valve')).toBe('hangzhou valve');
      expect(nameSearchKey('杭州\t阀门')).toBe('杭州 阀门');
      expect(directoryRowOf({ ...customerAfter(), companyName: 'Ａb\u0001c' }).nameKey).toBe('ab c\u0001c1');
    });
  });
});
