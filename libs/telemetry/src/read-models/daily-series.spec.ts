import { addDays } from '#shared-kernel';
import { spendSeries, type SpendSeries } from './daily-series';
import type { SpendMonthDoc } from './telemetry-months.doc';

/** A small deterministic generator, so that a failure names a case that can be replayed. */
const generator = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};

/** Month documents over a span of months, with holes: missing months, unreported days and zero days. */
const monthsOfSpend = (random: () => number): SpendMonthDoc[] => {
  const docs: SpendMonthDoc[] = [];
  for (const month of ['2023-12', '2024-01', '2024-02', '2024-03', '2024-05', '2024-06']) {
    // Slots past the month's last day stay unreported, as the projection leaves them.
    const days = 32 - Number(addDays(`${month}-28`, 4).slice(8, 10));
    const reported = Array.from({ length: 31 }, (_, slot) => (slot < days && random() < 0.7 ? 1 : 0));
    const spendFen = reported.map((r) => (r === 1 && random() < 0.8 ? Math.floor(random() * 1000) : 0));
    docs.push({ id: `c:${month}`, customerId: 'c', month, reported, spendFen, clicks: spendFen.map((x) => x % 7), activeKeywords: spendFen.map(() => 1), corrections: 0 });
  }
  return docs;
};

/** The plain reading, a day at a time, that the month-by-month one must agree with. */
const dayByDay = (series: SpendSeries) => ({
  sum: (from: string, to: string) => {
    let total = 0;
    for (let day = from; day <= to; day = addDays(day, 1)) total += series.value('spendFen', day) ?? 0;
    return total;
  },
  lastPositive: (onOrBefore: string, notBefore: string) => {
    for (let day = onOrBefore; day >= notBefore; day = addDays(day, -1)) if ((series.value('spendFen', day) ?? 0) > 0) return day;
    return undefined;
  },
  lastReported: (onOrBefore: string, notBefore: string) => {
    for (let day = onOrBefore; day >= notBefore; day = addDays(day, -1)) if (series.reported(day)) return day;
    return undefined;
  },
});

describe('DailySeries', () => {
  it('finds the first reported day, as a day-at-a-time reading does, in any order of its months, and none without one', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const docs = monthsOfSpend(generator(seed));
      let expected: string | undefined;
      for (let day = '2023-12-01'; day <= '2024-06-30' && expected === undefined; day = addDays(day, 1)) if (spendSeries(docs).reported(day)) expected = day;
      expect(spendSeries(docs).firstReported()).toBe(expected);
      expect(spendSeries([...docs].reverse()).firstReported()).toBe(expected);
    }
    const silent = monthsOfSpend(generator(9)).map((doc) => ({ ...doc, reported: doc.reported.map(() => 0) }));
    expect(spendSeries(silent).firstReported()).toBeUndefined();
    expect(spendSeries([]).firstReported()).toBeUndefined();
  });

  it('sums, and finds the last positive and last reported day, as a day-at-a-time reading does, over 2,000 ranges', () => {
    const random = generator(7);
    const series = spendSeries(monthsOfSpend(random));
    const reference = dayByDay(series);
    const mismatches: string[] = [];
    for (let i = 0; i < 2000; i += 1) {
      const from = addDays('2023-11-20', Math.floor(random() * 240));
      const to = addDays(from, Math.floor(random() * 90) - 5);
      if (series.sum('spendFen', from, to) !== reference.sum(from, to)) mismatches.push(`sum ${from}..${to}`);
      if (series.lastPositive('spendFen', to, from) !== reference.lastPositive(to, from)) mismatches.push(`lastPositive ${from}..${to}`);
      if (series.lastReported(to, from) !== reference.lastReported(to, from)) mismatches.push(`lastReported ${from}..${to}`);
    }
    expect(mismatches).toStrictEqual([]);
  });

  it('counts both ends of a range, and nothing when the range is empty or has no month at hand', () => {
    const reported = new Array<number>(31).fill(0);
    const spendFen = new Array<number>(31).fill(0);
    for (const day of [1, 15, 31]) {
      reported[day - 1] = 1;
      spendFen[day - 1] = day * 100;
    }
    const series = spendSeries([{ id: 'c:2024-01', customerId: 'c', month: '2024-01', reported, spendFen, clicks: spendFen, activeKeywords: spendFen, corrections: 0 }]);
    expect(series.sum('spendFen', '2024-01-01', '2024-01-31')).toBe(4700);
    expect(series.sum('spendFen', '2024-01-02', '2024-01-30')).toBe(1500);
    expect(series.sum('spendFen', '2024-01-15', '2024-01-15')).toBe(1500);
    expect(series.sum('spendFen', '2024-01-16', '2024-01-15')).toBe(0);
    expect(series.sum('spendFen', '2023-12-01', '2023-12-31')).toBe(0);
    expect(series.lastPositive('spendFen', '2024-02-10', '2023-12-01')).toBe('2024-01-31');
    expect(series.lastPositive('spendFen', '2024-01-14', '2024-01-02')).toBeUndefined();
    expect(series.lastReported('2024-01-09', '2023-12-01')).toBe('2024-01-01');
    expect(series.lastReported('2024-01-14', '2024-01-02')).toBeUndefined();
  });
});
