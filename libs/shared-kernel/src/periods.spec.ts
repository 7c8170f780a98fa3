import { eachDay, entryAt, isoWeekday, monthEnd, periodBounds, weekEnd, weekStart } from './periods';

describe('periods: ISO weeks from Monday, calendar months', () => {
  it('numbers weekdays Monday 1 to Sunday 7', () => {
    expect(isoWeekday('2026-03-02')).toBe(1);
    expect(isoWeekday('2026-03-06')).toBe(5);
    expect(isoWeekday('2026-03-07')).toBe(6);
    expect(isoWeekday('2026-03-08')).toBe(7);
  });

  it('finds the Monday and Sunday of a week, across month and year ends', () => {
    expect(weekStart('2026-03-02')).toBe('2026-03-02');
    expect(weekStart('2026-03-08')).toBe('2026-03-02');
    expect(weekEnd('2026-03-02')).toBe('2026-03-08');
    expect(weekStart('2026-01-01')).toBe('2025-12-29');
    expect(weekEnd('2025-12-29')).toBe('2026-01-04');
  });

  it('bounds a day, a week and a month', () => {
    expect(periodBounds({ kind: 'day', of: '2026-03-11' })).toEqual({ kind: 'day', from: '2026-03-11', to: '2026-03-11' });
    expect(periodBounds({ kind: 'week', of: '2026-03-11' })).toEqual({ kind: 'week', from: '2026-03-09', to: '2026-03-15' });
    expect(periodBounds({ kind: 'month', of: '2026-03-11' })).toEqual({ kind: 'month', from: '2026-03-01', to: '2026-03-31' });
  });

  it('ends February on the 28th or, in a leap year, the 29th, and December on the 31st', () => {
    expect(monthEnd('2026-02-10')).toBe('2026-02-28');
    expect(monthEnd('2024-02-10')).toBe('2024-02-29');
    expect(periodBounds({ kind: 'month', of: '2026-12-31' })).toEqual({ kind: 'month', from: '2026-12-01', to: '2026-12-31' });
  });

  it('lists the days of a range, inclusive, and nothing for an inverted range', () => {
    expect(eachDay('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(eachDay('2026-03-02', '2026-03-01')).toEqual([]);
  });

  it('reads the entry of a dated history in force on a day', () => {
    const history = [
      { repId: 'rep-1', from: '2026-01-01' },
      { repId: 'rep-2', from: '2026-03-04' },
    ];
    expect(entryAt(history, '2025-12-31')).toBeUndefined();
    expect(entryAt(history, '2026-03-03')?.repId).toBe('rep-1');
    expect(entryAt(history, '2026-03-04')?.repId).toBe('rep-2');
  });
});
