import { DEFAULT_SERVICE_RULES } from '#shared-kernel';
import type { ChurnInputs } from './churn-risk.doc';
import { churnLookBackStart } from './churn-risk';
import { evolveInputs, pruneInputs } from './churn-inputs';

const DAY = '2026-05-31';
const base: ChurnInputs = {
  id: 'c-1',
  companyName: 'Valve Co.',
  product: 'bidding',
  keyAccount: false,
  signedOn: '2025-01-01',
  assignments: [{ repId: 'rep-1', from: '2025-01-01' }],
  terms: [{ start: '2025-06-01', end: '2026-05-31' }],
  churns: [],
  renewals: [],
  visits: [],
  reminders: [],
  issues: [],
  complaints: [],
  followUps: [],
};
const visit2 = (on: string) => ({ on, reached: true, repId: 'rep-2', serviceRepId: 'rep-2' });
const visit = (on: string, extra: Partial<ChurnInputs['visits'][number]> = {}) => ({ on, reached: true, repId: 'rep-1', serviceRepId: 'rep-1', ...extra });

describe('pruneInputs keeps exactly what can still change a score on the day or later', () => {
  it('keeps contacts inside the 30-day contact window, both edges, and drops the day before it', () => {
    const inputs = { ...base, visits: [visit('2026-05-01', { reached: false }), visit('2026-05-01', { repId: 'sup-1' }), visit('2026-05-02', { repId: 'sup-1' }), visit('2026-05-31', { repId: 'sup-1' })] };
    // 2026-05-02 is the window's first day (30 days ending on the 31st); the unreached visit of the 1st counts for nothing.
    expect(pruneInputs(inputs, DAY, DEFAULT_SERVICE_RULES).visits).toStrictEqual([visit('2026-05-02', { repId: 'sup-1' }), visit('2026-05-31', { repId: 'sup-1' })]);
    // A call that reached nobody on the day itself, without a score, changes nothing from the day on; one the day after may.
    const unreached = { ...base, visits: [visit(DAY, { reached: false }), visit('2026-06-01', { reached: false })] };
    expect(pruneInputs(unreached, DAY, DEFAULT_SERVICE_RULES).visits).toStrictEqual([visit('2026-06-01', { reached: false })]);
  });

  it('keeps contacts inside the longer of the two contact windows when the rules make them differ', () => {
    const inputs = { ...base, visits: [visit('2026-05-01', { repId: 'sup-1' }), visit('2026-05-20', { repId: 'sup-1' }), visit('2026-05-31', { repId: 'sup-1' })] };
    const churn45 = { ...DEFAULT_SERVICE_RULES, churn: { ...DEFAULT_SERVICE_RULES.churn, expiringUnderContacted: { ...DEFAULT_SERVICE_RULES.churn.expiringUnderContacted, windowDays: 45 } } };
    const expiring45 = { ...DEFAULT_SERVICE_RULES, expiring: { ...DEFAULT_SERVICE_RULES.expiring, windowDays: 45 } };
    expect(pruneInputs(inputs, DAY, churn45).visits).toStrictEqual(inputs.visits);
    expect(pruneInputs(inputs, DAY, expiring45).visits).toStrictEqual(inputs.visits);
    expect(pruneInputs(inputs, DAY, DEFAULT_SERVICE_RULES).visits).toStrictEqual(inputs.visits.slice(1));
  });

  it('takes "latest" by date, not by place in the list: a back-dated contact recorded later does not replace a later one', () => {
    const latest = visit('2026-03-01');
    const backDated = visit('2026-02-01');
    const inputs = { ...base, visits: [visit('2026-01-01'), latest, backDated] };
    expect(pruneInputs(inputs, DAY, DEFAULT_SERVICE_RULES).visits).toStrictEqual([latest]);
  });

  it('keeps the latest contact by the service rep and the latest satisfaction score however old, and every later visit', () => {
    const older = visit('2026-01-10', { satisfaction: 5 });
    const latestScore = visit('2026-02-01', { repId: 'sup-1', reached: false, satisfaction: 2 });
    const latestContact = visit('2026-03-01');
    const sameDayEarlier = visit('2026-03-01', { satisfaction: 4 });
    const laterScored = visit('2026-03-01', { satisfaction: 1, repId: 'sup-1' });
    const future = visit('2026-06-02', { reached: false });
    const inputs = { ...base, visits: [older, latestScore, latestContact, sameDayEarlier, laterScored, future] };
    // Same day: the later-recorded one wins (the service rep's contact, and the supervisor's score).
    expect(pruneInputs(inputs, DAY, DEFAULT_SERVICE_RULES).visits).toStrictEqual([sameDayEarlier, laterScored, future]);
    expect(pruneInputs({ ...inputs, visits: [older, latestScore, latestContact] }, DAY, DEFAULT_SERVICE_RULES).visits).toStrictEqual([latestScore, latestContact]);
  });

  it('reads "latest" as on or before the day: a later visit does not stand in for the last one by then', () => {
    const lastContact = visit('2026-01-10');
    const later = visit('2026-06-02');
    expect(pruneInputs({ ...base, visits: [lastContact, later] }, DAY, DEFAULT_SERVICE_RULES).visits).toStrictEqual([lastContact, later]);
    const olderScore = visit('2026-01-10', { reached: false, satisfaction: 5 });
    const scoreOnTheDay = visit(DAY, { reached: false, satisfaction: 2 });
    expect(pruneInputs({ ...base, visits: [olderScore, scoreOnTheDay] }, DAY, DEFAULT_SERVICE_RULES).visits).toStrictEqual([scoreOnTheDay]);
  });

  it('keeps the latest contact by anyone however old, for the worklist\'s "not contacted"', () => {
    const bySupervisor = visit('2026-03-01', { repId: 'sup-1' });
    const byRep = visit('2026-02-01');
    expect(pruneInputs({ ...base, visits: [byRep, bySupervisor] }, DAY, DEFAULT_SERVICE_RULES).visits).toStrictEqual([byRep, bySupervisor]);
    expect(pruneInputs({ ...base, visits: [visit('2026-01-01', { repId: 'sup-1' }), byRep, visit('2026-02-02', { repId: 'sup-1' })] }, DAY, DEFAULT_SERVICE_RULES).visits).toStrictEqual([
      byRep,
      visit('2026-02-02', { repId: 'sup-1' }),
    ]);
  });

  it('keeps reminders of terms that ended within the renewal grace (30 days), the last day of it included', () => {
    const inputs = {
      ...base,
      reminders: [
        { on: '2026-04-01', termEnd: '2026-04-30' },
        { on: '2026-04-02', termEnd: '2026-05-01' },
        { on: '2026-05-01', termEnd: DAY },
        { on: '2026-05-20', termEnd: '2026-06-30' },
      ],
    };
    expect(pruneInputs(inputs, DAY, DEFAULT_SERVICE_RULES).reminders).toStrictEqual(inputs.reminders.slice(1));
  });

  it('drops a follow-up once completed by the day, and keeps one completed later or still open', () => {
    const followUps = [
      { followUpId: 'f-1', dueOn: '2026-05-01', repId: 'rep-1', completedOn: DAY },
      { followUpId: 'f-2', dueOn: '2026-05-01', repId: 'rep-1', completedOn: '2026-06-01' },
      { followUpId: 'f-3', dueOn: '2026-07-01', repId: 'rep-1' },
    ];
    expect(pruneInputs({ ...base, followUps }, DAY, DEFAULT_SERVICE_RULES).followUps).toStrictEqual(followUps.slice(1));
  });

  it('drops an issue once resolved and communicated by the day, and a complaint once resolved by the day', () => {
    const issues = [
      { issueId: 'i-1', category: 'billing' as const, raisedOn: '2026-01-01', resolvedOn: '2026-01-05', communicatedOn: DAY },
      { issueId: 'i-2', category: 'billing' as const, raisedOn: '2026-01-01', resolvedOn: '2026-01-05', communicatedOn: '2026-06-01' },
      { issueId: 'i-3', category: 'billing' as const, raisedOn: '2026-01-01', resolvedOn: '2026-06-01', communicatedOn: '2026-06-01' },
      { issueId: 'i-4', category: 'billing' as const, raisedOn: '2026-01-01', resolvedOn: '2026-01-05' },
      { issueId: 'i-5', category: 'billing' as const, raisedOn: '2026-01-01' },
    ];
    const complaints = [
      { complaintId: 'k-1', filedOn: '2026-01-01', resolvedOn: DAY },
      { complaintId: 'k-2', filedOn: '2026-01-01', resolvedOn: '2026-06-01' },
      { complaintId: 'k-3', filedOn: '2026-01-01' },
    ];
    const pruned = pruneInputs({ ...base, issues, complaints }, DAY, DEFAULT_SERVICE_RULES);
    expect(pruned.issues.map((i) => i.issueId)).toStrictEqual(['i-2', 'i-3', 'i-4', 'i-5']);
    expect(pruned.complaints.map((c) => c.complaintId)).toStrictEqual(['k-2', 'k-3']);
  });

  it('changes nothing when pruned again, and pruning on an earlier day first gives the same list', () => {
    const inputs = { ...base, visits: [visit('2026-01-10', { satisfaction: 5 }), visit('2026-04-01'), visit('2026-05-10'), visit('2026-05-30', { satisfaction: 3 })] };
    const once = pruneInputs(inputs, DAY, DEFAULT_SERVICE_RULES);
    expect(pruneInputs(once, DAY, DEFAULT_SERVICE_RULES)).toStrictEqual(once);
    expect(pruneInputs(pruneInputs(inputs, '2026-05-01', DEFAULT_SERVICE_RULES), DAY, DEFAULT_SERVICE_RULES)).toStrictEqual(once);
  });
});

describe('evolveInputs', () => {
  // Signed inside each test (not when the suite is collected), so that what it covers is the test's own.
  const signed = () =>
    evolveInputs(
      null,
      {
        type: 'CustomerSigned',
        data: {
          customerId: 'c-1',
          companyName: 'Valve Co.',
          contact: { name: 'Li', phone: '1' },
          industry: 'valves',
          product: 'bidding',
          contractAmountFen: 100,
          term: { start: '2025-06-01', end: '2026-05-31' },
          salesRepId: 's-1',
          serviceRepId: 'rep-1',
          grade: 'B',
          keyAccount: false,
          signedOn: '2025-01-01',
        },
      },
      'test',
    );

  it('keeps the facts a score reads, and nothing personal', () => {
    expect(signed()).toStrictEqual(base);
  });

  it('refuses a second signing and an event for a customer never signed, naming the event', () => {
    const again = () => evolveInputs(signed(), { type: 'CustomerSigned', data: { customerId: 'c-1' } } as never, 'CustomerSigned at position 9');
    expect(again).toThrow('CustomerSigned at position 9: customer c-1 is already signed');
    const orphan = () => evolveInputs(null, { type: 'KeyAccountFlagChanged', data: { customerId: 'c-9', keyAccount: true } }, 'KeyAccountFlagChanged at position 3');
    expect(orphan).toThrow('KeyAccountFlagChanged at position 3: customer c-9 is not signed');
  });

  it('keeps of each customer event just what a score reads', () => {
    const where = 'test';
    let inputs = evolveInputs(signed(), { type: 'KeyAccountFlagChanged', data: { customerId: 'c-1', keyAccount: true } }, where);
    inputs = evolveInputs(inputs, { type: 'ServiceRepAssigned', data: { customerId: 'c-1', serviceRepId: 'rep-2', previousServiceRepId: 'rep-1', assignedOn: '2026-02-01' } }, where);
    const visit = { customerId: 'c-1', visitId: 'v', repId: 'rep-2', serviceRepId: 'rep-2', level: 1 as const, channel: 'phone' as const, purpose: 'care' as const, reached: true, summary: 's', feedback: 'f' };
    inputs = evolveInputs(inputs, { type: 'VisitRecorded', data: { ...visit, visitedOn: '2026-02-02' } }, where);
    inputs = evolveInputs(inputs, { type: 'VisitRecorded', data: { ...visit, visitId: 'v2', satisfaction: 2, visitedOn: '2026-02-03' } }, where);
    inputs = evolveInputs(inputs, { type: 'IssueRaised', data: { customerId: 'c-1', issueId: 'i-1', category: 'billing', description: 'd', raisedBy: 'rep-2', raisedOn: '2026-02-02' } }, where);
    inputs = evolveInputs(inputs, { type: 'IssueRaised', data: { customerId: 'c-1', issueId: 'i-2', category: 'other', description: 'd', raisedBy: 'rep-2', raisedOn: '2026-02-03' } }, where);
    inputs = evolveInputs(inputs, { type: 'IssueResolved', data: { customerId: 'c-1', issueId: 'i-1', resolution: 'r', resolvedBy: 'rep-2', resolvedOn: '2026-02-04' } }, where);
    inputs = evolveInputs(inputs, { type: 'IssueResolutionCommunicated', data: { customerId: 'c-1', issueId: 'i-1', channel: 'phone', communicatedBy: 'rep-2', communicatedOn: '2026-02-05' } }, where);
    inputs = evolveInputs(inputs, { type: 'ComplaintFiled', data: { customerId: 'c-1', complaintId: 'k-1', category: 'service', description: 'd', filedBy: 'sup-1', filedOn: '2026-02-02' } }, where);
    inputs = evolveInputs(inputs, { type: 'ComplaintFiled', data: { customerId: 'c-1', complaintId: 'k-2', category: 'other', description: 'd', filedBy: 'sup-1', filedOn: '2026-02-03' } }, where);
    inputs = evolveInputs(inputs, { type: 'ComplaintResolved', data: { customerId: 'c-1', complaintId: 'k-2', resolution: 'r', resolvedBy: 'sup-1', resolvedOn: '2026-02-06' } }, where);
    inputs = evolveInputs(inputs, { type: 'RenewalReminderSent', data: { customerId: 'c-1', reminderId: 'r-1', channel: 'email', termEnd: '2026-05-31', daysBeforeTermEnd: 20, sentBy: 'rep-2', sentOn: '2026-05-11' } }, where);
    inputs = evolveInputs(inputs, { type: 'CustomerChurned', data: { customerId: 'c-1', kind: 'lapsed', termEnd: '2026-05-31', churnedOn: '2026-06-30' } }, where);
    inputs = evolveInputs(inputs, { type: 'FollowUpScheduled', data: { customerId: 'c-1', followUpId: 'f-1', dueOn: '2026-02-10', repId: 'rep-2', note: 'n' } }, where);
    inputs = evolveInputs(inputs, { type: 'FollowUpScheduled', data: { customerId: 'c-1', followUpId: 'f-2', dueOn: '2026-02-11', repId: 'rep-2' } }, where);
    inputs = evolveInputs(inputs, { type: 'FollowUpCompleted', data: { customerId: 'c-1', followUpId: 'f-1', visitId: 'v2', completedOn: '2026-02-09' } }, where);
    expect(inputs).toStrictEqual({
      ...base,
      keyAccount: true,
      assignments: [
        { repId: 'rep-1', from: '2025-01-01' },
        { repId: 'rep-2', from: '2026-02-01' },
      ],
      visits: [visit2('2026-02-02'), { ...visit2('2026-02-03'), satisfaction: 2 }],
      issues: [
        { issueId: 'i-1', category: 'billing', raisedOn: '2026-02-02', resolvedOn: '2026-02-04', communicatedOn: '2026-02-05' },
        { issueId: 'i-2', category: 'other', raisedOn: '2026-02-03' },
      ],
      complaints: [
        { complaintId: 'k-1', filedOn: '2026-02-02' },
        { complaintId: 'k-2', filedOn: '2026-02-03', resolvedOn: '2026-02-06' },
      ],
      reminders: [{ on: '2026-05-11', termEnd: '2026-05-31' }],
      churns: [{ on: '2026-06-30', kind: 'lapsed', termEnd: '2026-05-31' }],
      followUps: [
        { followUpId: 'f-1', dueOn: '2026-02-10', repId: 'rep-2', completedOn: '2026-02-09' },
        { followUpId: 'f-2', dueOn: '2026-02-11', repId: 'rep-2' },
      ],
    });
  });

  it('renews the current term and refuses a renewal of another term', () => {
    const data = { customerId: 'c-1', amountFen: 1, paymentReference: 'P', collectedBy: 'rep-1', serviceRepId: 'rep-1', salesRepId: 's-1', daysAfterTermEnd: 0, winBack: false };
    const renewed = evolveInputs(signed(), { type: 'RenewalCollected', data: { ...data, previousTerm: { start: '2025-06-01', end: '2026-05-31' }, newTerm: { start: '2026-06-01', end: '2027-05-31' }, collectedOn: '2026-05-20' } }, 'x');
    expect(renewed.terms).toStrictEqual([
      { start: '2025-06-01', end: '2026-05-31', renewedOn: '2026-05-20' },
      { start: '2026-06-01', end: '2027-05-31' },
    ]);
    expect(renewed.renewals).toStrictEqual([{ on: '2026-05-20' }]);
    const wrong = () =>
      evolveInputs(signed(), { type: 'RenewalCollected', data: { ...data, previousTerm: { start: '2024-06-01', end: '2025-05-31' }, newTerm: { start: '2026-06-01', end: '2027-05-31' }, collectedOn: '2026-05-20' } }, 'RenewalCollected at position 7');
    expect(wrong).toThrow('RenewalCollected at position 7: previousTerm is not the current term');
    // The same end with another start, and the same start with another end, are other terms too.
    const otherStart = () =>
      evolveInputs(signed(), { type: 'RenewalCollected', data: { ...data, previousTerm: { start: '2025-07-01', end: '2026-05-31' }, newTerm: { start: '2026-06-01', end: '2027-05-31' }, collectedOn: '2026-05-20' } }, 'z');
    expect(otherStart).toThrow('z: previousTerm is not the current term');
    const otherEnd = () =>
      evolveInputs(signed(), { type: 'RenewalCollected', data: { ...data, previousTerm: { start: '2025-06-01', end: '2026-06-30' }, newTerm: { start: '2026-07-01', end: '2027-06-30' }, collectedOn: '2026-05-20' } }, 'x');
    expect(otherEnd).toThrow('x: previousTerm is not the current term');
    const unsigned = { ...signed(), terms: [] };
    expect(() => evolveInputs(unsigned, { type: 'RenewalCollected', data: { ...data, previousTerm: { start: '2025-06-01', end: '2026-05-31' }, newTerm: { start: '2026-06-01', end: '2027-05-31' }, collectedOn: '2026-05-20' } }, 'y')).toThrow(
      'y: previousTerm is not the current term',
    );
  });
});

describe('churnLookBackStart', () => {
  it('reaches back as far as the longest churn window (7 + 28 days of spend)', () => {
    expect(churnLookBackStart(DAY, DEFAULT_SERVICE_RULES)).toBe('2026-04-26');
  });
});
