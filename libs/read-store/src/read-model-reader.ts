import type { Doc, ReadStore, Target } from './read-store.port';

/** A read model that has never been built cannot answer yet (the projector has not registered it). */
export class ReadModelNotReadyError extends Error {
  readonly code = 'READ_MODEL_NOT_READY';
  constructor(readonly projection: string) {
    super(`The ${projection} read model is not built yet; start the projections (or rebuild it) and retry`);
    this.name = 'ReadModelNotReadyError';
  }
}

/** The live generation of a projection, for a query to read by index; refuses one that was never built. */
export const liveTarget = async (store: ReadStore, projection: string): Promise<Target> => {
  const registration = await store.registration(projection);
  if (!registration || registration.liveGeneration === 0) throw new ReadModelNotReadyError(projection);
  return { projection, generation: registration.liveGeneration };
};

/** The documents of one collection (or one partition of it), in memory, as of the last sync. */
export interface CollectionView<D extends Doc> {
  readonly generation: number;
  readonly docs: ReadonlyMap<string, D>;
  /** Global position of the last event applied to a document: a cheap version stamp for memoising derived values. */
  positionOf(id: string): bigint;
  /** Highest document position seen: changes whenever any document of the view changes. */
  readonly version: bigint;
}

interface Mirror<D extends Doc> extends CollectionView<D> {
  generation: number;
  version: bigint;
  readonly docs: Map<string, D>;
  readonly positions: Map<string, bigint>;
  syncing: Promise<void> | undefined;
  lastUsed: number;
}

const PAGE = 50_000;

export interface PartitionKey {
  readonly field: string;
  readonly value: string;
}

/**
 * Query-side access to live read models. Whole collections (or partitions, e.g. one month) are mirrored in
 * memory and refreshed incrementally by document position, so a query reads the changes since the last one
 * instead of the whole collection; a rebuild's swap to a new generation reloads the mirror.
 */
export class ReadModelReader {
  private readonly mirrors = new Map<string, Mirror<Doc>>();
  private uses = 0;

  constructor(
    private readonly store: ReadStore,
    /** Partition mirrors kept at most (whole-collection mirrors are always kept). */
    private readonly maxPartitions = 8,
  ) {}

  target(projection: string): Promise<Target> {
    return liveTarget(this.store, projection);
  }

  /** Every document of a live collection, or of one partition of it. */
  async view<D extends Doc>(projection: string, collection: string, partition?: PartitionKey): Promise<CollectionView<D>> {
    const key = `${projection}/${collection}${partition ? `/${partition.field}=${partition.value}` : ''}`;
    const target = await this.target(projection);
    let mirror = this.mirrors.get(key) as Mirror<D> | undefined;
    if (!mirror || mirror.generation !== target.generation) {
      mirror = newMirror<D>(target.generation);
      this.mirrors.set(key, mirror as unknown as Mirror<Doc>);
      if (partition) this.evictPartitions();
    }
    mirror.lastUsed = ++this.uses;
    const current = mirror;
    // One sync at a time per mirror; concurrent queries share it.
    while (current.syncing) await current.syncing;
    current.syncing = this.sync(target, collection, current, partition).finally(() => {
      current.syncing = undefined;
    });
    await current.syncing;
    return current;
  }

  private async sync<D extends Doc>(target: Target, collection: string, mirror: Mirror<D>, partition?: PartitionKey): Promise<void> {
    if (mirror.version < 0n && partition) {
      // First load of a partition: read it through its index rather than the whole change history.
      const checkpoint = (await this.store.checkpoint(target)).position;
      for (const doc of await this.store.find<D>(target, collection, { [partition.field]: partition.value })) {
        mirror.docs.set(doc.id, doc);
        mirror.positions.set(doc.id, checkpoint);
      }
      mirror.version = checkpoint;
    }
    for (let after = mirror.version; ; ) {
      const changed = await this.store.changedSince(target, collection, after, PAGE);
      for (const { doc, position } of changed) {
        if (position > mirror.version) mirror.version = position;
        if (partition && (doc as unknown as Record<string, unknown>)[partition.field] !== partition.value) continue;
        mirror.docs.set(doc.id, doc as D);
        mirror.positions.set(doc.id, position);
      }
      if (changed.length < PAGE) return;
      // Several documents can share a position (one event, many documents): re-read the last one's position.
      after = mirror.version - 1n;
    }
  }

  private evictPartitions(): void {
    const partitions = [...this.mirrors.entries()].filter(([key]) => key.split('/').length > 2);
    if (partitions.length <= this.maxPartitions) return;
    partitions.sort(([, a], [, b]) => a.lastUsed - b.lastUsed);
    for (const [key] of partitions.slice(0, partitions.length - this.maxPartitions)) this.mirrors.delete(key);
  }
}

const newMirror = <D extends Doc>(generation: number): Mirror<D> => {
  const docs = new Map<string, D>();
  const positions = new Map<string, bigint>();
  return {
    generation,
    version: -1n,
    docs,
    positions,
    syncing: undefined,
    lastUsed: 0,
    positionOf: (id: string) => positions.get(id) ?? -1n,
  };
};
