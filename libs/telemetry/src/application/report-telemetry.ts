import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AppendRequest, EVENT_STORE, eventsToAppend, EventStore, type RecordedEvent, streamName, WrongExpectedRevisionError } from '#event-store';
import { BadRequest, type CommandContext, ConcurrencyConflict, Forbidden, RuleViolation } from '#shared-kernel';
import { CUSTOMER_CATEGORY } from '#customer';
import {
  DailySpend,
  DailyUsage,
  decideSpend,
  decideUsage,
  SPEND_CATEGORY,
  TelemetryOutcome,
  telemetryStreamId,
  USAGE_CATEGORY,
} from '../domain/telemetry';

export type TelemetryBatch = { readonly kind: 'usage'; readonly records: readonly DailyUsage[] } | { readonly kind: 'spend'; readonly records: readonly DailySpend[] };

export interface TelemetryBatchResult {
  readonly received: number;
  readonly recorded: number;
  readonly corrected: number;
  readonly unchanged: number;
}

export class ReportTelemetry extends Command<TelemetryBatchResult> {
  constructor(
    readonly batch: TelemetryBatch,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * A day's telemetry for many customers in one call. The batch is one unit:
 * - it is checked whole before anything is written: a bad record (a duplicate customer-day, a future day, an
 *   unknown customer) refuses the batch, naming every bad record by index, and nothing is stored;
 * - a valid batch is decided record by record against that customer-day's earlier reports (new, identical or
 *   a replacing correction) and written in one multi-stream append: all of it or none of it (one transaction
 *   in the embedded store; consecutive atomic chunks on KurrentDB, see `EventStore.appendMany`);
 * - a record identical to what is stored is `unchanged`, so a batch sent again never counts anything twice.
 * A concurrent report for one of the same customer-days makes the append fail; the batch is then decided
 * again from what is stored, a bounded number of times.
 */
@CommandHandler(ReportTelemetry)
export class ReportTelemetryHandler implements ICommandHandler<ReportTelemetry, TelemetryBatchResult> {
  /** Customers never disappear, so a customer once seen to exist need not be read again. */
  private readonly knownCustomers = new Set<string>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ batch, context }: ReportTelemetry): Promise<TelemetryBatchResult> {
    if (context.actor.role !== 'platform') throw new Forbidden('Only the platform identity may report telemetry');
    this.checkShape(batch.records, context.businessDate);
    await this.checkCustomersExist(batch.records);
    const category = batch.kind === 'usage' ? USAGE_CATEGORY : SPEND_CATEGORY;
    const names = batch.records.map((record) => streamName(category, telemetryStreamId(record.customerId, record.day)));
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const histories = await this.readStreams(names);
      const counts: Record<TelemetryOutcome, number> = { recorded: 0, corrected: 0, unchanged: 0 };
      const requests: AppendRequest[] = [];
      batch.records.forEach((record, index) => {
        const history = histories[index]!;
        const decision = batch.kind === 'usage' ? decideUsage(record as DailyUsage, history as never) : decideSpend(record as DailySpend, history as never);
        counts[decision.outcome] += 1;
        if (decision.events.length === 0) return;
        const revision = history.length === 0 ? -1n : history[history.length - 1]!.revision;
        const name = names[index]!;
        requests.push({
          streamName: name,
          events: eventsToAppend(context, name, decision.events, undefined, Number(revision + 1n)),
          expected: revision === -1n ? 'no_stream' : revision,
        });
      });
      try {
        if (requests.length > 0) await this.store.appendMany(requests);
        return { received: batch.records.length, ...counts };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
      }
    }
    throw new ConcurrencyConflict('Telemetry for some of these customer-days kept changing while the batch was written; nothing of it was stored, retry the batch');
  }

  /** Many streams in one read where the store can, else a bounded number of reads in flight. */
  private readStreams(names: readonly string[], maxCount?: number): Promise<RecordedEvent[][]> {
    const options = maxCount === undefined ? {} : { maxCount };
    if (this.store.readStreams) return this.store.readStreams(names, options);
    return inParallel(names, READ_CONCURRENCY, (name) => this.store.readStream(name, options));
  }

  private checkShape(records: readonly { customerId: string; day: string }[], today: string): void {
    const seen = new Map<string, number>();
    const problems: { index: number; message: string }[] = [];
    records.forEach((record, index) => {
      const key = `${record.customerId}|${record.day}`;
      const first = seen.get(key);
      if (first !== undefined) problems.push({ index, message: `duplicates record ${first} (same customer and day)` });
      else seen.set(key, index);
      if (record.day > today) problems.push({ index, message: `day ${record.day} is in the future (today is ${today})` });
    });
    if (problems.length > 0) {
      throw new BadRequest('INVALID_TELEMETRY_BATCH', `Batch refused, nothing stored: ${listed(problems.map((p) => `records[${p.index}] ${p.message}`))}`, {
        problems,
      });
    }
  }

  private async checkCustomersExist(records: readonly { customerId: string }[]): Promise<void> {
    const unseen = [...new Set(records.map((r) => r.customerId).filter((id) => !this.knownCustomers.has(id)))];
    const firsts = await this.readStreams(
      unseen.map((id) => streamName(CUSTOMER_CATEGORY, id)),
      1,
    );
    const exists = firsts.map((events) => events.length > 0);
    unseen.forEach((id, i) => exists[i] && this.knownCustomers.add(id));
    const unknown = records.flatMap(({ customerId }, index) => (this.knownCustomers.has(customerId) ? [] : [{ index, customerId }]));
    if (unknown.length > 0) {
      throw new RuleViolation(
        'UNKNOWN_CUSTOMER',
        `Batch refused, nothing stored: unknown customers at ${listed(unknown.map((u) => `records[${u.index}] (${u.customerId})`))}`,
        { unknown },
      );
    }
  }
}

/** Reads for a whole batch, a bounded number in flight (a network store answers them concurrently). */
const READ_CONCURRENCY = 64;

const inParallel = async <T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> => {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
};

/** The first 20 problems in a message, and how many more there are (every one is in the error's details). */
const listed = (items: readonly string[]): string => `${items.slice(0, 20).join('; ')}${items.length > 20 ? `; and ${items.length - 20} more` : ''}`;
