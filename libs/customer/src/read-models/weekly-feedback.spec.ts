import { facts, issue, OTHER_REP, visit } from '#testing';
import { weeklyFeedback } from './weekly-feedback';

/**
 * The week of Monday 2026-06-15 to Sunday 2026-06-21.
 * c-1 (rep-1): i-0 billing raised 06-01, resolved 06-16, never told; i-1 platform raised in visit v-a 06-16, resolved
 * 06-17, told 06-18; i-2 content raised 06-19, open; i-3 platform raised 06-10, resolved 06-12, told 06-15; i-4 raised
 * next week. Visits: v-a 06-16 and v-b 06-17 with feedback, v-c 06-17 without, v-old 06-12 (last week) with.
 * c-2 (rep-2): visit v-d 06-20 with feedback raised i-5 promotion (open) and i-6 platform (resolved 06-21).
 */
const c1 = facts({
  visits: [
    visit('2026-06-12', { visitId: 'v-old', feedback: 'Asked for a training' }),
    visit('2026-06-16', { visitId: 'v-a', feedback: 'Inquiries show late in the back office', satisfaction: 3 }),
    visit('2026-06-17', { visitId: 'v-b', feedback: 'Happy with the training', satisfaction: 5 }),
    visit('2026-06-17', { visitId: 'v-c' }),
  ],
  issues: [
    issue('2026-06-01', { issueId: 'i-0', category: 'billing', description: 'Invoice twice', resolvedOn: '2026-06-16', resolvedBy: 'ops' }),
    issue('2026-06-16', { issueId: 'i-1', visitId: 'v-a', resolvedOn: '2026-06-17', resolvedBy: 'ops', communicatedOn: '2026-06-18', communicatedBy: 'rep-1' }),
    issue('2026-06-19', { issueId: 'i-2', category: 'content' }),
    issue('2026-06-10', { issueId: 'i-3', resolvedOn: '2026-06-12', resolvedBy: 'ops', communicatedOn: '2026-06-15', communicatedBy: 'rep-1' }),
    issue('2026-06-22', { issueId: 'i-4', category: 'other' }),
  ],
});
const c2 = facts({
  id: 'c-2',
  companyName: 'Ningbo Valves',
  serviceRepId: OTHER_REP,
  assignments: [{ repId: OTHER_REP, from: '2026-01-01' }],
  visits: [visit('2026-06-20', { visitId: 'v-d', repId: OTHER_REP, serviceRepId: OTHER_REP, feedback: 'Ads cost too much, pages load slowly' })],
  issues: [
    issue('2026-06-20', { issueId: 'i-5', category: 'promotion', visitId: 'v-d', raisedBy: OTHER_REP }),
    issue('2026-06-20', { issueId: 'i-6', category: 'platform', visitId: 'v-d', raisedBy: OTHER_REP, resolvedOn: '2026-06-21', resolvedBy: 'ops' }),
  ],
});

const zero = { raised: 0, raisedResolved: 0, raisedCommunicated: 0, raisedOpen: 0, resolvedInWeek: 0, communicatedInWeek: 0, backlog: 0, backlogAwaitingResolution: 0, backlogAwaitingCommunication: 0, oldestBacklogDays: null };

describe('weeklyFeedback', () => {
  const report = weeklyFeedback([c1, c2], '2026-06-18');

  it('counts the whole ISO week holding the day when no earlier asOf is given', () => {
    expect(report.week).toEqual({ from: '2026-06-15', to: '2026-06-21' });
    expect(report.through).toBe('2026-06-21');
    expect(report.complete).toBe(true);
    expect(weeklyFeedback([c1, c2], '2026-06-15', '2026-07-01').through).toBe('2026-06-21');
  });

  it('counts issues per category: raised in the week and their status, resolved and told in the week, the backlog with its oldest age', () => {
    expect(report.categories).toEqual([
      // i-1 and i-6 raised; both resolved; i-1 told; i-1 (06-17) and i-6 (06-21) resolved and i-1 (06-18), i-3 (06-15) told this week; i-6 awaits telling, 1 day old.
      { category: 'platform', raised: 2, raisedResolved: 2, raisedCommunicated: 1, raisedOpen: 1, resolvedInWeek: 2, communicatedInWeek: 2, backlog: 1, backlogAwaitingResolution: 0, backlogAwaitingCommunication: 1, oldestBacklogDays: 1 },
      // i-2 raised 06-19 and open: 2 days old on Sunday.
      { category: 'content', raised: 1, raisedResolved: 0, raisedCommunicated: 0, raisedOpen: 1, resolvedInWeek: 0, communicatedInWeek: 0, backlog: 1, backlogAwaitingResolution: 1, backlogAwaitingCommunication: 0, oldestBacklogDays: 2 },
      { category: 'promotion', raised: 1, raisedResolved: 0, raisedCommunicated: 0, raisedOpen: 1, resolvedInWeek: 0, communicatedInWeek: 0, backlog: 1, backlogAwaitingResolution: 1, backlogAwaitingCommunication: 0, oldestBacklogDays: 1 },
      // i-0 raised earlier, resolved this week, never told: 20 days old (06-01 → 06-21).
      { category: 'billing', raised: 0, raisedResolved: 0, raisedCommunicated: 0, raisedOpen: 0, resolvedInWeek: 1, communicatedInWeek: 0, backlog: 1, backlogAwaitingResolution: 0, backlogAwaitingCommunication: 1, oldestBacklogDays: 20 },
      { category: 'technical', ...zero },
      // i-4 is raised the week after: not counted.
      { category: 'other', ...zero },
    ]);
    expect(report.totals).toEqual({
      raised: 4, raisedResolved: 2, raisedCommunicated: 1, raisedOpen: 3, resolvedInWeek: 3, communicatedInWeek: 2,
      backlog: 4, backlogAwaitingResolution: 2, backlogAwaitingCommunication: 2, oldestBacklogDays: 20,
    });
  });

  it('lists the feedback of the week by day, filed under the categories of the issues its visit raised, else general', () => {
    expect(report.feedback).toEqual([
      {
        day: '2026-06-16', customerId: 'c-1', companyName: 'Kangyu Air Services', visitId: 'v-a', repId: 'rep-1', serviceRepId: 'rep-1', level: 1,
        satisfaction: 3, categories: ['platform'], issueIds: ['i-1'], feedback: 'Inquiries show late in the back office',
      },
      {
        day: '2026-06-17', customerId: 'c-1', companyName: 'Kangyu Air Services', visitId: 'v-b', repId: 'rep-1', serviceRepId: 'rep-1', level: 1,
        satisfaction: 5, categories: ['general'], issueIds: [], feedback: 'Happy with the training',
      },
      {
        day: '2026-06-20', customerId: 'c-2', companyName: 'Ningbo Valves', visitId: 'v-d', repId: 'rep-2', serviceRepId: 'rep-2', level: 1,
        satisfaction: null, categories: ['platform', 'promotion'], issueIds: ['i-5', 'i-6'], feedback: 'Ads cost too much, pages load slowly',
      },
    ]);
  });

  it('lists the issues raised in the week by category with descriptions, and the backlog oldest first with ages', () => {
    expect(report.issuesRaised.map((i) => [i.issueId, i.category, i.status, i.ageDays])).toEqual([
      ['i-1', 'platform', 'communicated', 5],
      ['i-6', 'platform', 'resolved', 1],
      ['i-2', 'content', 'open', 2],
      ['i-5', 'promotion', 'open', 1],
    ]);
    expect(report.issuesRaised[0]).toEqual({
      issueId: 'i-1', customerId: 'c-1', companyName: 'Kangyu Air Services', serviceRepId: 'rep-1', category: 'platform',
      description: 'Inquiries do not show in the back office', visitId: 'v-a', raisedOn: '2026-06-16', raisedBy: 'rep-1',
      status: 'communicated', resolvedOn: '2026-06-17', communicatedOn: '2026-06-18', ageDays: 5,
    });
    expect(report.backlog.map((i) => [i.issueId, i.status, i.ageDays, i.serviceRepId])).toEqual([
      ['i-0', 'resolved', 20, 'rep-1'],
      ['i-2', 'open', 2, 'rep-1'],
      ['i-5', 'open', 1, 'rep-2'],
      ['i-6', 'resolved', 1, 'rep-2'],
    ]);
  });

  it('counts a running week only up to asOf, as it stood that day', () => {
    const midweek = weeklyFeedback([c1, c2], '2026-06-21', '2026-06-17');
    expect(midweek).toMatchObject({ week: { from: '2026-06-15', to: '2026-06-21' }, through: '2026-06-17', complete: false });
    // Known by 06-17: i-0 (resolved 06-16), i-1 (resolved 06-17, told only on 06-18), i-3 (told 06-15); c-2's issues come later.
    expect(midweek.totals).toEqual({
      raised: 1, raisedResolved: 1, raisedCommunicated: 0, raisedOpen: 1, resolvedInWeek: 2, communicatedInWeek: 1,
      backlog: 2, backlogAwaitingResolution: 0, backlogAwaitingCommunication: 2, oldestBacklogDays: 16,
    });
    expect(midweek.feedback.map((f) => f.visitId)).toEqual(['v-a', 'v-b']);
    expect(midweek.backlog.find((i) => i.issueId === 'i-1')).toMatchObject({ status: 'resolved', resolvedOn: '2026-06-17', communicatedOn: null, ageDays: 1 });
  });

  it('leaves out customers signed after the counted days and refuses an asOf before the week', () => {
    expect(weeklyFeedback([facts({ signedOn: '2026-06-22', issues: [issue('2026-06-16')] })], '2026-06-16').totals).toEqual(zero);
    expect(() => weeklyFeedback([c1], '2026-06-16', '2026-06-14')).toThrow('asOf 2026-06-14 is before the week starting 2026-06-15');
  });
});
