import type { EventToAppend } from '#event-store';
import type { Actor } from '#shared-kernel';

export interface DemoEvent {
  readonly streamName: string;
  readonly event: EventToAppend;
}

/**
 * Turns decided events into appendable ones with deterministic ids and honest metadata: the simulated
 * actor and business time, and `origin` saying the event is generated demo data (the store adds the real
 * `recordedAt`). No clock, no randomness: the same seed gives the same events.
 */
export class LogEmitter {
  private out: DemoEvent[] = [];
  private commands = 0;
  private sequence = 0;
  private dayStart = 0;
  day = '';

  constructor(
    private readonly seed: number,
    private readonly origin: string,
  ) {}

  beginDay(day: string): void {
    this.day = day;
    this.sequence = 0;
    // 01:00 UTC is 09:00 in Asia/Shanghai: every instant of the day stays on the same business date.
    this.dayStart = Date.parse(`${day}T01:00:00.000Z`);
  }

  emit(stream: string, events: readonly { type: string; data: object }[], actor: Actor): void {
    if (events.length === 0) return;
    const command = this.commands++;
    const prefix = demoUuidPrefix(this.seed, command);
    const commandId = `${prefix}ffff000000`;
    // Spread over the working day (09:00–17:00 local) in order, at most one command per 100 ms.
    const occurredAt = new Date(this.dayStart + Math.min(this.sequence++ * 100, 8 * 3600 * 1000)).toISOString();
    const metadata = { commandId, correlationId: commandId, causationId: commandId, actor, occurredAt, schemaVersion: 1, origin: this.origin };
    for (let index = 0; index < events.length; index += 1) {
      const event = events[index]!;
      this.out.push({ streamName: stream, event: { id: `${prefix}${index.toString(16).padStart(4, '0')}000000`, type: event.type, data: event.data as Record<string, unknown>, metadata } });
    }
  }

  /** An event the generator builds whole (the business day, whose id is the one the service would give it). */
  push(streamName: string, event: EventToAppend): void {
    this.out.push({ streamName, event });
  }

  /** When the current day's simulated work begins. */
  get dayStartedAt(): string {
    return new Date(this.dayStart).toISOString();
  }

  drain(): DemoEvent[] {
    const events = this.out;
    this.out = [];
    return events;
  }
}

/**
 * A UUID (version 8, "custom") that spells out its origin: the seed, the command's number and the event's
 * index in it. Unique within a demo and cheap to make, where hashing cost a third of the generation time.
 */
export const demoUuid = (seed: number, command: number, index: number): string => `${demoUuidPrefix(seed, command)}${index.toString(16).padStart(4, '0')}000000`;

/** Everything of a demo UUID but its last ten digits (the event's index in the command, then zeros). */
const demoUuidPrefix = (seed: number, command: number): string => {
  const hex = `${(seed >>> 0).toString(16).padStart(8, '0')}${command.toString(16).padStart(12, '0')}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(12, 15)}-8${hex.slice(15, 18)}-${hex.slice(18, 20)}`;
};

/** A refused command in generated data is a bug in the generator: fail loudly with the decider's message. */
export const decided = <E>(result: readonly E[] | { code: string; message: string }, what: string): readonly E[] => {
  if (!Array.isArray(result)) throw new Error(`Demo ${what} refused: ${(result as { message: string }).message}`);
  return result as readonly E[];
};
