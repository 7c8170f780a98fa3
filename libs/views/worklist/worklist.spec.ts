import { addDays, DEFAULT_SERVICE_RULES as RULES, type ServiceRules } from '#shared-kernel';
import type { UsageSeries } from '#telemetry';
import { type CustomerFactsDoc, type FollowUpFact } from '#customer';
import { facts, issue, NO_SPEND, OTHER_REP, reminder, REP, usageOf, visit } from '#testing';
import { compareWorklist, worklistEntry, type WorklistEntry, type WorklistItem } from './worklist';

const ASOF = '2026-06-15';
const ago = (n: number): string => addDays(ASOF, -n);
const ahead = (n: number): string => addDays(ASOF, n);

const activeUsage = usageOf({ from: '2026-04-01', to: ASOF, logins: 1, inquiriesReceived: 1 });
/** Contacted 5 days ago, logging in daily, term ending far ahead: nothing due. */
const calm = (overrides: Partial<CustomerFactsDoc> = {}): CustomerFactsDoc => facts({ visits: [visit(ago(5))], ...overrides });
const followUp = (dueOn: string, overrides: Partial<FollowUpFact> = {}): FollowUpFact => ({ followUpId: `f-${dueOn}`, dueOn, repId: REP, ...overrides });

const entry = (doc: CustomerFactsDoc, usage: UsageSeries = activeUsage, rules: ServiceRules = RULES, repId = REP, asOf = ASOF): WorklistEntry | null =>
  worklistEntry(doc, usage, NO_SPEND, rules, repId, asOf);
const items = (doc: CustomerFactsDoc, usage?: UsageSeries, rules?: ServiceRules): readonly WorklistItem[] => entry(doc, usage, rules)?.items ?? [];
const kinds = (doc: CustomerFactsDoc, usage?: UsageSeries, rules?: ServiceRules): string[] => items(doc, usage, rules).map((item) => item.kind);

describe('worklist', () => {
  it('is null when nothing is due', () => {
    expect(entry(calm())).toBeNull();
  });

  it('carries the customer, the rep, the churn risk and the items', () => {
    expect(entry(calm({ followUps: [followUp(ago(3))], complaints: [{ complaintId: 'k-1', category: 'service', filedOn: ago(2) }] }))).toEqual({
      customerId: 'c-1',
      companyName: 'Kangyu Air Services',
      repId: REP,
      risk: { score: 10, level: 'low' },
      items: [{ kind: 'follow_up_due', detail: `follow-up due ${ago(3)}, 3 days overdue`, dueOn: ago(3) }],
    });
  });

  it('is null for a customer assigned to another rep on asOf, and follows reassignment over time', () => {
    const doc = calm({ followUps: [followUp(ago(20)), followUp(ago(1), { followUpId: 'f-2', repId: OTHER_REP })], assignments: [{ repId: REP, from: '2026-01-01' }, { repId: OTHER_REP, from: ago(2) }] });
    expect(entry(doc)).toBeNull();
    expect(entry(doc, activeUsage, RULES, OTHER_REP)?.items).toEqual([{ kind: 'follow_up_due', detail: 'follow-up due 2026-06-14, 1 days overdue', dueOn: ago(1) }]);
    expect(entry(doc, activeUsage, RULES, REP, ago(3))?.items.map((item) => item.kind)).toEqual(['follow_up_due']);
  });

  it('is null for a churned customer, and back after a win-back', () => {
    const churned = calm({ followUps: [followUp(ago(1))], churns: [{ on: ago(10), kind: 'cancelled', termEnd: '2026-12-31' }] });
    expect(entry(churned)).toBeNull();
    const renewal = {
      on: ago(4),
      amountFen: 1_200_000,
      paymentReference: 'p-1',
      previousTerm: { start: '2026-01-01', end: '2026-12-31' },
      newTerm: { start: ago(4), end: ahead(360) },
      collectedBy: REP,
      serviceRepId: REP,
      salesRepId: 'sales-1',
      daysAfterTermEnd: 0,
      winBack: true,
    };
    expect(kinds({ ...churned, renewals: [renewal] })).toEqual(['follow_up_due']);
  });

  describe('follow-ups', () => {
    it('lists this rep’s follow-ups due by asOf and not completed by then', () => {
      const doc = calm({
        followUps: [
          followUp(ASOF),
          followUp(ago(2), { followUpId: 'f-2', completedOn: ago(1) }),
          followUp(ago(2), { followUpId: 'f-3', completedOn: ahead(1) }),
          followUp(ago(1), { followUpId: 'f-4', repId: OTHER_REP }),
          followUp(ahead(1), { followUpId: 'f-5' }),
        ],
      });
      expect(items(doc)).toEqual([
        { kind: 'follow_up_due', detail: 'follow-up due today', dueOn: ASOF },
        { kind: 'follow_up_due', detail: `follow-up due ${ago(2)}, 2 days overdue`, dueOn: ago(2) },
      ]);
    });
  });

  describe('contact cadence', () => {
    it('lists a customer not contacted for more than 30 days, by any rep', () => {
      expect(entry(calm({ visits: [visit(ago(30), { repId: OTHER_REP, level: 2 })] }))).toBeNull();
      expect(entry(calm({ visits: [visit(ago(31))] }))).toMatchObject({
        risk: { score: 20, level: 'low' },
        items: [{ kind: 'not_contacted', detail: `not contacted for 31 days (last ${ago(31)}); cadence 30 days` }],
      });
    });

    it('uses 14 days for key accounts', () => {
      expect(entry(calm({ keyAccount: true, visits: [visit(ago(14))] }))).toBeNull();
      expect(kinds(calm({ keyAccount: true, visits: [visit(ago(15))] }))).toEqual(['not_contacted']);
    });

    it('takes the cadence from the rules', () => {
      const rules: ServiceRules = { ...RULES, visitCadence: { ...RULES.visitCadence, maxDays: 20 } };
      expect(kinds(calm({ visits: [visit(ago(21))] }), activeUsage, rules)).toEqual(['not_contacted']);
      expect(kinds(calm({ visits: [visit(ago(21))] }))).toEqual([]);
    });
  });

  describe('usage', () => {
    const loginsUntil = (day: string) => usageOf({ from: '2026-04-01', to: ASOF, inquiriesReceived: 1 }, { from: '2026-04-01', to: day, logins: 1, inquiriesReceived: 1 });

    it('lists no login from the first tier (14 days)', () => {
      expect(entry(calm(), loginsUntil(ago(13)))).toBeNull();
      expect(items(calm(), loginsUntil(ago(14)))).toEqual([{ kind: 'no_login', detail: `no login for 14 days (last ${ago(14)})` }]);
    });

    it('lists any unread inquiries on the last reported day', () => {
      const unread = (count: number) => usageOf({ from: '2026-04-01', to: ago(2), logins: 1, inquiriesReceived: 1 }, { from: ago(2), logins: 1, inquiriesReceived: 1, inquiriesUnread: count });
      expect(entry(calm(), unread(0))).toBeNull();
      expect(items(calm(), unread(1))).toEqual([{ kind: 'unread_inquiries', detail: `1 inquiries unread on ${ago(2)}` }]);
    });
  });

  describe('renewal', () => {
    it('lists reminder_due and expiring_under_contacted as the pipeline flags them', () => {
      const doc = calm({ terms: [{ start: '2025-07-06', end: ahead(20) }] });
      expect(items(doc)).toEqual([
        { kind: 'reminder_due', detail: `term ends ${ahead(20)} in 20 days; no renewal reminder sent`, dueOn: ahead(5) },
        { kind: 'expiring_under_contacted', detail: `term ends ${ahead(20)} in 20 days; 1 contacts in the last 30 days, 2 needed` },
      ]);
      const covered = calm({ terms: [{ start: '2025-07-06', end: ahead(20) }], visits: [visit(ago(5)), visit(ago(12))], reminders: [reminder(ago(1), ahead(20))] });
      expect(entry(covered)).toBeNull();
    });
  });

  describe('issues', () => {
    it('lists issues awaiting resolution or communication as of asOf', () => {
      const doc = calm({
        issues: [
          issue(ago(2), { category: 'billing' }),
          issue(ago(9), { issueId: 'i-2', resolvedOn: ago(1) }),
          issue(ago(9), { issueId: 'i-3', resolvedOn: ago(3), communicatedOn: ago(1) }),
          issue(ahead(1), { issueId: 'i-4' }),
        ],
      });
      expect(items(doc)).toEqual([
        { kind: 'issue_awaiting_resolution', detail: `billing issue raised ${ago(2)}, open 2 days` },
        { kind: 'issue_awaiting_communication', detail: `platform issue resolved ${ago(1)}; resolution not yet communicated` },
      ]);
    });
  });

  it('orders the day by churn risk, then customer id', () => {
    const due = [followUp(ago(1))];
    const quiet = entry(calm({ id: 'c-1', followUps: due }))!;
    const complaining = entry(calm({ id: 'c-2', followUps: due, complaints: [{ complaintId: 'k-1', category: 'service', filedOn: ago(1) }] }))!;
    const lost = entry(calm({ id: 'c-3', followUps: due, visits: [visit(ago(50))] }))!;
    const alsoComplaining = entry(calm({ id: 'c-0', followUps: due, complaints: [{ complaintId: 'k-2', category: 'billing', filedOn: ago(1) }] }))!;
    expect([quiet, complaining, lost, alsoComplaining].sort(compareWorklist).map((e) => [e.customerId, e.risk.score])).toEqual([
      ['c-3', 25],
      ['c-0', 10],
      ['c-2', 10],
      ['c-1', 0],
    ]);
  });
});
