import { catchUpLine } from './progress';

const status = (name: string, lagEvents: number, eventsPerSecond: number | null, state: 'live' | 'catching_up' | 'failed' = 'catching_up') => ({ name, state, lagEvents, eventsPerSecond, head: '128450' });

describe('the projector’s catch-up line', () => {
  it('names the projection furthest behind, its rate and the time left, and how many are behind', () => {
    expect(catchUpLine([status('staff', 0, 0, 'live'), status('churn_risk', 45_000, 9_000), status('rep_kpis', 1_000, 20_000)])).toBe(
      'Catching up with the log (head 128450): churn_risk is 45,000 events behind at 9,000 events/s, about 5 s left (2 of 3 projections behind)',
    );
  });

  it('gives minutes past 90 s, and no time left without a rate', () => {
    expect(catchUpLine([status('churn_risk', 600_000, 5_000)])).toBe('Catching up with the log (head 128450): churn_risk is 600,000 events behind at 5,000 events/s, about 2 min left');
    expect(catchUpLine([status('churn_risk', 10, 0)])).toBe('Catching up with the log (head 128450): churn_risk is 10 events behind at 0 events/s');
  });

  it('says nothing once every running projection is level with the log, nor for a stopped one', () => {
    expect(catchUpLine([status('staff', 0, 100, 'live'), status('churn_risk', 0, 0, 'live')])).toBeNull();
    expect(catchUpLine([status('churn_risk', 500, 0, 'failed')])).toBeNull();
    expect(catchUpLine([])).toBeNull();
  });
});
