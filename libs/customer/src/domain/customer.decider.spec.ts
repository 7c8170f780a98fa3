import { deciderSpec } from '#testing';
import type { CustomerCommand } from './customer.commands';
import { decideCustomer } from './customer.decider';
import type { CustomerEvent } from './customer.events';
import { evolveCustomer, initialCustomerState } from './customer.state';

const spec = deciderSpec({ decide: decideCustomer, evolve: evolveCustomer, initialState: initialCustomerState });
const id = 'cust-1';
const base = { customerId: id, actorId: 'rep-1', on: '2026-03-10' };

const signed: CustomerEvent = {
  type: 'CustomerSigned',
  data: {
    customerId: id,
    companyName: 'Hangzhou Valve Co.',
    contact: { name: 'Li Wei', phone: '+86 571 0000 0000', email: 'li@example.com' },
    industry: 'machinery',
    product: 'bidding',
    contractAmountFen: 1_200_000,
    term: { start: '2026-01-01', end: '2026-12-31' },
    salesRepId: 'sales-1',
    serviceRepId: 'rep-1',
    grade: 'B',
    keyAccount: false,
    signedOn: '2025-12-20',
  },
};
const visit = (visitId: string, extra: Partial<Extract<CustomerEvent, { type: 'VisitRecorded' }>['data']> = {}): CustomerEvent => ({
  type: 'VisitRecorded',
  data: {
    customerId: id,
    visitId,
    repId: 'rep-1',
    level: 1,
    channel: 'phone',
    purpose: 'care',
    reached: true,
    summary: 'called',
    visitedOn: '2026-03-01',
    serviceRepId: 'rep-1',
    ...extra,
  },
});
const issueRaised: CustomerEvent = {
  type: 'IssueRaised',
  data: { customerId: id, issueId: 'iss-1', category: 'platform', description: 'shop page slow', raisedBy: 'rep-1', raisedOn: '2026-03-01' },
};
const issueResolved: CustomerEvent = {
  type: 'IssueResolved',
  data: { customerId: id, issueId: 'iss-1', resolution: 'cache fixed', resolvedBy: 'rep-1', resolvedOn: '2026-03-02' },
};
const churned: CustomerEvent = {
  type: 'CustomerChurned',
  data: { customerId: id, kind: 'lapsed', termEnd: '2026-12-31', churnedOn: '2027-01-15' },
};

const cmd = <T extends CustomerCommand['type']>(type: T, data: Omit<Extract<CustomerCommand, { type: T }>['data'], keyof typeof base> & Partial<typeof base>) =>
  ({ type, data: { ...base, ...data } }) as unknown as CustomerCommand;

describe('customer decider', () => {
  describe('SignCustomer', () => {
    const sign = (over: Record<string, unknown> = {}) =>
      cmd('SignCustomer', {
        companyName: signed.type === 'CustomerSigned' ? signed.data.companyName : '',
        contact: { name: 'Li Wei', phone: '+86 571 0000 0000', email: 'li@example.com' },
        industry: 'machinery',
        product: 'bidding',
        contractAmountFen: 1_200_000,
        term: { start: '2026-01-01', end: '2026-12-31' },
        salesRepId: 'sales-1',
        serviceRepId: 'rep-1',
        grade: 'B',
        keyAccount: false,
        on: '2025-12-20',
        ...over,
      } as never);

    it('signs a new customer', () => spec.given([]).when(sign()).then([signed]));
    it('rejects a second signing', () => spec.given([signed]).when(sign()).thenRejects('CUSTOMER_ALREADY_SIGNED'));
    it('rejects a non-positive contract amount', () => spec.given([]).when(sign({ contractAmountFen: 0 })).thenRejects('AMOUNT_NOT_POSITIVE'));
    it('rejects a term that ends before it starts', () =>
      spec.given([]).when(sign({ term: { start: '2026-05-01', end: '2026-04-01' } })).thenRejects('TERM_INVALID'));

    const TERM_SHAPE = 'an object with start and end as calendar dates (YYYY-MM-DD)';
    const CONTACT_SHAPE = 'an object with a name and a phone (and optionally an email)';
    it.each([[[]], [null], [undefined], ['2026'], [{ start: '2026-01-01' }], [{ start: '2026-01-01', end: '2026-02-30' }]])(
      'refuses a term that is not a whole term (%j): no event may carry it',
      (term) =>
        spec
          .given([])
          .when(sign({ term }))
          .thenRejectsWith({ code: 'COMMAND_MALFORMED', message: `term must be ${TERM_SHAPE}`, details: { field: 'term', expected: TERM_SHAPE } }),
    );
    it.each([[[]], [null], [undefined], [{ name: 'Li Wei' }], [{ name: ' ', phone: '1' }], [{ name: 'Li Wei', phone: '1', email: 3 }]])(
      'refuses a contact that is not a whole contact (%j)',
      (contact) =>
        spec
          .given([])
          .when(sign({ contact }))
          .thenRejectsWith({ code: 'COMMAND_MALFORMED', message: `contact must be ${CONTACT_SHAPE}`, details: { field: 'contact', expected: CONTACT_SHAPE } }),
    );
    it('takes a contact without an email', () =>
      spec
        .given([])
        .when(sign({ contact: { name: 'Li Wei', phone: '+86 571 0000 0000' } }))
        .then([{ ...signed, data: { ...(signed as Extract<CustomerEvent, { type: 'CustomerSigned' }>).data, contact: { name: 'Li Wei', phone: '+86 571 0000 0000' } } } as CustomerEvent]));
  });

  it('rejects any command on an unknown customer', () =>
    spec.given([]).when(cmd('GradeCustomer', { grade: 'A' })).thenRejects('CUSTOMER_NOT_FOUND'));

  describe('AssignServiceRep', () => {
    it('reassigns, remembering the previous rep', () =>
      spec
        .given([signed])
        .when(cmd('AssignServiceRep', { serviceRepId: 'rep-2', reason: 'rebalance' }))
        .then([
          { type: 'ServiceRepAssigned', data: { customerId: id, serviceRepId: 'rep-2', previousServiceRepId: 'rep-1', reason: 'rebalance', assignedOn: '2026-03-10' } },
        ]));
    it('rejects assigning the rep already assigned', () =>
      spec.given([signed]).when(cmd('AssignServiceRep', { serviceRepId: 'rep-1' })).thenRejects('SERVICE_REP_ALREADY_ASSIGNED'));
  });

  describe('GradeCustomer and SetKeyAccount', () => {
    it('regrades', () =>
      spec.given([signed]).when(cmd('GradeCustomer', { grade: 'A' })).then([{ type: 'CustomerGraded', data: { customerId: id, grade: 'A', previousGrade: 'B' } }]));
    it('does nothing when the grade is unchanged', () => spec.given([signed]).when(cmd('GradeCustomer', { grade: 'B' })).thenNothing());
    it('flags a key account', () =>
      spec.given([signed]).when(cmd('SetKeyAccount', { keyAccount: true })).then([{ type: 'KeyAccountFlagChanged', data: { customerId: id, keyAccount: true } }]));
    it('does nothing when the flag is unchanged', () => spec.given([signed]).when(cmd('SetKeyAccount', { keyAccount: false })).thenNothing());
  });

  describe('RecordVisit', () => {
    const record = (over: Record<string, unknown> = {}) =>
      cmd('RecordVisit', {
        visitId: 'v-9',
        level: 1,
        channel: 'onsite',
        purpose: 'effect_survey',
        reached: true,
        contactRole: 'decision_maker',
        summary: 'reviewed inquiries',
        feedback: 'wants more traffic',
        effect: { calls: 3, inquiries: 5, deals: 1 },
        satisfaction: 4,
        ...over,
      } as never);

    it('records every field, attributed to the responsible service rep', () =>
      spec.given([signed]).when(record()).then([
        {
          type: 'VisitRecorded',
          data: {
            customerId: id,
            visitId: 'v-9',
            repId: 'rep-1',
            level: 1,
            channel: 'onsite',
            purpose: 'effect_survey',
            reached: true,
            contactRole: 'decision_maker',
            summary: 'reviewed inquiries',
            feedback: 'wants more traffic',
            effect: { calls: 3, inquiries: 5, deals: 1 },
            satisfaction: 4,
            visitedOn: '2026-03-10',
            serviceRepId: 'rep-1',
          },
        },
      ]));

    it('records a supervisor level-2 verification visit with the service rep it verifies', () => {
      const outcome = decideCustomer(record({ level: 2, actorId: 'sup-1' }) as CustomerCommand, evolveCustomer(initialCustomerState, signed));
      expect(outcome).toEqual([expect.objectContaining({ data: expect.objectContaining({ level: 2, repId: 'sup-1', serviceRepId: 'rep-1' }) })]);
    });

    it('schedules the next follow-up and completes follow-ups due by the visit date', () =>
      spec
        .given([
          signed,
          { type: 'FollowUpScheduled', data: { customerId: id, followUpId: 'f-due', dueOn: '2026-03-09', repId: 'rep-1' } },
          { type: 'FollowUpScheduled', data: { customerId: id, followUpId: 'f-later', dueOn: '2026-04-01', repId: 'rep-1' } },
        ])
        .when(record({ satisfaction: undefined, effect: undefined, feedback: undefined, nextFollowUpOn: '2026-03-24', followUpId: 'f-new' }))
        .then([
          expect.objectContaining({ type: 'VisitRecorded' }),
          { type: 'FollowUpCompleted', data: { customerId: id, followUpId: 'f-due', visitId: 'v-9', completedOn: '2026-03-10' } },
          { type: 'FollowUpScheduled', data: { customerId: id, followUpId: 'f-new', dueOn: '2026-03-24', repId: 'rep-1', visitId: 'v-9' } },
        ]));

    it('does not complete follow-ups when the customer was not reached', () => {
      const outcome = decideCustomer(
        record({ reached: false, satisfaction: undefined }) as CustomerCommand,
        [signed, { type: 'FollowUpScheduled', data: { customerId: id, followUpId: 'f-due', dueOn: '2026-03-09', repId: 'rep-1' } } as CustomerEvent].reduce(
          evolveCustomer,
          initialCustomerState,
        ),
      );
      expect((outcome as CustomerEvent[]).map((e) => e.type)).toEqual(['VisitRecorded']);
    });

    const EFFECT_SHAPE = 'an object with calls, inquiries and deals as whole numbers of 0 or more';
    it.each([[[]], [null], [{}], [{ calls: 1, inquiries: 1 }], [{ calls: -1, inquiries: 0, deals: 0 }], [{ calls: 0.5, inquiries: 0, deals: 0 }], [{ calls: '1', inquiries: 0, deals: 0 }]])(
      'refuses an effect that is not a whole effect (%j)',
      (effect) =>
        spec
          .given([signed])
          .when(record({ effect }))
          .thenRejectsWith({ code: 'COMMAND_MALFORMED', message: `effect must be ${EFFECT_SHAPE}`, details: { field: 'effect', expected: EFFECT_SHAPE } }),
    );
    it('takes an effect of zeros', () => {
      const outcome = decideCustomer(record({ effect: { calls: 0, inquiries: 0, deals: 0 } }) as CustomerCommand, evolveCustomer(initialCustomerState, signed));
      expect((outcome as readonly CustomerEvent[]).map((event) => (event.data as { effect?: unknown }).effect)).toStrictEqual([{ calls: 0, inquiries: 0, deals: 0 }]);
    });
    it('rejects a visit id recorded before', () => spec.given([signed, visit('v-9')]).when(record()).thenRejects('VISIT_ALREADY_RECORDED'));
    it('rejects a satisfaction score when nobody was reached', () =>
      spec.given([signed]).when(record({ reached: false })).thenRejects('SATISFACTION_REQUIRES_CONTACT'));
    it('rejects a next follow-up that is not after the visit', () =>
      spec.given([signed]).when(record({ nextFollowUpOn: '2026-03-10' })).thenRejects('DATE_NOT_IN_FUTURE'));
    it('rejects a follow-up id already used', () =>
      spec
        .given([signed, { type: 'FollowUpScheduled', data: { customerId: id, followUpId: 'f-1', dueOn: '2026-03-20', repId: 'rep-1' } }])
        .when(record({ nextFollowUpOn: '2026-03-24', followUpId: 'f-1' }))
        .thenRejects('FOLLOW_UP_ALREADY_RECORDED'));
  });

  describe('ScheduleFollowUp', () => {
    it('schedules', () =>
      spec.given([signed]).when(cmd('ScheduleFollowUp', { followUpId: 'f-1', dueOn: '2026-03-20', note: 'check leads' })).then([
        { type: 'FollowUpScheduled', data: { customerId: id, followUpId: 'f-1', dueOn: '2026-03-20', repId: 'rep-1', note: 'check leads' } },
      ]));
    it('rejects a date in the past', () =>
      spec.given([signed]).when(cmd('ScheduleFollowUp', { followUpId: 'f-1', dueOn: '2026-03-01' })).thenRejects('DATE_NOT_IN_FUTURE'));
    it('rejects a duplicate id', () =>
      spec
        .given([signed, { type: 'FollowUpScheduled', data: { customerId: id, followUpId: 'f-1', dueOn: '2026-03-20', repId: 'rep-1' } }])
        .when(cmd('ScheduleFollowUp', { followUpId: 'f-1', dueOn: '2026-03-21' }))
        .thenRejects('FOLLOW_UP_ALREADY_RECORDED'));
  });

  describe('issues: raised → resolved → communicated', () => {
    it('raises an issue from a visit', () =>
      spec.given([signed, visit('v-1')]).when(cmd('RaiseIssue', { issueId: 'iss-1', category: 'technical', description: 'login fails', visitId: 'v-1' })).then([
        {
          type: 'IssueRaised',
          data: { customerId: id, issueId: 'iss-1', category: 'technical', description: 'login fails', raisedBy: 'rep-1', visitId: 'v-1', raisedOn: '2026-03-10' },
        },
      ]));
    it('rejects an unknown visit', () =>
      spec.given([signed]).when(cmd('RaiseIssue', { issueId: 'iss-1', category: 'other', description: 'x', visitId: 'v-x' })).thenRejects('VISIT_NOT_FOUND'));
    it('rejects a duplicate issue id', () =>
      spec.given([signed, issueRaised]).when(cmd('RaiseIssue', { issueId: 'iss-1', category: 'other', description: 'x' })).thenRejects('ISSUE_ALREADY_RECORDED'));
    it('resolves an open issue', () =>
      spec.given([signed, issueRaised]).when(cmd('ResolveIssue', { issueId: 'iss-1', resolution: 'cache fixed' })).then([
        { type: 'IssueResolved', data: { customerId: id, issueId: 'iss-1', resolution: 'cache fixed', resolvedBy: 'rep-1', resolvedOn: '2026-03-10' } },
      ]));
    it('rejects resolving an unknown issue', () =>
      spec.given([signed]).when(cmd('ResolveIssue', { issueId: 'nope', resolution: 'x' })).thenRejects('ISSUE_NOT_FOUND'));
    it('rejects resolving twice', () =>
      spec.given([signed, issueRaised, issueResolved]).when(cmd('ResolveIssue', { issueId: 'iss-1', resolution: 'x' })).thenRejects('ISSUE_ALREADY_RESOLVED'));
    it('communicates a resolution, which closes the issue', () =>
      spec.given([signed, issueRaised, issueResolved]).when(cmd('CommunicateIssueResolution', { issueId: 'iss-1', channel: 'phone' })).then([
        { type: 'IssueResolutionCommunicated', data: { customerId: id, issueId: 'iss-1', channel: 'phone', communicatedBy: 'rep-1', communicatedOn: '2026-03-10' } },
      ]));
    it('rejects communicating before resolving', () =>
      spec.given([signed, issueRaised]).when(cmd('CommunicateIssueResolution', { issueId: 'iss-1', channel: 'phone' })).thenRejects('ISSUE_NOT_RESOLVED'));
    it('rejects communicating an unknown issue', () =>
      spec.given([signed]).when(cmd('CommunicateIssueResolution', { issueId: 'x', channel: 'phone' })).thenRejects('ISSUE_NOT_FOUND'));
    it('rejects communicating twice', () =>
      spec
        .given([
          signed,
          issueRaised,
          issueResolved,
          { type: 'IssueResolutionCommunicated', data: { customerId: id, issueId: 'iss-1', channel: 'phone', communicatedBy: 'rep-1', communicatedOn: '2026-03-03' } },
        ])
        .when(cmd('CommunicateIssueResolution', { issueId: 'iss-1', channel: 'email' }))
        .thenRejects('ISSUE_ALREADY_CLOSED'));
  });

  describe('complaints', () => {
    const filed: CustomerEvent = {
      type: 'ComplaintFiled',
      data: { customerId: id, complaintId: 'c-1', category: 'service', description: 'rep never calls', againstRepId: 'rep-1', filedBy: 'sup-1', filedOn: '2026-03-01' },
    };
    it('files', () =>
      spec
        .given([signed])
        .when(cmd('FileComplaint', { complaintId: 'c-1', category: 'service', description: 'rep never calls', againstRepId: 'rep-1', actorId: 'sup-1', on: '2026-03-01' }))
        .then([filed]));
    it('rejects a duplicate complaint', () =>
      spec.given([signed, filed]).when(cmd('FileComplaint', { complaintId: 'c-1', category: 'other', description: 'x' })).thenRejects('COMPLAINT_ALREADY_RECORDED'));
    it('resolves', () =>
      spec.given([signed, filed]).when(cmd('ResolveComplaint', { complaintId: 'c-1', resolution: 'rep replaced' })).then([
        { type: 'ComplaintResolved', data: { customerId: id, complaintId: 'c-1', resolution: 'rep replaced', resolvedBy: 'rep-1', resolvedOn: '2026-03-10' } },
      ]));
    it('rejects resolving an unknown complaint', () =>
      spec.given([signed]).when(cmd('ResolveComplaint', { complaintId: 'c-9', resolution: 'x' })).thenRejects('COMPLAINT_NOT_FOUND'));
    it('rejects resolving twice', () =>
      spec
        .given([signed, filed, { type: 'ComplaintResolved', data: { customerId: id, complaintId: 'c-1', resolution: 'x', resolvedBy: 'sup-1', resolvedOn: '2026-03-02' } }])
        .when(cmd('ResolveComplaint', { complaintId: 'c-1', resolution: 'y' }))
        .thenRejects('COMPLAINT_ALREADY_RESOLVED'));
  });

  describe('IntroduceBuyer', () => {
    it('introduces a buyer', () =>
      spec.given([signed]).when(cmd('IntroduceBuyer', { introductionId: 'b-1', buyerName: 'Ningbo Pumps' })).then([
        { type: 'BuyerIntroduced', data: { customerId: id, introductionId: 'b-1', buyerName: 'Ningbo Pumps', introducedBy: 'rep-1', introducedOn: '2026-03-10' } },
      ]));
    it('rejects a duplicate introduction', () =>
      spec
        .given([signed, { type: 'BuyerIntroduced', data: { customerId: id, introductionId: 'b-1', buyerName: 'x', introducedBy: 'rep-1', introducedOn: '2026-03-01' } }])
        .when(cmd('IntroduceBuyer', { introductionId: 'b-1', buyerName: 'y' }))
        .thenRejects('INTRODUCTION_ALREADY_RECORDED'));
  });

  describe('SendRenewalReminder', () => {
    it('records how many days before term end it was sent', () =>
      spec.given([signed]).when(cmd('SendRenewalReminder', { reminderId: 'r-1', channel: 'phone', on: '2026-12-01' })).then([
        { type: 'RenewalReminderSent', data: { customerId: id, reminderId: 'r-1', channel: 'phone', termEnd: '2026-12-31', daysBeforeTermEnd: 30, sentBy: 'rep-1', sentOn: '2026-12-01' } },
      ]));
    it('rejects a reminder to a churned customer', () =>
      spec.given([signed, churned]).when(cmd('SendRenewalReminder', { reminderId: 'r-1', channel: 'phone' })).thenRejects('CUSTOMER_CHURNED'));
    it('rejects a duplicate reminder id', () =>
      spec
        .given([signed, { type: 'RenewalReminderSent', data: { customerId: id, reminderId: 'r-1', channel: 'sms', termEnd: '2026-12-31', daysBeforeTermEnd: 20, sentBy: 'rep-1', sentOn: '2026-12-11' } }])
        .when(cmd('SendRenewalReminder', { reminderId: 'r-1', channel: 'phone' }))
        .thenRejects('REMINDER_ALREADY_RECORDED'));
  });

  describe('CollectRenewal', () => {
    const collect = (over: Record<string, unknown> = {}) =>
      cmd('CollectRenewal', { amountFen: 1_300_000, newTerm: { start: '2027-01-01', end: '2027-12-31' }, paymentReference: 'PAY-001', on: '2027-01-10', ...over } as never);
    const renewed: CustomerEvent = {
      type: 'RenewalCollected',
      data: {
        customerId: id,
        amountFen: 1_300_000,
        paymentReference: 'PAY-001',
        previousTerm: { start: '2026-01-01', end: '2026-12-31' },
        newTerm: { start: '2027-01-01', end: '2027-12-31' },
        collectedBy: 'rep-1',
        serviceRepId: 'rep-1',
        salesRepId: 'sales-1',
        collectedOn: '2027-01-10',
        daysAfterTermEnd: 10,
        winBack: false,
      },
    };
    it('collects a renewal with the days after term end and the reps to credit', () => spec.given([signed]).when(collect()).then([renewed]));
    it('rejects a payment reference already recorded for this customer', () =>
      spec.given([signed, renewed]).when(collect({ newTerm: { start: '2028-01-01', end: '2028-12-31' } })).thenRejects('PAYMENT_REFERENCE_ALREADY_USED'));
    it.each(['pay-001', 'PAY‐001', 'ＰＡＹ－００１', 'PAY-001\u200b', ' \u200bPAY-001 '])('rejects %j: the same payment as PAY-001, already recorded', (paymentReference) =>
      spec
        .given([signed, renewed])
        .when(collect({ paymentReference, newTerm: { start: '2028-01-01', end: '2028-12-31' } }))
        .thenRejectsWith({ code: 'PAYMENT_REFERENCE_ALREADY_USED', message: `Payment reference ${paymentReference} is already recorded`, details: { paymentReference } }),
    );
    it.each(['', '   ', '\t', '\u200b\u200d'])('refuses a payment reference with nothing visible (%j)', (paymentReference) =>
      spec
        .given([signed])
        .when(collect({ paymentReference }))
        .thenRejectsWith({
          code: 'COMMAND_MALFORMED',
          message: 'paymentReference must be a payment reference with visible characters',
          details: { field: 'paymentReference', expected: 'a payment reference with visible characters' },
        }),
    );
    it('rejects a non-positive amount', () => spec.given([signed]).when(collect({ amountFen: 0 })).thenRejects('AMOUNT_NOT_POSITIVE'));
    it('rejects an invalid new term', () =>
      spec.given([signed]).when(collect({ newTerm: { start: '2027-12-31', end: '2027-01-01' } })).thenRejects('TERM_INVALID'));
    it.each([[[]], [null], [undefined], [{ end: '2027-12-31' }]])('refuses a new term that is not a whole term (%j), before any reservation', (newTerm) => {
      const expected = 'an object with start and end as calendar dates (YYYY-MM-DD)';
      spec
        .given([signed])
        .when(collect({ newTerm }))
        .thenRejectsWith({ code: 'COMMAND_MALFORMED', message: `newTerm must be ${expected}`, details: { field: 'newTerm', expected } });
    });
    it('rejects a new term that does not extend the current one', () =>
      spec.given([signed]).when(collect({ newTerm: { start: '2026-01-01', end: '2027-06-30' } })).thenRejects('RENEWAL_TERM_NOT_AFTER_CURRENT'));
    it('is a win-back after churn, and makes the customer active again', () => {
      const state = [signed, churned].reduce(evolveCustomer, initialCustomerState);
      const outcome = decideCustomer(collect({ on: '2027-03-01' }) as CustomerCommand, state) as CustomerEvent[];
      expect(outcome[0]).toMatchObject({ type: 'RenewalCollected', data: { winBack: true, daysAfterTermEnd: 60 } });
      expect(evolveCustomer(state, outcome[0]!).status).toBe('active');
    });
  });

  describe('RecordChurn', () => {
    it('records a lapse after the term ended', () =>
      spec.given([signed]).when(cmd('RecordChurn', { kind: 'lapsed', on: '2027-01-15' })).then([churned]));
    it('rejects a lapse before the term ended', () =>
      spec.given([signed]).when(cmd('RecordChurn', { kind: 'lapsed', on: '2026-12-31' })).thenRejects('TERM_NOT_ENDED'));
    it('records a cancellation at any time', () =>
      spec.given([signed]).when(cmd('RecordChurn', { kind: 'cancelled', reason: 'closed business' })).then([
        { type: 'CustomerChurned', data: { customerId: id, kind: 'cancelled', reason: 'closed business', termEnd: '2026-12-31', churnedOn: '2026-03-10' } },
      ]));
    it('rejects churning twice', () =>
      spec.given([signed, churned]).when(cmd('RecordChurn', { kind: 'cancelled' })).thenRejects('CUSTOMER_ALREADY_CHURNED'));
  });
});
