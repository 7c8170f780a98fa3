import { type Doc, liveTarget, type ReadStore, type Target } from '#read-store';
import { Inject, Injectable } from '@nestjs/common';
import { CUSTOMER_FACTS_PROJECTION, type CustomerFactsDoc, CUSTOMERS_COLLECTION } from '#customer';
import { churnLookBackStart, SERVICE_RULES } from '#views';
import type { ServiceRules } from '#shared-kernel';
import { type GroupDoc, GROUPS_COLLECTION, REP_ACTIVITY_PROJECTION, REP_DAYS_COLLECTION, type RepDayDoc, type RepDoc, REPS_COLLECTION, STAFF_PROJECTION } from '#staff';
import { monthsCovering, SPEND_MONTHS_COLLECTION, type SpendMonthDoc, spendSeries, type SpendSeries, TELEMETRY_PROJECTION, USAGE_MONTHS_COLLECTION, type UsageMonthDoc, usageSeries, type UsageSeries } from '#telemetry';

/*
 * The whole-collection mirror the views used to be computed from, kept here as the reference the equivalence
 * tests compare the read models with: every document of a collection (or of one month) held in memory and
 * refreshed by document position. The service no longer uses it.
 */

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

  /** The live generation, whatever version built it (the mirror reads documents as they are). */
  target(projection: string): Promise<Target> {
    return liveTarget(this.store, { projection, version: 0 });
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

/** One customer's telemetry over a range of months, with a version stamp for memoising what is derived from it. */
export interface CustomerTelemetry {
  readonly usage: UsageSeries;
  readonly spend: SpendSeries;
  readonly version: string;
}

/** The month documents of a date range, by customer. */
export class TelemetryWindow {
  private readonly empty: CustomerTelemetry = { usage: usageSeries([]), spend: spendSeries([]), version: '' };
  private readonly cache = new Map<string, CustomerTelemetry>();

  constructor(
    private readonly usage: readonly CollectionView<UsageMonthDoc & { id: string }>[],
    private readonly spend: readonly CollectionView<SpendMonthDoc & { id: string }>[],
    private readonly months: readonly string[],
  ) {}

  of(customerId: string): CustomerTelemetry {
    const cached = this.cache.get(customerId);
    if (cached) return cached;
    const usage: UsageMonthDoc[] = [];
    const spend: SpendMonthDoc[] = [];
    const stamps: string[] = [];
    this.months.forEach((month, i) => {
      const id = `${customerId}:${month}`;
      const u = this.usage[i]!.docs.get(id);
      const s = this.spend[i]!.docs.get(id);
      if (u) usage.push(u);
      if (s) spend.push(s);
      stamps.push(`${this.usage[i]!.positionOf(id)}/${this.spend[i]!.positionOf(id)}`);
    });
    const result = usage.length === 0 && spend.length === 0 ? this.empty : { usage: usageSeries(usage), spend: spendSeries(spend), version: stamps.join(',') };
    this.cache.set(customerId, result);
    return result;
  }
}

/** Typed access to the live read models the views are computed from. */
@Injectable()
export class ReadSideData {
  constructor(
    private readonly reader: ReadModelReader,
    @Inject(SERVICE_RULES) readonly rules: ServiceRules,
  ) {}

  customers(): Promise<CollectionView<CustomerFactsDoc>> {
    return this.reader.view<CustomerFactsDoc>(CUSTOMER_FACTS_PROJECTION, CUSTOMERS_COLLECTION);
  }

  reps(): Promise<CollectionView<RepDoc>> {
    return this.reader.view<RepDoc>(STAFF_PROJECTION, REPS_COLLECTION);
  }

  groups(): Promise<CollectionView<GroupDoc>> {
    return this.reader.view<GroupDoc>(STAFF_PROJECTION, GROUPS_COLLECTION);
  }

  repDays(): Promise<CollectionView<RepDayDoc>> {
    return this.reader.view<RepDayDoc>(REP_ACTIVITY_PROJECTION, REP_DAYS_COLLECTION);
  }

  /** Telemetry for the days from `from` to `to`, one partition per month. */
  async telemetry(from: string, to: string): Promise<TelemetryWindow> {
    const months = monthsCovering(from, to);
    const usage = await Promise.all(
      months.map((month) => this.reader.view<UsageMonthDoc & { id: string }>(TELEMETRY_PROJECTION, USAGE_MONTHS_COLLECTION, { field: 'month', value: month })),
    );
    const spend = await Promise.all(
      months.map((month) => this.reader.view<SpendMonthDoc & { id: string }>(TELEMETRY_PROJECTION, SPEND_MONTHS_COLLECTION, { field: 'month', value: month })),
    );
    return new TelemetryWindow(usage, spend, months);
  }

  /** The telemetry days churn risk and the worklist look at for `asOf`. */
  churnTelemetry(asOf: string): Promise<TelemetryWindow> {
    return this.telemetry(churnLookBackStart(asOf, this.rules), asOf);
  }
}
