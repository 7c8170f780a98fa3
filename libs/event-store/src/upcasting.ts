import type { EventStore, ReadAllOptions, ReadStreamOptions, RecordedEvent, SubscribeOptions, Subscription } from './event-store.port';

/** Turns an event stored at an older schema version into the next version's shape. */
export interface Upcaster {
  readonly type: string;
  readonly fromVersion: number;
  upcast(data: Readonly<Record<string, unknown>>): Record<string, unknown>;
}

/**
 * Mends, on read, data of one event type that a bug once let through (whatever its schema version): returns the
 * repaired data, or undefined when the event needs no repair. The stored event is never changed; the repair is
 * named in code, tested, and applies to every reader alike, so live and rebuilt read models agree.
 */
export interface Repair {
  readonly type: string;
  readonly description: string;
  repair(data: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined;
}

export class UpcasterChain {
  private readonly byKey = new Map<string, Upcaster>();
  private readonly repairs = new Map<string, Repair[]>();

  constructor(upcasters: readonly Upcaster[] = [], repairs: readonly Repair[] = []) {
    for (const repair of repairs) this.repairs.set(repair.type, [...(this.repairs.get(repair.type) ?? []), repair]);
    for (const upcaster of upcasters) {
      const key = `${upcaster.type}@${upcaster.fromVersion}`;
      if (this.byKey.has(key)) throw new Error(`Two upcasters for ${key}`);
      this.byKey.set(key, upcaster);
    }
  }

  /** Applies upcasters one version at a time until none matches, then the repairs of the event's type. */
  apply(event: RecordedEvent): RecordedEvent {
    let current = event;
    for (;;) {
      const version = current.metadata.schemaVersion ?? 1;
      const upcaster = this.byKey.get(`${current.type}@${version}`);
      if (!upcaster) break;
      current = { ...current, data: upcaster.upcast(current.data), metadata: { ...current.metadata, schemaVersion: version + 1 } };
    }
    for (const repair of this.repairs.get(current.type) ?? []) {
      const repaired = repair.repair(current.data);
      if (repaired !== undefined) current = { ...current, data: repaired };
    }
    return current;
  }

  get size(): number {
    return this.byKey.size + this.repairs.size;
  }
}

/** Wraps any adapter so that every read (streams, $all, subscriptions) returns upcast events. */
export const withUpcasting = (store: EventStore, chain: UpcasterChain): EventStore => {
  if (chain.size === 0) return store;
  const up = (events: RecordedEvent[]) => events.map((event) => chain.apply(event));
  return {
    append: (name, events, expected) => store.append(name, events, expected),
    appendMany: (requests) => store.appendMany(requests),
    readStream: async (name: string, options?: ReadStreamOptions) => up(await store.readStream(name, options)),
    ...(store.knownRevision ? { knownRevision: (name: string) => store.knownRevision!(name) } : {}),
    ...(store.readStreams ? { readStreams: async (names, options) => (await store.readStreams!(names, options)).map(up) } : {}),
    readAll: async (options?: ReadAllOptions) => up(await store.readAll(options)),
    headPosition: () => store.headPosition(),
    subscribeToAll: (options?: SubscribeOptions): Subscription => {
      const inner = store.subscribeToAll(options);
      return {
        close: () => inner.close(),
        async *[Symbol.asyncIterator]() {
          for await (const event of inner) yield chain.apply(event);
        },
      };
    },
    ...(store.probeWrite ? { probeWrite: () => store.probeWrite!() } : {}),
    ...(store.importLog ? { importLog: (batches, onProgress) => store.importLog!(batches, onProgress) } : {}),
    close: () => store.close(),
  };
};
