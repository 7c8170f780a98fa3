import { streamName } from '#event-store';
import type { Actor } from '#shared-kernel';
import { type DailySpend, type DailyUsage, decideSpend, decideUsage, SPEND_CATEGORY, type TelemetryEvent, telemetryStreamId, USAGE_CATEGORY } from '#telemetry';
import type { LogEmitter } from './emitter';
import type { Random } from './random';

const PLATFORM: Actor = { id: 'platform', role: 'platform' };

/** A report to correct the next day: the stream it went to and the event it replaces. */
interface Correction {
  readonly kind: 'usage' | 'spend';
  readonly stream: string;
  readonly reported: TelemetryEvent;
}

/**
 * One customer's daily telemetry: usage every active day; for bidding accounts spend with a per-customer
 * trend, quiet stretches (a week or so: dormant; a month or more: dead; spend after either: a revival), and
 * now and then a corrected report the next day that replaces the first.
 */
export class TelemetrySimulation {
  private readonly spendBase: number;
  private readonly trend: number;
  private readonly cpcFen: number;
  /** Where the account's cost per click stands against its base: bids drift with the competition, day by day. */
  private cpcLevel = 1;
  private readonly engagement: number;
  private keywords: number;
  private quietSpendDays = 0;
  private quietLoginDays = 0;
  private dayIndex = 0;
  private corrections: Correction[] = [];

  constructor(
    private readonly customerId: string,
    private readonly bidding: boolean,
    keyAccount: boolean,
    rnd: Random,
  ) {
    this.spendBase = keyAccount ? rnd.int(18_000, 60_000) : rnd.int(2_000, 25_000);
    this.trend = (rnd() * 1.5 - 0.5) / 100;
    this.cpcFen = rnd.int(50, 400);
    this.engagement = 0.3 + rnd() * 1.7;
    this.keywords = rnd.int(3, 400);
  }

  day(day: string, active: boolean, rnd: Random, emit: LogEmitter): void {
    this.correctYesterday(rnd, emit);
    this.dayIndex += 1;
    if (!active) return;
    if (this.quietLoginDays > 0) this.quietLoginDays -= 1;
    else if (rnd.chance(0.003)) this.quietLoginDays = rnd.int(15, 35);
    const received = Math.floor(rnd() * 4 * this.engagement);
    const usage: DailyUsage = {
      customerId: this.customerId,
      day,
      logins: this.quietLoginDays > 0 ? 0 : Math.floor(rnd() * 3 * this.engagement),
      shopViews: Math.floor(rnd() * 200 * this.engagement),
      adClicks: Math.floor(rnd() * 40 * this.engagement),
      inquiriesReceived: received,
      inquiriesUnread: rnd.chance(0.05) ? rnd.int(6, 12) : Math.min(received, rnd.int(0, 2)),
      messagesUnanswered: rnd.int(0, 3),
    };
    this.report('usage', streamName(USAGE_CATEGORY, telemetryStreamId(this.customerId, day)), decideUsage(usage, []).events, rnd, emit, 0.002);
    if (!this.bidding || rnd.chance(0.01)) return; // a missing report now and then
    if (this.quietSpendDays > 0) this.quietSpendDays -= 1;
    else if (rnd.chance(0.004)) this.quietSpendDays = rnd.chance(0.7) ? rnd.int(8, 14) : rnd.int(31, 40);
    const level = Math.max(0.05, 1 + this.trend * this.dayIndex) * (0.8 + rnd() * 0.4);
    const spendFen = this.quietSpendDays > 0 ? 0 : Math.round(this.spendBase * level);
    if (rnd.chance(0.02)) this.keywords += rnd.int(-5, 20);
    this.cpcLevel = Math.min(1.7, Math.max(0.6, this.cpcLevel * (1 + rnd.between(-0.03, 0.03))));
    const spend: DailySpend = {
      customerId: this.customerId,
      day,
      spendFen,
      clicks: Math.round(spendFen / (this.cpcFen * this.cpcLevel * rnd.between(0.9, 1.1))),
      activeKeywords: Math.max(1, this.keywords),
    };
    this.report('spend', streamName(SPEND_CATEGORY, telemetryStreamId(this.customerId, day)), decideSpend(spend, []).events, rnd, emit, 0.004);
  }

  /**
   * The account's telemetry before the log begins, for a customer whose term started earlier: the platform sends it
   * when the customer is taken on, so that the term's figures and the next term's comparison have data. A copy of this
   * account whose days count up to the log's first day, so the trend it follows meets the log's there; the log's own
   * telemetry is unchanged by it.
   */
  history(days: readonly string[], rnd: Random, emit: LogEmitter): void {
    const before = Object.assign(Object.create(TelemetrySimulation.prototype) as object, this) as TelemetrySimulation;
    before.dayIndex = -days.length;
    before.corrections = [];
    before.quietLoginDays = 0;
    before.quietSpendDays = 0;
    before.cpcLevel = 1;
    for (const day of days) before.day(day, true, rnd, emit);
    before.correctYesterday(rnd, emit);
  }

  private report(kind: Correction['kind'], stream: string, events: readonly TelemetryEvent[], rnd: Random, emit: LogEmitter, correctionRate: number): void {
    emit.emit(stream, events, PLATFORM);
    if (rnd.chance(correctionRate)) this.corrections.push({ kind, stream, reported: events[0]! });
  }

  /** A corrected report replaces the day's values: decided against the first report, it carries `previous`. */
  private correctYesterday(rnd: Random, emit: LogEmitter): void {
    for (const { kind, stream, reported } of this.corrections) {
      if (kind === 'usage') {
        const first = reported.data as DailyUsage;
        const record: DailyUsage = { ...first, logins: first.logins + 1, inquiriesReceived: first.inquiriesReceived + rnd.int(0, 2) };
        emit.emit(stream, decideUsage(record, [reported as Extract<TelemetryEvent, { type: 'DailyUsageReported' }>]).events, PLATFORM);
      } else {
        const first = reported.data as DailySpend;
        const spendFen = Math.max(0, first.spendFen + rnd.int(-Math.floor(first.spendFen / 4), Math.floor(first.spendFen / 4) + 500));
        const record: DailySpend = { ...first, spendFen, clicks: Math.round(spendFen / (this.cpcFen * this.cpcLevel)) };
        emit.emit(stream, decideSpend(record, [reported as Extract<TelemetryEvent, { type: 'DailySpendReported' }>]).events, PLATFORM);
      }
    }
    this.corrections = [];
  }
}
