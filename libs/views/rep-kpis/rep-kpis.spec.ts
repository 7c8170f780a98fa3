import { DEFAULT_SERVICE_RULES as rules, periodBounds, type ServiceRules } from '#shared-kernel';
import { repDay, served, workloadDay } from './rep-kpis.fixtures';
import { dailyTargets, repKpis, workloadScore } from './rep-kpis';
import type { RepDayDoc } from '#staff';

const rep = { id: 'rep-1', role: 'service' as const };
const week = periodBounds({ kind: 'week', of: '2026-03-04' });
const march = periodBounds({ kind: 'month', of: '2026-03-04' });
const kpis = (period: typeof week, days: RepDayDoc[], withRules: ServiceRules = rules, role: 'service' | 'supervisor' | 'sales' = 'service') =>
  repKpis({ rep: { ...rep, role }, period, days, customers: [], rules: withRules });

describe('rep KPIs from the day documents', () => {
  it('sums calls, contacts, visits and level-2 visits, and unions the customers served, over the rep’s days in the period', () => {
    const days = [
      repDay('rep-1', '2026-03-02', { phoneCalls: 12, contacts: 6, visits: 14, levelTwoVisits: 1, customersServed: ['c-1', 'c-2', 'c-3'] }),
      repDay('rep-1', '2026-03-03', { phoneCalls: 8, contacts: 4, visits: 9, customersServed: ['c-2', 'c-4'] }),
      repDay('rep-2', '2026-03-03', { phoneCalls: 50, contacts: 50, visits: 50, customersServed: ['c-9'] }),
      repDay('rep-1', '2026-03-09', { phoneCalls: 30, contacts: 30, visits: 30, customersServed: ['c-8'] }),
    ];
    const result = kpis(week, days);
    expect(result).toMatchObject({ repId: 'rep-1', period: { kind: 'week', from: '2026-03-02', to: '2026-03-08' } });
    expect([result.calls, result.contacts, result.visits, result.levelTwoVisits, result.distinctCustomersServed]).toEqual([20, 10, 23, 1, 4]);
  });

  it('judges each working day against 5 customers served and 10 calls, and leaves the weekend out', () => {
    const days = [
      repDay('rep-1', '2026-03-02', { customersServed: served(5), phoneCalls: 10 }),
      repDay('rep-1', '2026-03-03', { customersServed: served(4), phoneCalls: 10 }),
      repDay('rep-1', '2026-03-04', { customersServed: served(5), phoneCalls: 9 }),
      repDay('rep-1', '2026-03-06', { customersServed: served(4), phoneCalls: 9 }),
      repDay('rep-1', '2026-03-07', { customersServed: served(6), phoneCalls: 12 }),
    ];
    const { dailyTargets } = kpis(week, days);
    expect(dailyTargets.days).toEqual([
      { day: '2026-03-02', customersServed: 5, phoneCalls: 10, customersServedMet: true, phoneCallsMet: true },
      { day: '2026-03-03', customersServed: 4, phoneCalls: 10, customersServedMet: false, phoneCallsMet: true },
      { day: '2026-03-04', customersServed: 5, phoneCalls: 9, customersServedMet: true, phoneCallsMet: false },
      { day: '2026-03-05', customersServed: 0, phoneCalls: 0, customersServedMet: false, phoneCallsMet: false },
      { day: '2026-03-06', customersServed: 4, phoneCalls: 9, customersServedMet: false, phoneCallsMet: false },
    ]);
    expect(dailyTargets.summary).toEqual({ workingDays: 5, customersServedMet: 2, phoneCallsMet: 2, bothMet: 1 });
  });

  it('has no working day to judge on a Saturday, unless the rules make Saturday a working day', () => {
    const saturday = periodBounds({ kind: 'day', of: '2026-03-07' });
    const days = [repDay('rep-1', '2026-03-07', { customersServed: served(6), phoneCalls: 12 })];
    expect(kpis(saturday, days).dailyTargets).toEqual({ days: [], summary: { workingDays: 0, customersServedMet: 0, phoneCallsMet: 0, bothMet: 0 } });
    expect(kpis(saturday, days, { ...rules, workingDays: [1, 2, 3, 4, 5, 6] }).dailyTargets.summary).toEqual({
      workingDays: 1,
      customersServedMet: 1,
      phoneCallsMet: 1,
      bothMet: 1,
    });
  });

  it('counts reminders sent 30 to 15 days before the term end as on time, and the rest as late or early', () => {
    const days = [
      repDay('rep-1', '2026-03-02', { remindersSent: 3, reminderDaysBefore: [30, 15, 14] }),
      repDay('rep-1', '2026-03-05', { remindersSent: 2, reminderDaysBefore: [31, 20] }),
    ];
    expect(kpis(week, days).reminders).toEqual({ sent: 5, onTime: 3, late: 1, early: 1 });
  });
});

describe('workload score (工作量考核): counts × weights, fine or bonus against 500 a month', () => {
  // 100×2 + 20×1 + 10×10 + 10×1 + 3×20 + 10×3 = 420
  const score420 = [
    workloadDay('rep-1', '2026-03-02', { phoneReached: 60, otherContact: 20, onsiteOrMeeting: 4, renewalReminder: 10 }),
    workloadDay('rep-1', '2026-03-20', { phoneReached: 40, onsiteOrMeeting: 6, renewalCollected: 3, resolutionCommunicated: 10 }),
  ];
  // 150×2 + 20×10 + 7×20 = 640
  const score640 = [
    workloadDay('rep-1', '2026-03-10', { phoneReached: 150, onsiteOrMeeting: 10 }),
    workloadDay('rep-1', '2026-03-31', { onsiteOrMeeting: 10, renewalCollected: 7 }),
  ];

  it('scores 420 with points by kind and fines (500 − 420) × 1 CNY = 80 CNY', () => {
    expect(kpis(march, score420).workload).toEqual({
      points: { phoneReached: 200, otherContact: 20, onsiteOrMeeting: 100, renewalReminder: 10, renewalCollected: 60, resolutionCommunicated: 30 },
      total: 420,
      fineFen: 8000,
      bonusFen: 0,
    });
  });

  it('scores 640 and pays a bonus of (640 − 500) × 0.3 CNY = 42 CNY', () => {
    expect(kpis(march, score640).workload).toMatchObject({ total: 640, fineFen: 0, bonusFen: 4200 });
  });

  it('neither fines nor pays a bonus at exactly 500', () => {
    const days = [workloadDay('rep-1', '2026-03-02', { phoneReached: 200, onsiteOrMeeting: 10 })];
    expect(kpis(march, days).workload).toMatchObject({ total: 500, fineFen: 0, bonusFen: 0 });
  });

  it('assesses service reps only: a supervisor or a sales rep gets the month’s points without a fine or a bonus', () => {
    const nothing: RepDayDoc[] = [];
    expect(kpis(march, nothing, rules, 'supervisor').workload).toStrictEqual({
      points: { phoneReached: 0, otherContact: 0, onsiteOrMeeting: 0, renewalReminder: 0, renewalCollected: 0, resolutionCommunicated: 0 },
      total: 0,
      fineFen: null,
      bonusFen: null,
    });
    expect(kpis(march, score640, rules, 'sales').workload).toMatchObject({ total: 640, fineFen: null, bonusFen: null });
    expect(kpis(march, nothing, rules, 'service').workload).toMatchObject({ total: 0, fineFen: 50_000, bonusFen: 0 });
  });

  it('leaves fine and bonus to the month: a week reports the score only', () => {
    expect(kpis(week, score420).workload).toMatchObject({ total: 60 * 2 + 20 + 4 * 10 + 10, fineFen: null, bonusFen: null });
  });

  it('multiplies each kind by its own weight', () => {
    const primes = { ...rules, workload: { ...rules.workload, points: { phoneReached: 2, otherContact: 3, onsiteOrMeeting: 5, renewalReminder: 7, renewalCollected: 11, resolutionCommunicated: 13 } } };
    const counts = { phoneReached: 4, otherContact: 4, onsiteOrMeeting: 4, renewalReminder: 4, renewalCollected: 4, resolutionCommunicated: 4 };
    expect(workloadScore(counts, 'week', primes, 'service')).toStrictEqual({
      points: { phoneReached: 8, otherContact: 12, onsiteOrMeeting: 20, renewalReminder: 28, renewalCollected: 44, resolutionCommunicated: 52 },
      total: 164,
      fineFen: null,
      bonusFen: null,
    });
  });

  it('refuses a period kind it does not know, naming it', () => {
    const none = { phoneReached: 0, otherContact: 0, onsiteOrMeeting: 0, renewalReminder: 0, renewalCollected: 0, resolutionCommunicated: 0 };
    expect(() => workloadScore(none, 'year' as never, rules, 'service')).toThrow(new RangeError('Unknown period kind year'));
  });

  it('follows the configured threshold and weights', () => {
    const threshold400 = { ...rules, workload: { ...rules.workload, monthlyThreshold: 400 } };
    expect(kpis(march, score420, threshold400).workload).toMatchObject({ total: 420, fineFen: 0, bonusFen: 600 });
    const onsite15 = { ...rules, workload: { ...rules.workload, points: { ...rules.workload.points, onsiteOrMeeting: 15 } } };
    expect(kpis(march, score420, onsite15).workload).toMatchObject({ total: 470, fineFen: 3000, bonusFen: 0 });
  });
});

describe('daily targets: one row per working day of the period asked for', () => {
  const days = { '2026-03-04': { customersServed: 5, phoneCalls: 9 }, '2026-03-05': { customersServed: 4, phoneCalls: 10 }, '2026-03-06': { customersServed: 6, phoneCalls: 12 } };
  const dayList = (period: { from: string; to: string }) => dailyTargets(days, { kind: 'week', ...period }, rules).days.map((row) => row.day);

  it('judges each day against both targets and sums the days that met each and both', () => {
    expect(dailyTargets(days, week, rules).summary).toStrictEqual({ workingDays: 5, customersServedMet: 2, phoneCallsMet: 2, bothMet: 1 });
    expect(dailyTargets(days, week, rules).days[2]).toStrictEqual({ day: '2026-03-04', customersServed: 5, phoneCalls: 9, customersServedMet: true, phoneCallsMet: false });
  });

  it('gives each period its own days, one asked right after another that shares its first or its last day', () => {
    expect(dayList({ from: '2026-03-02', to: '2026-03-08' })).toStrictEqual(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06']);
    expect(dayList({ from: '2026-03-04', to: '2026-03-08' })).toStrictEqual(['2026-03-04', '2026-03-05', '2026-03-06']);
    expect(dayList({ from: '2026-03-04', to: '2026-03-05' })).toStrictEqual(['2026-03-04', '2026-03-05']);
    expect(dayList({ from: '2026-03-02', to: '2026-03-05' })).toStrictEqual(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05']);
    const saturdays = { ...rules, workingDays: [6] };
    expect(dailyTargets(days, { kind: 'week', from: '2026-03-02', to: '2026-03-05' }, saturdays).days).toStrictEqual([]);
  });
});
