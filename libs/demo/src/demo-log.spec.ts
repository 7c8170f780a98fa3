import { CALENDAR_EVENT_SHAPES } from '#calendar';
import { CUSTOMER_EVENT_SHAPES } from '#customer';
import { join } from 'node:path';
import { type EventStore, SqliteEventStore } from '#event-store';
import { decodeEvent } from '#shared-kernel';
import { GROUP_EVENT_SHAPES, REP_EVENT_SHAPES } from '#staff';
import { TELEMETRY_EVENT_SHAPES } from '#telemetry';
import { generateDemoLog, type DemoEvent, type DemoOptions } from './demo-log';
import { DemoTargetNotEmptyError, loadDemo, type LoadProgress } from './load-demo';
import { demoBatchesFromWorker } from './generate-in-worker';
import { demoUuid } from './emitter';

const OPTIONS: DemoOptions = { seed: 7, customers: 120, reps: 9, days: 240, startDay: '2025-03-03' };

describe('demo history', () => {
  let log: DemoEvent[];
  beforeAll(() => {
    log = [...generateDemoLog(OPTIONS)];
  });
  const ofType = (type: string) => log.filter((e) => e.event.type === type);

  it('is the same for the same seed, and different for another', () => {
    const again = [...generateDemoLog(OPTIONS)];
    expect(again.length).toBe(log.length);
    expect(again.map((e) => e.event.id)).toEqual(log.map((e) => e.event.id));
    expect(JSON.stringify(again.slice(-200))).toBe(JSON.stringify(log.slice(-200)));
    const other = [...generateDemoLog({ ...OPTIONS, seed: 8 })];
    expect(JSON.stringify(other.slice(0, 500).map((e) => e.event.data))).not.toBe(JSON.stringify(log.slice(0, 500).map((e) => e.event.data)));
  });

  it('says on every event that it is demo data, with unique ids', () => {
    expect(log.every((e) => e.event.metadata.origin === 'demo seed 7')).toBe(true);
    expect(new Set(log.map((e) => e.event.id)).size).toBe(log.length);
    expect(demoUuid(7, 1, 2)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('writes only events of the domain, each fitting its type (every type a projection reads, checked as projections check it)', () => {
    const shapes = { ...CUSTOMER_EVENT_SHAPES, ...TELEMETRY_EVENT_SHAPES, ...GROUP_EVENT_SHAPES, ...REP_EVENT_SHAPES, ...CALENDAR_EVENT_SHAPES };
    log.forEach(({ event }, index) => decodeEvent(shapes, { ...event, position: BigInt(index) }));
    // Every type is written but one: the demo's key accounts are flagged when they sign.
    const written = new Set(log.map((e) => e.event.type));
    expect(Object.keys(shapes).filter((type) => !written.has(type))).toStrictEqual(['KeyAccountFlagChanged']);
  });

  it('has the groups of seed 002 and an after-sales team, with reps, supervisors and sales reps', () => {
    const groups = ofType('GroupCreated').map((e) => e.event.data.groupId);
    expect(groups).toEqual(['bid-1', 'bid-2', 'bid-3', 'bid-4', 'key', 'after', 'sales']);
    const roles = ofType('RepRegistered').map((e) => e.event.data.role);
    expect(roles.filter((r) => r === 'service')).toHaveLength(9);
    expect(roles.filter((r) => r === 'supervisor')).toHaveLength(6);
    expect(roles.filter((r) => r === 'sales').length).toBeGreaterThanOrEqual(2);
  });

  it('tells every part of the story: both products, churn of both kinds, win-backs, reassignments, corrections', () => {
    const products = new Set(ofType('CustomerSigned').map((e) => e.event.data.product));
    expect([...products].sort()).toEqual(['bidding', 'membership']);
    const churns = new Set(ofType('CustomerChurned').map((e) => e.event.data.kind));
    expect([...churns].sort()).toEqual(['cancelled', 'lapsed']);
    expect(ofType('RenewalCollected').some((e) => e.event.data.winBack === true)).toBe(true);
    expect(ofType('RenewalCollected').some((e) => e.event.data.winBack !== true)).toBe(true);
    for (const type of ['ServiceRepAssigned', 'DailyUsageCorrected', 'DailySpendCorrected', 'RenewalReminderSent', 'ComplaintFiled', 'BuyerIntroduced', 'FollowUpScheduled']) {
      expect([type, ofType(type).length > 0]).toEqual([type, true]);
    }
  });

  it('has supervisors’ level-2 visits and multi-head visits by the sales rep', () => {
    const visits = ofType('VisitRecorded');
    expect(visits.some((e) => e.event.data.level === 2)).toBe(true);
    expect(visits.some((e) => String(e.event.data.repId).startsWith('sales-'))).toBe(true);
  });

  it('has issues resolved and communicated, resolved and never communicated, and still open', () => {
    const raised = new Set(ofType('IssueRaised').map((e) => e.event.data.issueId));
    const resolved = new Set(ofType('IssueResolved').map((e) => e.event.data.issueId));
    const communicated = new Set(ofType('IssueResolutionCommunicated').map((e) => e.event.data.issueId));
    expect(communicated.size).toBeGreaterThan(0);
    expect([...resolved].some((id) => !communicated.has(id))).toBe(true);
    expect([...raised].some((id) => !resolved.has(id))).toBe(true);
  });

  it('has reps who work differently: contacts per customer vary more than chance would make them', () => {
    const customersOf = new Map<string, Set<string>>();
    for (const e of ofType('CustomerSigned')) {
      const rep = String(e.event.data.serviceRepId);
      customersOf.set(rep, (customersOf.get(rep) ?? new Set()).add(String(e.event.data.customerId)));
    }
    const visitsOf = new Map<string, number>();
    for (const e of ofType('VisitRecorded')) {
      const rep = String(e.event.data.repId);
      if (rep.startsWith('rep-')) visitsOf.set(rep, (visitsOf.get(rep) ?? 0) + 1);
    }
    const rates = [...customersOf].filter(([, c]) => c.size >= 5).map(([rep, c]) => (visitsOf.get(rep) ?? 0) / c.size);
    expect(Math.max(...rates) / Math.min(...rates)).toBeGreaterThan(1.8);
  });

  it('reports spend with quiet spells: some bidding accounts have zero-spend days', () => {
    const spend = ofType('DailySpendReported');
    expect(spend.length).toBeGreaterThan(0);
    expect(spend.some((e) => e.event.data.spendFen === 0)).toBe(true);
    expect(spend.some((e) => Number(e.event.data.spendFen) > 20_000)).toBe(true);
  });
});

describe('loading the demo', () => {
  const options = { ...OPTIONS, customers: 20, days: 30 };
  const TS_REGISTER = join(__dirname, '..', '..', '..', 'test', 'support', 'ts-register.js');
  /** The same store without its bulk import: the path a KurrentDB store takes. */
  const withoutImport = (store: SqliteEventStore): EventStore =>
    new Proxy(store, { get: (target, property) => (property === 'importLog' ? undefined : Reflect.get(target, property)) as unknown }) as EventStore;
  const NOW = { now: () => new Date('2026-03-02T00:00:00.000Z') };

  it.each([
    ['through appendMany', 'append'],
    ['as a bulk import generated inline', 'inline'],
    ['as a bulk import generated in a worker thread', 'worker'],
  ] as const)('writes the whole history %s, and refuses a store that holds events', async (_, how) => {
    const store = new SqliteEventStore({ filename: ':memory:', clock: NOW });
    try {
      const progress: LoadProgress[] = [];
      const target = how === 'append' ? withoutImport(store) : store;
      const summary = await loadDemo(target, options, (p) => progress.push(p), how === 'append' ? {} : { generate: how, workerExecArgv: ['--require', TS_REGISTER] });
      const expected = [...generateDemoLog(options)];
      const stored = await store.readAll();
      expect(summary.events).toBe(expected.length);
      expect(summary.streams).toBe(new Set(expected.map((e) => e.streamName)).size);
      // Every event as generated, each stream's revisions counting from 0 in the order generated.
      const revisions = new Map<string, bigint>();
      const generated = expected.map(({ streamName, event }) => {
        const revision = (revisions.get(streamName) ?? -1n) + 1n;
        revisions.set(streamName, revision);
        return { id: event.id, streamName, revision, type: event.type, data: JSON.parse(JSON.stringify(event.data)) as unknown, metadata: { ...event.metadata, recordedAt: '2026-03-02T00:00:00.000Z' } };
      });
      const written = stored.map(({ id, streamName, revision, type, data, metadata }) => ({ id, streamName, revision, type, data: data as unknown, metadata }));
      const byStream = (list: typeof generated) => [...list].sort((a, b) => (a.streamName < b.streamName ? -1 : a.streamName > b.streamName ? 1 : Number(a.revision - b.revision)));
      expect(byStream(written)).toStrictEqual(byStream(generated));
      // A bulk import keeps the generated log order itself; appendMany groups each batch by stream.
      if (how !== 'append') expect(written.map((e) => e.id)).toStrictEqual(generated.map((e) => e.id));
      expect(progress.at(-1)).toMatchObject({ daysDone: 30, days: 30, events: expected.length });
      expect(progress.filter((p) => p.stage === 'finishing')).toHaveLength(how === 'append' ? 0 : 1);
      await expect(loadDemo(target, options)).rejects.toThrow(DemoTargetNotEmptyError);
    } finally {
      await store.close();
    }
  });

  it('stops the generator thread when the loader stops taking its batches', async () => {
    const source = demoBatchesFromWorker(options, 10, { execArgv: ['--require', TS_REGISTER], inFlight: 1 });
    const first = await source.next();
    expect(first.done).toBe(false);
    expect((first.value as { events: unknown[] }).events.length).toBeGreaterThanOrEqual(10);
    // Returning ends the iteration and terminates the worker; a worker left running would keep Jest from exiting.
    expect(await source.return(undefined)).toStrictEqual({ done: true, value: undefined });
  });
});

/** The default demo year, as `npm start` writes it, looked at the way a manager would (seeds 000, 002, 003). */
describe('a demo year a manager would believe', () => {
  let log: DemoEvent[];
  beforeAll(() => {
    log = [...generateDemoLog({ seed: 42, customers: 300, reps: 8, days: 365, startDay: '2025-12-01' })];
  });
  const data = (type: string) => log.filter((e) => e.event.type === type).map((e) => e.event.data as Record<string, unknown>);
  const serviceReps = () => new Set(data('RepRegistered').filter((d) => d.role === 'service').map((d) => String(d.repId)));
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

  it('has service reps near the 500-point workload line each month: most close to it, some above, a few below', () => {
    const reps = serviceReps();
    const points = new Map<string, number>();
    const add = (rep: unknown, day: unknown, value: number) => {
      if (!reps.has(String(rep))) return;
      const key = `${String(rep)} ${String(day).slice(0, 7)}`;
      points.set(key, (points.get(key) ?? 0) + value);
    };
    // The workload rules (DOMAIN.md): reached call 2, other contact 1, on site or meeting 10, reminder 1, renewal 20, resolution told 3.
    for (const d of data('VisitRecorded')) add(d.repId, d.visitedOn, d.channel === 'phone' ? (d.reached ? 2 : 0) : ['onsite', 'meeting'].includes(String(d.channel)) ? 10 : 1);
    for (const d of data('RenewalReminderSent')) add(d.sentBy, d.sentOn, 1);
    for (const d of data('RenewalCollected')) add(d.collectedBy, d.collectedOn, 20);
    for (const d of data('IssueResolutionCommunicated')) add(d.communicatedBy, d.communicatedOn, 3);
    // Whole months only (the last is cut at the end of the log).
    const months = [...points].filter(([key]) => key.slice(-7) <= '2026-10').map(([, value]) => value);
    expect(months.length).toBeGreaterThanOrEqual(8 * 10);
    expect(median(months)).toBeGreaterThanOrEqual(450);
    expect(median(months)).toBeLessThanOrEqual(650);
    const fined = months.filter((value) => value < 500).length / months.length;
    expect(fined).toBeGreaterThan(0.1);
    expect(fined).toBeLessThan(0.5);
    expect(months.filter((value) => value >= 400 && value <= 700).length / months.length).toBeGreaterThan(0.5);
  });

  it('has service reps calling at the seed’s pace: about ten calls and five to eight customers a working day', () => {
    const reps = serviceReps();
    const calls = new Map<string, number>();
    const customers = new Map<string, Set<string>>();
    for (const d of data('VisitRecorded').filter((v) => reps.has(String(v.repId)))) {
      const key = `${String(d.repId)} ${String(d.visitedOn)}`;
      if (d.channel === 'phone') calls.set(key, (calls.get(key) ?? 0) + 1);
      if (d.reached) customers.set(key, (customers.get(key) ?? new Set()).add(String(d.customerId)));
    }
    const average = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(average([...calls.values()])).toBeGreaterThan(8);
    expect(average([...calls.values()])).toBeLessThan(14);
    expect(average([...customers.values()].map((set) => set.size))).toBeGreaterThan(4);
    expect(average([...customers.values()].map((set) => set.size))).toBeLessThan(9);
  });

  it('resolves issues: most within days, nearly all in the end; the few left open are mostly recent', () => {
    const raised = new Map(data('IssueRaised').map((d) => [String(d.issueId), String(d.raisedOn)]));
    const resolved = new Set(data('IssueResolved').map((d) => String(d.issueId)));
    expect(resolved.size / raised.size).toBeGreaterThan(0.85);
    const ages = [...raised].filter(([id]) => !resolved.has(id)).map(([, on]) => (Date.parse('2026-11-30') - Date.parse(on)) / 86_400_000);
    expect(ages.length).toBeLessThan(raised.size * 0.15);
    expect(median(ages)).toBeLessThan(120);
  });

  it('has telemetry from the first day of every customer’s first term, before the log’s first day too', () => {
    const firstTerm = new Map(data('CustomerSigned').map((d) => [String(d.customerId), (d.term as { start: string }).start]));
    const firstUsage = new Map<string, string>();
    for (const d of data('DailyUsageReported')) {
      const customer = String(d.customerId);
      if (!firstUsage.has(customer) || String(d.day) < firstUsage.get(customer)!) firstUsage.set(customer, String(d.day));
    }
    expect(firstUsage.size).toBe(firstTerm.size);
    expect([...firstUsage].filter(([customer, day]) => day !== firstTerm.get(customer))).toStrictEqual([]);
    // Customers signed mid-term on the first day: their history starts before it.
    const before = [...firstTerm.values()].filter((start) => start < '2025-12-01').length;
    expect(before).toBeGreaterThan(100);
    // Every day of a term before the log has its usage report (none missing, none twice).
    const days = new Set(data('DailyUsageReported').filter((d) => String(d.day) < '2025-12-01').map((d) => `${String(d.customerId)} ${String(d.day)}`));
    const expected = [...firstTerm.values()].filter((start) => start < '2025-12-01').reduce((sum, start) => sum + (Date.parse('2025-12-01') - Date.parse(start)) / 86_400_000, 0);
    expect(days.size).toBe(expected);
    expect(data('DailyUsageReported').filter((d) => String(d.day) < '2025-12-01')).toHaveLength(expected);
    // Left out on request, nothing else changes.
    const small = { seed: 42, customers: 30, reps: 4, days: 20, startDay: '2025-12-01' };
    const without = [...generateDemoLog({ ...small, historyBeforeStart: false })];
    expect(without.filter((e) => e.event.type === 'DailyUsageReported' && String(e.event.data.day) < '2025-12-01')).toStrictEqual([]);
    const withHistory = [...generateDemoLog(small)].filter((e) => !(e.event.type === 'DailyUsageReported' || e.event.type === 'DailySpendReported' || e.event.type.endsWith('Corrected')) || String(e.event.data.day) >= '2025-12-01');
    expect(withHistory.map((e) => [e.streamName, e.event.type, e.event.data])).toStrictEqual(without.map((e) => [e.streamName, e.event.type, e.event.data]));
  });

  it('has costs per click that move from month to month, as bidding accounts’ do', () => {
    const byCustomerMonth = new Map<string, { spend: number; clicks: number }>();
    for (const d of data('DailySpendReported')) {
      const key = `${String(d.customerId)} ${String(d.day).slice(0, 7)}`;
      const sum = byCustomerMonth.get(key) ?? { spend: 0, clicks: 0 };
      byCustomerMonth.set(key, { spend: sum.spend + Number(d.spendFen), clicks: sum.clicks + Number(d.clicks) });
    }
    const cpcs = new Map<string, number[]>();
    for (const [key, { spend, clicks }] of byCustomerMonth) {
      if (clicks < 100) continue;
      const customer = key.split(' ')[0]!;
      cpcs.set(customer, [...(cpcs.get(customer) ?? []), Math.round(spend / clicks)]);
    }
    const measured = [...cpcs.values()].filter((months) => months.length >= 3);
    expect(measured.length).toBeGreaterThan(50);
    const moving = measured.filter((months) => Math.max(...months) / Math.min(...months) > 1.05);
    expect(moving.length / measured.length).toBeGreaterThan(0.9);
  });
});
