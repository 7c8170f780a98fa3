import { liveCheckpointsOf, type ReadModelRef, type ReadStore, type Target } from '#read-store';

/** Answers some cache keeps: every caller that asks the same question shares one, so none is changed once kept. */
const kept = new WeakSet<object>();

/** Whether a value is an answer a cache keeps (and so the same object, unchanged, for every caller that gets it). */
export const isKeptAnswer = (value: unknown): value is object => typeof value === 'object' && value !== null && kept.has(value);

/**
 * Answers of a view kept while the read models they were read from have not moved: an entry holds the generation
 * and checkpoint of each, and a lookup compares them (one read for all of them). Dashboards that many
 * people refresh read the same pages; any new event, rebuild or swap makes the next call read again. Bounded in
 * entries, so memory does not grow with customers.
 */
export class AnswerCache<T> {
  private readonly entries = new Map<string, { readonly version: string; readonly value: T }>();

  constructor(
    private readonly store: ReadStore,
    private readonly capacity = 256,
  ) {}

  /**
   * The live generation of each read model an answer comes from, and a stamp of their state that changes with any
   * commit, rebuild or swap of any of them, in one read. A read model with nothing live, or live in a version older
   * than the one read here, is not ready.
   */
  async live(readModels: readonly ReadModelRef[]): Promise<{ targets: Target[]; version: string }> {
    const checkpoints = await liveCheckpointsOf(this.store, readModels);
    return {
      targets: checkpoints.map(({ projection, generation }) => ({ projection, generation })),
      version: checkpoints.map(({ projection, generation, position }) => `${projection}:${generation}:${position}`).join('|'),
    };
  }

  get(key: string, version: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.version !== version) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, version: string, value: T): void {
    if (typeof value === 'object' && value !== null) kept.add(value);
    this.entries.delete(key);
    this.entries.set(key, { version, value });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}
