import { withinWindow } from './renewal-pipeline.query';

describe('the pipeline window filter', () => {
  const bands = [15, 30, 90, 'ended'] as const;
  const kept = (window: number | 'ended' | undefined) => bands.filter((band) => withinWindow({ window: band }, window));

  it('lists every term ending within the window asked for, whichever band it is in', () => {
    expect(kept(15)).toStrictEqual([15]);
    expect(kept(30)).toStrictEqual([15, 30]);
    expect(kept(90)).toStrictEqual([15, 30, 90]);
  });

  it('lists only ended terms for "ended", and everything without a window', () => {
    expect(kept('ended')).toStrictEqual(['ended']);
    expect(kept(undefined)).toStrictEqual([15, 30, 90, 'ended']);
  });
});
