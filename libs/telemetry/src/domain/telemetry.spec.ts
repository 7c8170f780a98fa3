import { DailySpend, DailyUsage, decideSpend, decideUsage } from './telemetry';

describe('telemetry: one record per customer per day, corrections replace', () => {
  const usage: DailyUsage = {
    customerId: 'c-1',
    day: '2026-03-01',
    logins: 2,
    shopViews: 40,
    adClicks: 7,
    inquiriesReceived: 3,
    inquiriesUnread: 1,
    messagesUnanswered: 0,
  };
  const spend: DailySpend = { customerId: 'c-1', day: '2026-03-01', spendFen: 20_000, clicks: 300, activeKeywords: 3900 };

  it('records the first report of a day', () => {
    expect(decideUsage(usage, [])).toEqual({ outcome: 'recorded', events: [{ type: 'DailyUsageReported', data: usage }] });
    expect(decideSpend(spend, [])).toEqual({ outcome: 'recorded', events: [{ type: 'DailySpendReported', data: spend }] });
  });

  it('treats an identical report as already recorded', () => {
    expect(decideUsage({ ...usage }, [{ type: 'DailyUsageReported', data: usage }])).toEqual({ outcome: 'unchanged', events: [] });
  });

  it('turns a different report for the same day into a correction that carries the full new values', () => {
    const corrected = { ...spend, spendFen: 25_000 };
    expect(decideSpend(corrected, [{ type: 'DailySpendReported', data: spend }])).toEqual({
      outcome: 'corrected',
      events: [{ type: 'DailySpendCorrected', data: { ...corrected, previous: spend } }],
    });
  });

  it('compares with the latest correction, not the first report', () => {
    const second = { ...spend, spendFen: 25_000 };
    const history = [
      { type: 'DailySpendReported' as const, data: spend },
      { type: 'DailySpendCorrected' as const, data: { ...second, previous: spend } },
    ];
    expect(decideSpend(second, history).outcome).toBe('unchanged');
    expect(decideSpend(spend, history)).toEqual({
      outcome: 'corrected',
      events: [{ type: 'DailySpendCorrected', data: { ...spend, previous: second } }],
    });
  });
});
