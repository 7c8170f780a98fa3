import { streamName } from '#event-store';
import type { Actor } from '#shared-kernel';
import { decideGroup, decideRep, GROUP_CATEGORY, type GroupKind, REP_CATEGORY, type RepRole } from '#staff';
import { decided, type LogEmitter } from './emitter';
import type { Random } from './random';

/** Which customers a service group serves: membership, bidding accounts, or key accounts. */
export type Segment = 'membership' | 'bidding' | 'key';

/**
 * How a service rep works, drawn once per rep, so reps differ the way real teams do: some visit often and
 * some under-contact, some close issues and tell the customer while others never do, some remind on time.
 */
export interface RepProfile {
  /** Multiplies the chance of a visit on a given day (1 = the team's norm). */
  readonly cadence: number;
  readonly phoneShare: number;
  readonly reachRate: number;
  /** Chance that a raised issue gets resolved, and that a resolution is communicated back. */
  readonly resolves: number;
  readonly communicates: number;
  /** Chance of a reminder 30–15 days before term end; otherwise late (14–1 days) or none. */
  readonly remindsOnTime: number;
  /** Added to the chance a term is renewed. */
  readonly retention: number;
  /** Added to the satisfaction customers give. */
  readonly satisfactionBias: number;
}

export interface Staff {
  readonly serviceReps: readonly string[];
  readonly salesReps: readonly string[];
  readonly groupOf: Map<string, string>;
  readonly segmentOfGroup: ReadonlyMap<string, Segment>;
  /** Service reps by segment (following group moves). */
  readonly repsBySegment: Map<Segment, string[]>;
  readonly supervisorOfGroup: ReadonlyMap<string, string>;
  readonly profiles: ReadonlyMap<string, RepProfile>;
  readonly serviceGroups: readonly string[];
}

export const MANAGER: Actor = { id: 'mgr-001', role: 'manager' };

const GROUPS: readonly { id: string; name: string; kind: GroupKind; segment?: Segment }[] = [
  { id: 'bid-1', name: 'Bidding group 1', kind: 'bidding', segment: 'bidding' },
  { id: 'bid-2', name: 'Bidding group 2', kind: 'bidding', segment: 'bidding' },
  { id: 'bid-3', name: 'Bidding group 3', kind: 'bidding', segment: 'bidding' },
  { id: 'bid-4', name: 'Bidding group 4', kind: 'bidding', segment: 'bidding' },
  { id: 'key', name: 'Key accounts', kind: 'key_account', segment: 'key' },
  { id: 'after', name: 'After-sales team', kind: 'after_sales', segment: 'membership' },
  { id: 'sales', name: 'Sales department', kind: 'sales' },
];

/** Rep n of the team, in the order groups are filled: one per group first, then after-sales and bidding in turn. */
const groupForRep = (i: number): string => {
  const first = ['after', 'bid-1', 'key', 'bid-2', 'bid-3', 'bid-4'];
  if (i < first.length) return first[i]!;
  const rest = ['after', 'bid-1', 'after', 'bid-2', 'key', 'bid-3', 'after', 'bid-4'];
  return rest[(i - first.length) % rest.length]!;
};

const drawProfile = (rnd: Random): RepProfile => {
  const kind = rnd();
  // About one rep in six under-contacts; about one in six never tells customers how issues were solved.
  const underContacts = kind < 0.16;
  const neverCloses = kind > 0.84;
  return {
    cadence: underContacts ? rnd.between(0.3, 0.55) : rnd.between(0.8, 1.5),
    phoneShare: rnd.between(0.45, 0.8),
    reachRate: rnd.between(0.65, 0.92),
    resolves: neverCloses ? rnd.between(0.4, 0.6) : rnd.between(0.75, 0.98),
    communicates: neverCloses ? rnd.between(0, 0.08) : rnd.between(0.55, 0.95),
    remindsOnTime: rnd.between(0.4, 0.95),
    retention: rnd.between(-0.2, 0.15),
    satisfactionBias: rnd.between(-0.8, 0.6),
  };
};

const pad = (i: number) => String(i + 1).padStart(3, '0');

/** Groups, service reps (with profiles), one supervisor per service group, sales reps and a manager. */
export const registerStaff = (emit: LogEmitter, serviceRepCount: number, rnd: Random): Staff => {
  for (const { id, name, kind } of GROUPS) {
    emit.emit(streamName(GROUP_CATEGORY, id), decided(decideGroup({ type: 'CreateGroup', data: { groupId: id, name, kind } }, { status: 'unknown' }), 'CreateGroup'), MANAGER);
  }
  const groupOf = new Map<string, string>();
  const register = (repId: string, name: string, role: RepRole, groupId: string) => {
    groupOf.set(repId, groupId);
    const data = { repId, name, role, groupId, on: emit.day };
    emit.emit(streamName(REP_CATEGORY, repId), decided(decideRep({ type: 'RegisterRep', data }, { status: 'unknown' }), 'RegisterRep'), MANAGER);
  };
  const serviceGroups = GROUPS.filter((g) => g.segment).map((g) => g.id);
  const segmentOfGroup = new Map(GROUPS.filter((g) => g.segment).map((g) => [g.id, g.segment!] as const));
  const supervisorOfGroup = new Map<string, string>();
  serviceGroups.forEach((groupId, i) => {
    const id = `sup-${pad(i)}`;
    supervisorOfGroup.set(groupId, id);
    register(id, `Supervisor ${i + 1}`, 'supervisor', groupId);
  });
  const count = Math.max(serviceGroups.length, serviceRepCount);
  const serviceReps = Array.from({ length: count }, (_, i) => `rep-${pad(i)}`);
  const profiles = new Map<string, RepProfile>();
  serviceReps.forEach((repId, i) => {
    register(repId, `Service rep ${i + 1}`, 'service', groupForRep(i));
    profiles.set(repId, drawProfile(rnd));
  });
  const salesReps = Array.from({ length: Math.max(2, Math.ceil(count / 3)) }, (_, i) => `sales-${pad(i)}`);
  salesReps.forEach((repId, i) => register(repId, `Sales rep ${i + 1}`, 'sales', 'sales'));
  const repsBySegment = new Map<Segment, string[]>([
    ['membership', []],
    ['bidding', []],
    ['key', []],
  ]);
  for (const repId of serviceReps) repsBySegment.get(segmentOfGroup.get(groupOf.get(repId)!)!)!.push(repId);
  return { serviceReps, salesReps, groupOf, segmentOfGroup, repsBySegment, supervisorOfGroup, profiles, serviceGroups };
};

/**
 * Now and then a bidding rep moves to another bidding group (the staff projection keeps the history);
 * their customers stay with them.
 */
export const moveReps = (emit: LogEmitter, staff: Staff, rnd: Random): void => {
  if (!rnd.chance(0.02)) return;
  const bidding = staff.repsBySegment.get('bidding')!;
  if (bidding.length < 2) return;
  const repId = rnd.pick(bidding);
  const from = staff.groupOf.get(repId)!;
  const to = rnd.pick(staff.serviceGroups.filter((g) => g !== from && staff.segmentOfGroup.get(g) === 'bidding'));
  const state = { status: 'registered' as const, repId, role: 'service' as const, groupId: from };
  emit.emit(streamName(REP_CATEGORY, repId), decided(decideRep({ type: 'MoveRepToGroup', data: { repId, groupId: to, on: emit.day } }, state), 'MoveRepToGroup'), MANAGER);
  staff.groupOf.set(repId, to);
};

/**
 * Seed 002: a sales rep's customers of one kind go to a fixed pair of service reps (1–2 sales reps map to
 * 1–2 service reps), alternating by customer.
 */
export const serviceRepFor = (staff: Staff, salesRepId: string, segment: Segment, customerIndex: number): string => {
  const reps = staff.repsBySegment.get(segment)!;
  const index = staff.salesReps.indexOf(salesRepId);
  return reps[(2 * index + (customerIndex % 2)) % reps.length]!;
};
