import { contactsInWindow, lastContactOn, type VisitFact } from '#customer';
import { facts, REP } from '#testing';
import { renewalPipelineEntries } from './renewal-pipeline';
import { DEFAULT_SERVICE_RULES } from '#shared-kernel';
import { NEVER } from './renewal-pipeline.doc';
import { nextChangeOn, prunePipelineFacts } from './renewal-pipeline.projection';

const rules = DEFAULT_SERVICE_RULES;
const contact = (on: string, reached = true): VisitFact => ({
  visitId: `v-${on}-${reached}`,
  on,
  repId: REP,
  serviceRepId: REP,
  level: 1,
  channel: 'phone',
  purpose: 'care',
  reached,
  feedback: 'kept in customer_facts only',
});

describe('renewal pipeline facts, pruned for a business day', () => {
  const doc = facts({
    visits: [contact('2026-10-01'), contact('2026-10-20'), contact('2026-11-01'), contact('2026-11-02', false), contact('2026-11-15'), contact('2026-11-30')],
    reminders: [
      { reminderId: 'r-old', on: '2025-12-01', termEnd: '2025-12-31', daysBeforeTermEnd: 30, by: REP, channel: 'phone' },
      { reminderId: 'r-now', on: '2026-11-20', termEnd: '2026-12-31', daysBeforeTermEnd: 41, by: REP, channel: 'phone' },
    ],
  });

  it('keeps the contacts of the window that ends on the day, and the last one before it, without their notes', () => {
    const pruned = prunePipelineFacts(doc, '2026-11-30', rules);
    // The window of 30 days ending 2026-11-30 starts 2026-11-01.
    expect(pruned.visits.map((v) => v.on)).toStrictEqual(['2026-10-20', '2026-11-01', '2026-11-15', '2026-11-30']);
    expect(pruned.visits.every((v) => v.feedback === undefined && v.reached)).toBe(true);
    expect(pruned.reminders.map((r) => r.reminderId)).toStrictEqual(['r-now']);
    expect(pruned.issues).toStrictEqual([]);
  });

  it('answers the day and every later day exactly as the whole facts do', () => {
    const pruned = prunePipelineFacts(doc, '2026-11-30', rules);
    for (const day of ['2026-11-30', '2026-12-01', '2026-12-15', '2027-01-10']) {
      expect(contactsInWindow(pruned, day, rules.expiring.windowDays)).toBe(contactsInWindow(doc, day, rules.expiring.windowDays));
      expect(lastContactOn(pruned, day)).toBe(lastContactOn(doc, day));
      expect(renewalPipelineEntries(pruned, rules, day)).toStrictEqual(renewalPipelineEntries(doc, rules, day));
    }
  });

  it('keeps the reminders of a term that ended on the last day of the grace, and drops the day after', () => {
    const ended = facts({ reminders: [{ reminderId: 'r', on: '2026-12-01', termEnd: '2026-12-31', daysBeforeTermEnd: 30, by: REP, channel: 'phone' }] });
    expect(prunePipelineFacts(ended, '2027-01-30', rules).reminders).toHaveLength(1);
    expect(prunePipelineFacts(ended, '2027-01-31', rules).reminders).toHaveLength(0);
  });
});

describe('the next business day on which a customer must be moved', () => {
  const doc = facts({ terms: [{ start: '2026-01-01', end: '2026-12-31' }] });

  it('is tomorrow while one of its terms is listed', () => {
    expect(nextChangeOn(doc, '2026-12-01', true, rules)).toBe('2026-12-02');
  });

  it('is the day a term comes within the largest window, and never once every date has passed', () => {
    // 90 days before 2026-12-31.
    expect(nextChangeOn(doc, '2026-09-01', false, rules)).toBe('2026-10-02');
    expect(nextChangeOn(doc, '2026-10-01', false, rules)).toBe('2026-10-02');
    expect(nextChangeOn(doc, '2026-10-02', false, rules)).toBe(NEVER);
    expect(nextChangeOn(doc, '2027-03-01', false, rules)).toBe(NEVER);
  });

  it('is the earliest of a later assignment, a renewal taking effect or a churn', () => {
    const later = facts({
      assignments: [{ repId: REP, from: '2026-01-01' }, { repId: 'rep-2', from: '2026-05-01' }],
      terms: [{ start: '2026-01-01', end: '2026-12-31', renewedOn: '2026-04-01' }, { start: '2027-01-01', end: '2027-12-31' }],
      churns: [{ on: '2026-03-01', kind: 'cancelled', termEnd: '2026-12-31' }],
    });
    expect(nextChangeOn(later, '2026-02-01', false, rules)).toBe('2026-03-01');
    expect(nextChangeOn(later, '2026-03-01', false, rules)).toBe('2026-04-01');
    expect(nextChangeOn(later, '2026-04-01', false, rules)).toBe('2026-05-01');
    expect(nextChangeOn(later, '2026-05-01', false, rules)).toBe('2026-10-02');
  });
});
