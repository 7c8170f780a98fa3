import type { ReadStore, Target } from '#read-store';

/** Answers some cache keeps: every caller that asks the same question shares one, so none is changed once kept. */
const kept = new WeakSet<object>();

/** Whether a value is an answer a cache keeps (and so the same object, unchanged, for every caller that gets it). */
export const isKeptAnswer = (value: unknown): value is object => typeof value === 'object' && value !== null && kept.has(value);

/**
 * Answers of a view kept while the read models they were read from have not moved: an entry holds the generation
 * and checkpoint of each, and a lookup compares them (one checkpoint read per read model). Dashboards that many
 * people refresh read the same pages; any new event, rebuild or swap makes the next call read again. Bounded in
 * entries, so memory does not grow with customers.
 */
export class AnswerCache<T> {
  private readonly entries = new Map<string, { readonly version: string; readonly value: T }>();

  constructor(
    private readonly store: ReadStore,
    private readonly capacity = 256,
  ) {}

  /** A stamp of the read models' state: changes with any commit, rebuild or swap of any of them. */
  async versionOf(targets: readonly Target[]): Promise<string> {
    const checkpoints = await Promise.all(targets.map((target) => this.store.checkpoint(target)));
    return targets.map((target, i) => `${target.projection}:${target.generation}:${checkpoints[i]!.position}`).join('|');
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
