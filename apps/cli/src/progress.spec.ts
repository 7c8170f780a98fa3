import type { RebuildProgress } from '#read-store';
import { fromRebuilds, progressLine } from './progress';

const progress = (projection: string, fraction: number, eventsPerSecond: number, etaSeconds: number | null): RebuildProgress => ({
  projection,
  phase: 'building',
  position: BigInt(Math.round(fraction * 1000)),
  head: 1000n,
  fraction,
  events: Math.round(fraction * 1000),
  eventsPerSecond,
  etaSeconds,
  elapsedMs: 1000,
});

describe('the progress line of rebuilds side by side', () => {
  const names = ['a', 'b', 'c', 'd'];

  it('counts done ones whole and waiting ones as nothing, sums the running rates, and has no time left while some wait', () => {
    const running = new Map([
      ['a', progress('a', 1, 9_000, 0)],
      ['b', progress('b', 0.5, 3_000, 20)],
      ['c', progress('c', 0.25, 2_000, 60)],
    ]);
    expect(fromRebuilds(names, running, new Set(['a']))).toStrictEqual({
      label: '1/4 built',
      fraction: (1 + 0.5 + 0.25 + 0) / 4,
      detail: 'b 50%, c 25% (1 waiting)',
      eventsPerSecond: 5_000,
      etaSeconds: null,
    });
  });

  it('gives the longest time left of those running once none waits, and nothing left when all are done', () => {
    const running = new Map(names.map((name, i) => [name, progress(name, 0.5, 1_000, 10 * (i + 1))]));
    expect(fromRebuilds(names, running, new Set()).etaSeconds).toBe(40);
    expect(fromRebuilds(names, running, new Set(['d'])).etaSeconds).toBe(30);
    running.set('b', progress('b', 0.1, 0, null));
    expect(fromRebuilds(names, running, new Set()).etaSeconds).toBeNull();
    const all = fromRebuilds(names, running, new Set(names));
    expect(all).toStrictEqual({ label: '4/4 built', fraction: 1, detail: '', eventsPerSecond: 0, etaSeconds: 0 });
    expect(progressLine(all)).toBe(`4/4 built        ${'█'.repeat(24)} 100%    0 events/s  ETA 0s`);
  });

  it('shows nothing done and nothing running before the first report', () => {
    expect(fromRebuilds(['a'], new Map(), new Set())).toStrictEqual({ label: '0/1 built', fraction: 0, detail: '(1 waiting)', eventsPerSecond: 0, etaSeconds: null });
  });
});
