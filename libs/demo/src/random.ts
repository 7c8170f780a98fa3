/** A small seeded PRNG (mulberry32): the same seed always gives the same sequence. */
export const mulberry32 = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

export interface Random {
  (): number;
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** A value in [min, max], uniformly. */
  between(min: number, max: number): number;
}

export const random = (seed: number): Random => {
  const next = mulberry32(seed);
  const r = (() => next()) as Random;
  r.int = (min, max) => min + Math.floor(next() * (max - min + 1));
  r.chance = (p) => next() < p;
  r.pick = (items) => items[Math.floor(next() * items.length)]!;
  r.between = (min, max) => min + next() * (max - min);
  return r;
};
