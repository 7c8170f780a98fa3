import type { CustomerFactsDoc } from '#customer';
import { cny, customerTimeline } from './timeline';

const names: Record<string, string> = { 'rep-1': 'Zhang San', 'rep-2': 'Li Si', 'sales-1': 'Sun Qi', 'sup-1': 'Wang Wu' };
const nameOf = (id: string) => names[id] ?? id;

const doc: CustomerFactsDoc = {
  id: 'c-1',
  companyName: 'Ningbo Valves',
  industry: 'machinery',
  product: 'bidding',
  grade: 'B',
  keyAccount: false,
  contractAmountFen: 1_200_000,
  signedOn: '2025-01-01',
  salesRepId: 'sales-1',
  serviceRepId: 'rep-2',
  assignments: [
    { repId: 'rep-1', from: '2025-01-01' },
    { repId: 'rep-2', from: '2025-06-01' },
  ],
  terms: [
    { start: '2025-01-01', end: '2025-12-31', renewedOn: '2026-01-05' },
    { start: '2026-01-01', end: '2026-12-31' },
  ],
  status: 'active',
  churns: [{ on: '2026-01-01', kind: 'lapsed', termEnd: '2025-12-31' }],
  visits: [
    { visitId: 'v1', on: '2025-03-01', repId: 'rep-1', serviceRepId: 'rep-1', level: 1, channel: 'phone', purpose: 'care', reached: true, contactRole: 'decision_maker', satisfaction: 4, feedback: 'Inquiries are slow' },
    { visitId: 'v2', on: '2025-03-02', repId: 'sup-1', serviceRepId: 'rep-1', level: 2, channel: 'onsite', purpose: 'effect_survey', reached: false, effect: { calls: 3, inquiries: 5, deals: 1 } },
  ],
  reminders: [{ reminderId: 'r1', on: '2025-12-01', termEnd: '2025-12-31', daysBeforeTermEnd: 30, by: 'rep-2', channel: 'email' }],
  renewals: [
    {
      on: '2026-01-05',
      amountFen: 1_250_050,
      paymentReference: 'P-1',
      previousTerm: { start: '2025-01-01', end: '2025-12-31' },
      newTerm: { start: '2026-01-01', end: '2026-12-31' },
      collectedBy: 'rep-2',
      serviceRepId: 'rep-2',
      salesRepId: 'sales-1',
      daysAfterTermEnd: 5,
      winBack: true,
    },
  ],
  issues: [{ issueId: 'i1', category: 'platform', description: 'Mails late', raisedOn: '2025-03-01', raisedBy: 'rep-1', resolvedOn: '2025-03-01', resolvedBy: 'ops-9', communicatedOn: '2025-03-03', communicatedBy: 'rep-1' }],
  complaints: [{ complaintId: 'k1', category: 'billing', filedOn: '2025-04-01', resolvedOn: '2025-04-02' }],
  followUps: [
    { followUpId: 'f1', dueOn: '2025-03-10', repId: 'rep-1', completedOn: '2025-03-09' },
    { followUpId: 'f2', dueOn: '2027-01-01', repId: 'rep-2' },
  ],
  buyerIntroductions: [{ on: '2025-05-01', by: 'rep-1' }],
};

describe('a customer timeline in words', () => {
  it('tells every fact, newest first, and the later step of a day first', () => {
    expect(customerTimeline(doc, nameOf)).toStrictEqual([
      { on: '2026-01-05', kind: 'renewal', by: 'rep-2', text: 'Renewal of 12,500.50 CNY collected by Li Si: new term 2026-01-01 to 2026-12-31, won back' },
      { on: '2026-01-01', kind: 'churned', by: null, text: 'Churned (did not renew) after the term ending 2025-12-31' },
      { on: '2025-12-01', kind: 'reminder', by: 'rep-2', text: 'Renewal reminder by Li Si (email), 30 days before the term ends on 2025-12-31' },
      { on: '2025-06-01', kind: 'assigned', by: null, text: 'Now served by Li Si' },
      { on: '2025-05-01', kind: 'buyer_introduced', by: 'rep-1', text: 'Buyer introduced by Zhang San' },
      { on: '2025-04-02', kind: 'complaint_resolved', by: null, text: 'Complaint of 2025-04-01 (billing) resolved' },
      { on: '2025-04-01', kind: 'complaint_filed', by: null, text: 'Complaint filed (billing)' },
      { on: '2025-03-09', kind: 'follow_up_done', by: 'rep-1', text: 'Follow-up due 2025-03-10 done by Zhang San' },
      { on: '2025-03-03', kind: 'issue_communicated', by: 'rep-1', text: 'Resolution of the issue of 2025-03-01 told to the customer by Zhang San' },
      { on: '2025-03-02', kind: 'visit', by: 'sup-1', text: 'Level-2 On-site visit by Wang Wu (effect survey): not reached, reported 3 calls, 5 inquiries, 1 deals' },
      { on: '2025-03-01', kind: 'issue_resolved', by: 'ops-9', text: 'Issue of 2025-03-01 (platform) resolved by ops-9' },
      { on: '2025-03-01', kind: 'issue_raised', by: 'rep-1', text: 'Issue raised by Zhang San (platform): Mails late' },
      { on: '2025-03-01', kind: 'visit', by: 'rep-1', text: 'Call by Zhang San (care): reached the decision maker, satisfaction 4/5. Said: “Inquiries are slow”' },
      { on: '2025-01-01', kind: 'signed', by: 'sales-1', text: 'Signed by Sun Qi for bidding, term 2025-01-01 to 2025-12-31, 12,000.00 CNY; served by Zhang San' },
    ]);
  });

  it('says how late a renewal that was not a win-back came, and nothing when it was on time', () => {
    const renewal = doc.renewals[0]!;
    const late = customerTimeline({ ...doc, renewals: [{ ...renewal, winBack: false }] }, nameOf)[0]!;
    expect(late.text).toBe('Renewal of 12,500.50 CNY collected by Li Si: new term 2026-01-01 to 2026-12-31, 5 days after the term ended');
    const onTime = customerTimeline({ ...doc, renewals: [{ ...renewal, winBack: false, daysAfterTermEnd: 0 }] }, nameOf)[0]!;
    expect(onTime.text).toBe('Renewal of 12,500.50 CNY collected by Li Si: new term 2026-01-01 to 2026-12-31');
  });

  it('writes money in CNY with two decimals and thousands separators', () => {
    expect([cny(0), cny(5), cny(100_000_000), cny(-250)]).toStrictEqual(['0.00', '0.05', '1,000,000.00', '-2.50']);
  });
});
