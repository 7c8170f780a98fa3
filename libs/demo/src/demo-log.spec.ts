import { CALENDAR_EVENT_SHAPES } from '#calendar';
import { CUSTOMER_EVENT_SHAPES } from '#customer';
import { SqliteEventStore } from '#event-store';
import { decodeEvent } from '#shared-kernel';
import { GROUP_EVENT_SHAPES, REP_EVENT_SHAPES } from '#staff';
import { TELEMETRY_EVENT_SHAPES } from '#telemetry';
import { DemoTargetNotEmptyError, generateDemoLog, loadDemo, type DemoEvent, type DemoOptions } from './demo-log';
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
  it('writes the whole history into an empty store, and refuses a store that holds events', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    try {
      const options = { ...OPTIONS, customers: 20, days: 30 };
      const progress: number[] = [];
      const summary = await loadDemo(store, options, (p) => progress.push(p.daysDone));
      const expected = [...generateDemoLog(options)];
      const stored = await store.readAll();
      expect(summary.events).toBe(expected.length);
      expect(stored).toHaveLength(expected.length);
      expect(new Set(stored.map((e) => e.id))).toEqual(new Set(expected.map((e) => e.event.id)));
      expect(progress.at(-1)).toBe(30);
      // Every stream's events keep their order.
      const first = expected.find((e) => e.streamName.startsWith('customer-'))!;
      expect((await store.readStream(first.streamName)).map((e) => e.id)).toEqual(expected.filter((e) => e.streamName === first.streamName).map((e) => e.event.id));
      await expect(loadDemo(store, options)).rejects.toThrow(DemoTargetNotEmptyError);
    } finally {
      await store.close();
    }
  });
});
