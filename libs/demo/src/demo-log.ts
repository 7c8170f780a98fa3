import { BUSINESS_CALENDAR_STREAM, BUSINESS_DAY_STARTED, businessDayToAppend } from '#calendar';
import { Calendar } from './calendar';
import { CustomerSimulation } from './demo-customer';
import { LogEmitter, type DemoEvent } from './emitter';
import { random, type Random } from './random';
import { moveReps, registerStaff, type Staff } from './staff';

export type { DemoEvent } from './emitter';

/**
 * A deterministic, realistic history of an after-sales team, written with the real deciders so every event
 * is what the application itself would write: groups (bidding 1–4, key accounts, after-sales, sales), service
 * reps who each work their own way, supervisors, sales reps; membership and bidding customers signed over
 * time; daily usage and spend with trends, quiet spells, deaths, revivals and corrections; visits, follow-ups,
 * issues (resolved and communicated, or not), complaints, reminders on time and late, renewals, churn,
 * win-backs, reassignments and multi-head visits.
 */
export interface DemoOptions {
  readonly seed: number;
  readonly customers: number;
  /** Service reps (at least one per service group; supervisors and sales reps are added on top). */
  readonly reps: number;
  readonly days: number;
  /** First business day (ISO date). */
  readonly startDay: string;
  /** Share of customers already signed on the first day; the rest sign over the period. */
  readonly initialShare?: number;
  /** The business time zone the days are in (the simulated working day is 09:00–17:00 there). */
  readonly timeZone?: string;
  /**
   * Telemetry for the days of a term begun before the first day (true, the default), for customers signed mid-term on
   * it; false leaves it out (a small test log that must stay small).
   */
  readonly historyBeforeStart?: boolean;
}

/** Seeds the random stream of the telemetry before the log's first day. */
const HISTORY_SEED = 0x5f3759df;

/** The `origin` stamped on every demo event's metadata. */
export const demoOrigin = (seed: number): string => `demo seed ${seed}`;

/** The log in time order, one business day after another. */
export function* generateDemoLog(options: DemoOptions): Generator<DemoEvent> {
  for (const day of generateDemoDays(options)) yield* day.events;
}

export interface DemoDay {
  readonly day: string;
  readonly index: number;
  readonly events: readonly DemoEvent[];
}

/** The log day by day, so a loader can batch and report progress. */
export function* generateDemoDays(options: DemoOptions): Generator<DemoDay> {
  const rnd = random(options.seed);
  const emit = new LogEmitter(options.seed, demoOrigin(options.seed));
  const initial = Math.round(options.customers * (options.initialShare ?? 0.6));
  // Later sign-ups are spread evenly over the period, so the log grows steadily.
  const signDay = (i: number) => (i < initial ? 0 : 1 + Math.floor(((i - initial) * Math.max(1, options.days - 1)) / Math.max(1, options.customers - initial)));
  const customers: CustomerSimulation[] = [];
  const calendar = new Calendar(options.startDay);
  let staff: Staff | undefined;
  let next = 0;
  for (let d = 0; d < options.days; d += 1) {
    const day = calendar.day(d);
    emit.beginDay(day);
    // Each day opens with its business-day event, as the running service writes it.
    emit.push(BUSINESS_CALENDAR_STREAM, businessDayToAppend({ type: BUSINESS_DAY_STARTED, data: { day, timeZone: options.timeZone ?? 'Asia/Shanghai' } }, emit.dayStartedAt, demoOrigin(options.seed)));
    if (!staff) staff = registerStaff(emit, options.reps, rnd);
    else moveReps(emit, staff, rnd);
    while (next < options.customers && signDay(next) <= d) {
      customers.push(CustomerSimulation.sign(next, d, { days: options.days, calendar }, staff, rnd, emit));
      next += 1;
    }
    // Customers already mid-term on day one come with their telemetry since the term began (drawn from a random stream
    // of its own, so that the rest of the log tells the same story with or without it).
    if (d === 0 && options.historyBeforeStart !== false) {
      const past = random((options.seed ^ HISTORY_SEED) >>> 0);
      for (const customer of customers) customer.telemetryHistory(past, emit);
    }
    for (const customer of customers) customer.workDay(d, staff, rnd, emit);
    if (calendar.isWorking(d)) routineCalls(d, staff, customers, rnd, emit);
    for (const customer of customers) customer.telemetryDay(d, rnd, emit);
    yield { day, index: d, events: emit.drain() };
  }
}

/**
 * Each service rep's routine calls of a working day, at the pace of seed 000 (about ten calls to five customers):
 * a rep who works at the team's norm lands near the monthly workload line, one who works harder above it, one who
 * under-contacts below it.
 */
const routineCalls = (d: number, staff: Staff, customers: readonly CustomerSimulation[], rnd: Random, emit: LogEmitter): void => {
  const byRep = new Map<string, CustomerSimulation[]>();
  for (const customer of customers) {
    if (!customer.active || !customer.routine) continue;
    const list = byRep.get(customer.serviceRepId);
    if (list) list.push(customer);
    else byRep.set(customer.serviceRepId, [customer]);
  }
  for (const repId of staff.serviceReps) {
    const pool = byRep.get(repId) ?? [];
    if (pool.length === 0) continue;
    const pace = 0.8 + 0.3 * staff.profiles.get(repId)!.cadence;
    const count = Math.min(pool.length, Math.round(rnd.between(3.5, 5) * pace));
    const chosen = new Set<CustomerSimulation>();
    while (chosen.size < count) chosen.add(rnd.pick(pool));
    for (const customer of chosen) for (let call = rnd.int(1, 3); call > 0; call -= 1) customer.routineCall(d, staff, rnd, emit);
  }
};

