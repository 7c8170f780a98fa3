import { deciderSpec } from '#testing';
import { DomainError } from '#shared-kernel';
import { calendarDecider, decideCalendar, initialCalendar, type BusinessDayEvent } from './business-day';

const started = (day: string): BusinessDayEvent => ({ type: 'BusinessDayStarted', data: { day, timeZone: 'Asia/Shanghai' } });
const through = (day: string) => ({ type: 'StartBusinessDays' as const, data: { through: day, timeZone: 'Asia/Shanghai' } });
const spec = deciderSpec(calendarDecider);

describe('business calendar decider', () => {
  it('starts only today on an empty calendar', () => spec.given([]).when(through('2026-03-10')).then([started('2026-03-10')]));

  it('starts nothing when today is already started, or the clock went back', () => {
    spec.given([started('2026-03-10')]).when(through('2026-03-10')).thenNothing();
    spec.given([started('2026-03-10')]).when(through('2026-03-09')).thenNothing();
  });

  it('catches up every missed day in order, across a month and a year end', () => {
    spec.given([started('2026-12-30')]).when(through('2027-01-02')).then([started('2026-12-31'), started('2027-01-01'), started('2027-01-02')]);
    spec.given([started('2026-02-27')]).when(through('2026-03-01')).then([started('2026-02-28'), started('2026-03-01')]);
  });

  it('starts the next day alone the day after', () => spec.given([started('2026-03-09'), started('2026-03-10')]).when(through('2026-03-11')).then([started('2026-03-11')]));

  it('refuses a day that is not an ISO day, naming it', () => {
    const outcome = decideCalendar(through('2026-02-30'), initialCalendar);
    expect(outcome).toStrictEqual(new DomainError('INVALID_BUSINESS_DAY', '2026-02-30 is not an ISO day (YYYY-MM-DD)', { field: 'through' }));
  });

  it('never moves the last day back when an older day is folded in', () => {
    expect(calendarDecider.evolve({ lastDay: '2026-03-10' }, started('2026-03-01'))).toStrictEqual({ lastDay: '2026-03-10' });
  });
});
