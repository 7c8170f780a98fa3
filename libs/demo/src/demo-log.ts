import type { EventStore, EventToAppend } from '../../event-store/src/event-store.port';
import { streamName } from '../../event-store/src/stream-name';
import { addDays } from '../../shared-kernel/src/dates';
import { deterministicUuid } from '../../shared-kernel/src/ids';
import type { Actor } from '../../shared-kernel/src/metadata';
import { decideGroup, decideRep, GROUP_CATEGORY, REP_CATEGORY, type GroupKind, type RepRole } from '../../staff/src/domain/staff';
import { CustomerSimulation } from './generated-log-customer';

/**
 * A deterministic, realistic event log for tests and benchmarks: staff, customers signed over time, daily
 * telemetry with trends, quiet stretches and corrections, visits, follow-ups, issues, complaints, reminders,
 * renewals, churn and win-backs. Every event comes from the real deciders, so its data is what the app writes.
 */
export interface GeneratedLogOptions {
  readonly seed: number;
  readonly customers: number;
  /** Service reps (supervisors and sales reps are added on top). */
  readonly reps: number;
  readonly days: number;
  /** First business day (ISO date). */
  readonly startDay: string;
  /** Share of customers already signed on the first day; the rest sign over the period. */
  readonly initialShare?: number;
}

export interface GeneratedEvent {
  readonly streamName: string;
  readonly event: EventToAppend;
}

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
}

export const random = (seed: number): Random => {
  const next = mulberry32(seed);
  const r = (() => next()) as Random;
  r.int = (min, max) => min + Math.floor(next() * (max - min + 1));
  r.chance = (p) => next() < p;
  r.pick = (items) => items[Math.floor(next() * items.length)]!;
  return r;
};

/** Turns decided events into appendable ones with deterministic ids and metadata (no clock, no randomness). */
export class LogEmitter {
  private out: GeneratedEvent[] = [];
  private commands = 0;
  private sequence = 0;
  private dayStart = 0;
  day = '';

  constructor(private readonly seed: number) {}

  beginDay(day: string): void {
    this.day = day;
    this.sequence = 0;
    // 01:00 UTC is 09:00 in Asia/Shanghai: every instant of the day stays on the same business date.
    this.dayStart = Date.parse(`${day}T01:00:00.000Z`);
  }

  emit(stream: string, events: readonly { type: string; data: object }[], actor: Actor): void {
    if (events.length === 0) return;
    const commandId = deterministicUuid('generated-log', String(this.seed), String(this.commands++));
    const occurredAt = new Date(this.dayStart + this.sequence++ * 100).toISOString();
    events.forEach((event, index) => {
      this.out.push({
        streamName: stream,
        event: {
          id: deterministicUuid(commandId, stream, String(index)),
          type: event.type,
          data: { ...(event.data as Record<string, unknown>) },
          metadata: { commandId, correlationId: commandId, causationId: commandId, actor, occurredAt, schemaVersion: 1 },
        },
      });
    });
  }

  drain(): GeneratedEvent[] {
    const events = this.out;
    this.out = [];
    return events;
  }
}

export const MANAGER: Actor = { id: 'mgr-1', role: 'manager' };

const decided = <E>(result: readonly E[] | { code: string; message: string }): readonly E[] => {
  if (!Array.isArray(result)) throw new Error(`Generated command refused: ${(result as { message: string }).message}`);
  return result as readonly E[];
};

export interface Staff {
  readonly serviceReps: readonly string[];
  readonly supervisors: readonly string[];
  readonly salesReps: readonly string[];
  readonly groupOf: Map<string, string>;
  readonly serviceGroups: readonly string[];
}

const GROUPS: readonly [string, string, GroupKind][] = [
  ['bid-1', 'Bidding group 1', 'bidding'],
  ['bid-2', 'Bidding group 2', 'bidding'],
  ['bid-3', 'Bidding group 3', 'bidding'],
  ['bid-4', 'Bidding group 4', 'bidding'],
  ['key', 'Key accounts', 'key_account'],
  ['after', 'After-sales team', 'after_sales'],
  ['sales', 'Sales department', 'sales'],
];

const registerStaff = (emit: LogEmitter, serviceRepCount: number): Staff => {
  for (const [groupId, name, kind] of GROUPS) {
    emit.emit(streamName(GROUP_CATEGORY, groupId), decided(decideGroup({ type: 'CreateGroup', data: { groupId, name, kind } }, { status: 'unknown' })), MANAGER);
  }
  const serviceGroups = GROUPS.filter(([, , kind]) => kind !== 'sales').map(([id]) => id);
  const groupOf = new Map<string, string>();
  const register = (repId: string, role: RepRole, groupId: string) => {
    groupOf.set(repId, groupId);
    const data = { repId, name: `Rep ${repId}`, role, groupId, on: emit.day };
    emit.emit(streamName(REP_CATEGORY, repId), decided(decideRep({ type: 'RegisterRep', data }, { status: 'unknown' })), MANAGER);
  };
  const pad = (i: number) => String(i + 1).padStart(3, '0');
  const serviceReps = Array.from({ length: serviceRepCount }, (_, i) => `rep-${pad(i)}`);
  serviceReps.forEach((repId, i) => register(repId, 'service', serviceGroups[i % serviceGroups.length]!));
  const supervisors = ['sup-001', 'sup-002'];
  register(supervisors[0]!, 'supervisor', 'after');
  register(supervisors[1]!, 'supervisor', 'key');
  const salesReps = Array.from({ length: Math.max(2, Math.ceil(serviceRepCount / 4)) }, (_, i) => `sales-${pad(i)}`);
  for (const repId of salesReps) register(repId, 'sales', 'sales');
  return { serviceReps, supervisors, salesReps, groupOf, serviceGroups };
};

/** Now and then a service rep moves to another group (history is kept by the staff projection). */
const moveReps = (emit: LogEmitter, staff: Staff, rnd: Random): void => {
  if (!rnd.chance(0.06)) return;
  const repId = rnd.pick(staff.serviceReps);
  const from = staff.groupOf.get(repId)!;
  const to = rnd.pick(staff.serviceGroups.filter((g) => g !== from));
  const state = { status: 'registered' as const, repId, role: 'service' as const, groupId: from };
  emit.emit(streamName(REP_CATEGORY, repId), decided(decideRep({ type: 'MoveRepToGroup', data: { repId, groupId: to, on: emit.day } }, state)), MANAGER);
  staff.groupOf.set(repId, to);
};

/** The log in time order, one business day after another. */
export function* generateLog(options: GeneratedLogOptions): Generator<GeneratedEvent> {
  const rnd = random(options.seed);
  const emit = new LogEmitter(options.seed);
  const initial = Math.round(options.customers * (options.initialShare ?? 0.6));
  // Later sign-ups are spread evenly over the period, so the log grows steadily.
  const signDay = (i: number) => (i < initial ? 0 : 1 + Math.floor(((i - initial) * Math.max(1, options.days - 1)) / Math.max(1, options.customers - initial)));
  const customers: CustomerSimulation[] = [];
  let staff: Staff | undefined;
  let next = 0;
  for (let d = 0; d < options.days; d += 1) {
    emit.beginDay(addDays(options.startDay, d));
    if (!staff) staff = registerStaff(emit, options.reps);
    else moveReps(emit, staff, rnd);
    while (next < options.customers && signDay(next) <= d) {
      customers.push(CustomerSimulation.sign(next, d, options, staff, rnd, emit));
      next += 1;
    }
    for (const customer of customers) customer.workDay(d, staff, rnd, emit);
    for (const customer of customers) customer.telemetryDay(d, rnd, emit);
    yield* emit.drain();
  }
}

export interface AppendProgress {
  readonly events: number;
  readonly day: string;
  readonly elapsedMs: number;
}

export interface AppendSummary {
  readonly events: number;
  readonly appends: number;
  readonly elapsedMs: number;
  readonly eventsPerSecond: number;
}

/** Appends the generated log (consecutive events of one stream in one append), reporting progress every ~50k events. */
export const appendGeneratedLog = async (
  store: EventStore,
  options: GeneratedLogOptions,
  onProgress?: (progress: AppendProgress) => void,
): Promise<AppendSummary> => {
  const started = performance.now();
  let events = 0;
  let appends = 0;
  let pending: EventToAppend[] = [];
  let pendingStream = '';
  let lastReport = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    await store.append(pendingStream, pending, 'any');
    appends += 1;
    events += pending.length;
    pending = [];
  };
  for (const { streamName: stream, event } of generateLog(options)) {
    if (stream !== pendingStream) {
      await flush();
      pendingStream = stream;
    }
    pending.push(event);
    if (onProgress && events - lastReport >= 50_000) {
      lastReport = events;
      onProgress({ events, day: event.metadata.occurredAt.slice(0, 10), elapsedMs: performance.now() - started });
    }
  }
  await flush();
  const elapsedMs = performance.now() - started;
  return { events, appends, elapsedMs, eventsPerSecond: Math.round(events / (elapsedMs / 1000)) };
};
