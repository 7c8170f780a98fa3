import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore, WrongExpectedRevisionError } from '../../../event-store/src/event-store.port';
import { streamName } from '../../../event-store/src/stream-name';
import type { CommandContext } from '../../../shared-kernel/src/command-context';
import { BadRequest, ConcurrencyConflict, Forbidden, RuleViolation } from '../../../shared-kernel/src/errors';
import { eventsToAppend } from '../../../event-store/src/command-executor';
import { CUSTOMER_CATEGORY } from '../../../customer/src/domain/customer.events';
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
 * A batch is checked whole before anything is written: a bad record (a duplicate customer-day, a future day,
 * an unknown customer) refuses the batch, naming every bad record by index, and nothing is stored. A valid
 * batch is then written record by record; each record is idempotent (same values → unchanged), so a batch
 * retried after a failure part-way never counts anything twice.
 */
@CommandHandler(ReportTelemetry)
export class ReportTelemetryHandler implements ICommandHandler<ReportTelemetry, TelemetryBatchResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ batch, context }: ReportTelemetry): Promise<TelemetryBatchResult> {
    if (context.actor.role !== 'platform') throw new Forbidden('Only the platform identity may report telemetry');
    this.checkShape(batch.records, context.businessDate);
    await this.checkCustomersExist(batch.records);
    const counts: Record<TelemetryOutcome, number> = { recorded: 0, corrected: 0, unchanged: 0 };
    for (const record of batch.records) counts[await this.writeRecord(batch.kind, record, context)] += 1;
    return { received: batch.records.length, ...counts };
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
      throw new BadRequest('INVALID_TELEMETRY_BATCH', `Batch refused, nothing stored: ${problems.map((p) => `records[${p.index}] ${p.message}`).join('; ')}`, {
        problems,
      });
    }
  }

  private async checkCustomersExist(records: readonly { customerId: string }[]): Promise<void> {
    const known = new Map<string, boolean>();
    const unknown: { index: number; customerId: string }[] = [];
    for (const [index, { customerId }] of records.entries()) {
      let exists = known.get(customerId);
      if (exists === undefined) {
        exists = (await this.store.readStream(streamName(CUSTOMER_CATEGORY, customerId), { maxCount: 1 })).length > 0;
        known.set(customerId, exists);
      }
      if (!exists) unknown.push({ index, customerId });
    }
    if (unknown.length > 0) {
      throw new RuleViolation(
        'UNKNOWN_CUSTOMER',
        `Batch refused, nothing stored: unknown customers at ${unknown
          .slice(0, 20)
          .map((u) => `records[${u.index}] (${u.customerId})`)
          .join(', ')}${unknown.length > 20 ? ` and ${unknown.length - 20} more` : ''}`,
        { unknown },
      );
    }
  }

  private async writeRecord(kind: TelemetryBatch['kind'], record: DailyUsage | DailySpend, context: CommandContext): Promise<TelemetryOutcome> {
    const name = streamName(kind === 'usage' ? USAGE_CATEGORY : SPEND_CATEGORY, telemetryStreamId(record.customerId, record.day));
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const history = await this.store.readStream(name);
      const decision =
        kind === 'usage'
          ? decideUsage(record as DailyUsage, history as never)
          : decideSpend(record as DailySpend, history as never);
      if (decision.events.length === 0) return decision.outcome;
      const revision = history.length === 0 ? -1n : history[history.length - 1]!.revision;
      try {
        await this.store.append(
          name,
          eventsToAppend(context, name, decision.events, undefined, Number(revision + 1n)),
          revision === -1n ? 'no_stream' : revision,
        );
        return decision.outcome;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
      }
    }
    throw new ConcurrencyConflict(`Telemetry for ${record.customerId} on ${record.day} kept changing; retry the batch`);
  }
}
