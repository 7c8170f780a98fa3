import { type CustomerFactsDoc, isChurnedAsOf, repAssignedAt } from '#customer';
import { entryAt, type ServiceRules } from '#shared-kernel';
import type { GroupDoc, RepDoc, RepRole } from '#staff';

/**
 * Capacity (DOMAIN.md view 10, seed 001): active customers per rep against what one rep handles, per rep, per group
 * and over the viewer's scope, with the staffing the seed recommends for a customer count.
 */

type CapacityRules = ServiceRules['capacity'];
export type ManagerAdvice = 'recommended' | 'optional' | 'not_needed';
export type LoadStatus = 'over' | 'at' | 'under';

export interface StaffingAdvice {
  readonly customers: number;
  /** Service reps to staff: ⌈customers ÷ customersPerRep⌉, or 0 below dedicatedRepFrom (the work is done part-time). */
  readonly serviceReps: number;
  /** The fewest that can carry it at a stretch: ⌈customers ÷ stretchedCustomersPerRep⌉, 0 below dedicatedRepFrom. */
  readonly serviceRepsMin: number;
  /** Recommended from managerFrom customers; optional with more than managerOptionalAboveReps service reps. */
  readonly manager: ManagerAdvice;
}

/**
 * Seed 001: a dedicated rep from about 40 customers; one rep handles about 200; 300 or 400 customers need 2; 1,000 and
 * more need 4–5 and a manager; with more than 3 reps a manager may be set up. The range's top is the 200-a-rep count,
 * its bottom the 250-a-rep stretch: 40 → 1, 200 → 1, 300 → 2, 400 → 2, 1,000 → 4–5 with a manager.
 */
export const staffingAdvice = (customers: number, rules: CapacityRules): StaffingAdvice => {
  const dedicated = customers >= rules.dedicatedRepFrom;
  const serviceReps = dedicated ? Math.ceil(customers / rules.customersPerRep) : 0;
  const serviceRepsMin = dedicated ? Math.ceil(customers / rules.stretchedCustomersPerRep) : 0;
  const manager: ManagerAdvice =
    customers >= rules.managerFrom ? 'recommended' : serviceReps > rules.managerOptionalAboveReps ? 'optional' : 'not_needed';
  return { customers, serviceReps, serviceRepsMin, manager };
};

interface Load {
  readonly customers: number;
  /** What the reps handle: reps × customersPerRep. */
  readonly capacity: number;
  /** customers ÷ capacity; null without capacity. */
  readonly load: number | null;
  /** capacity − customers: negative when over. */
  readonly headroom: number;
  readonly status: LoadStatus;
}

export interface RepCapacity extends Load {
  readonly repId: string;
  /** Null for a rep the staff read model does not know. */
  readonly repName: string | null;
  readonly role: RepRole | null;
  readonly groupId: string | null;
  readonly keyAccounts: number;
}

export interface GroupCapacity extends Load {
  readonly groupId: string;
  readonly groupName: string | null;
  /** Reps with a row in the group: service reps, and anyone else holding customers. */
  readonly reps: number;
  readonly advice: StaffingAdvice;
  /** advice.serviceReps − reps: positive when the group needs more reps. */
  readonly repsShort: number;
}

export interface Capacity {
  /** The day the assignments are read for; null for the assignments now. */
  readonly asOf: string | null;
  readonly customersPerRep: number;
  readonly reps: readonly RepCapacity[];
  readonly groups: readonly GroupCapacity[];
  readonly scope: Load & { readonly reps: number; readonly advice: StaffingAdvice; readonly repsShort: number };
}

export interface CapacityInput {
  /** Undefined: the current assignment and status; a day: the assignment history and churns as they stood then. */
  readonly asOf?: string;
  readonly customers: Iterable<CustomerFactsDoc>;
  /** Reps in the viewer's scope. */
  readonly reps: readonly RepDoc[];
  readonly groups: ReadonlyMap<string, GroupDoc>;
  readonly inScope: (repId: string) => boolean;
  readonly rules: CapacityRules;
}

const loadOf = (customers: number, reps: number, perRep: number): Load => {
  const capacity = reps * perRep;
  return {
    customers,
    capacity,
    load: capacity === 0 ? null : customers / capacity,
    headroom: capacity - customers,
    status: customers > capacity ? 'over' : customers === capacity ? 'at' : 'under',
  };
};

/** The rep holding an active customer on `asOf`, or now; undefined when churned or not signed yet. */
const holderOf = (doc: CustomerFactsDoc, asOf: string | undefined): string | undefined => {
  if (asOf === undefined) return doc.status === 'active' ? doc.serviceRepId : undefined;
  if (doc.signedOn > asOf || isChurnedAsOf(doc, asOf)) return undefined;
  return repAssignedAt(doc, asOf);
};

export const capacity = (input: CapacityInput): Capacity => {
  const { asOf, rules, inScope } = input;
  const perRep = rules.customersPerRep;
  const held = new Map<string, { customers: number; keyAccounts: number }>();
  for (const doc of input.customers) {
    const repId = holderOf(doc, asOf);
    if (repId === undefined || !inScope(repId)) continue;
    const count = held.get(repId) ?? { customers: 0, keyAccounts: 0 };
    held.set(repId, { customers: count.customers + 1, keyAccounts: count.keyAccounts + (doc.keyAccount ? 1 : 0) });
  }
  const known = new Map(input.reps.map((rep) => [rep.id, rep]));
  const repIds = [...new Set([...input.reps.filter((rep) => rep.role === 'service').map((rep) => rep.id), ...held.keys()])].sort();
  const reps: RepCapacity[] = repIds.map((repId) => {
    const rep = known.get(repId);
    const count = held.get(repId) ?? { customers: 0, keyAccounts: 0 };
    const groupId = rep ? (asOf === undefined ? rep.groupId : (entryAt(rep.groups, asOf)?.groupId ?? rep.groupId)) : null;
    return { repId, repName: rep?.name ?? null, role: rep?.role ?? null, groupId, keyAccounts: count.keyAccounts, ...loadOf(count.customers, 1, perRep) };
  });
  const groupIds = [...new Set(reps.map((rep) => rep.groupId).filter((id): id is string => id !== null))].sort();
  const groups: GroupCapacity[] = groupIds.map((groupId) => {
    const members = reps.filter((rep) => rep.groupId === groupId);
    const customers = members.reduce((sum, rep) => sum + rep.customers, 0);
    const advice = staffingAdvice(customers, rules);
    return { groupId, groupName: input.groups.get(groupId)?.name ?? null, reps: members.length, advice, repsShort: advice.serviceReps - members.length, ...loadOf(customers, members.length, perRep) };
  });
  const customers = reps.reduce((sum, rep) => sum + rep.customers, 0);
  const advice = staffingAdvice(customers, rules);
  return {
    asOf: asOf ?? null,
    customersPerRep: perRep,
    reps,
    groups,
    scope: { reps: reps.length, advice, repsShort: advice.serviceReps - reps.length, ...loadOf(customers, reps.length, perRep) },
  };
};
