import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import {
  type ComplaintCategory,
  CUSTOMER_DIRECTORY_COLLECTION,
  CUSTOMER_FACTS_READ_MODEL,
  type CustomerDirectoryDoc,
  type CustomerFactsDoc,
  CUSTOMERS_COLLECTION,
  DIRECTORY_BY_NAME,
  DIRECTORY_BY_SALES_REP,
  DIRECTORY_BY_SERVICE_REP,
  type Grade,
  type IssueCategory,
  NAME_KEY_SEPARATOR,
  nameSearchKey,
  openWorkOf,
  type Product,
  type VisitChannel,
  type VisitLevel,
  type VisitPurpose,
} from '#customer';
import { type Filter, liveTarget } from '#read-store';
import { type Actor, BadRequest, Forbidden, NotFound } from '#shared-kernel';
import { type GroupDoc, type GroupKind, type RepDoc, type RepRole } from '#staff';
import { FactReads } from '../shared/fact-reads';
import type { StaffLookup } from '../shared/staff-lookup';
import { type Page, pageOf, type Paging } from '../shared/paging';
import { assertCanSeeRep, inScope, type ViewerScope } from '../shared/viewer-scope';
import { customerTimeline, type TimelineEntry } from './timeline';

/** Above every character a name's search key holds (in UTF-8 byte order, as both stores compare strings). */
const AFTER_PREFIX = '\u{10FFFF}';

export const CUSTOMER_STATUSES = ['active', 'churned'] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

export interface CustomerListFilter {
  /** The start of the company's name (case and full-width forms ignored). */
  readonly q?: string;
  /** Customers this service rep serves now. */
  readonly repId?: string;
  /** Customers served now by a rep of this group. */
  readonly groupId?: string;
  readonly grade?: Grade;
  readonly product?: Product;
  readonly status?: CustomerStatus;
  readonly keyAccount?: boolean;
  /** The current term ends on or after this day. */
  readonly termEndFrom?: string;
  /** The current term ends on or before this day. */
  readonly termEndTo?: string;
}

/** A customer's row in the list: the directory row without its search key. */
export type CustomerListItem = Omit<CustomerDirectoryDoc, 'nameKey'>;

export interface CustomerListPage {
  /** Customers matching the filter in the caller's scope (all pages). */
  readonly total: number;
  readonly limit: number;
  readonly items: readonly CustomerListItem[];
  /** Pass as `cursor` for the next page; null on the last one. */
  readonly nextCursor: string | null;
}

export interface CustomerProfile extends Pick<CustomerFactsDoc, 'id' | 'companyName' | 'industry' | 'product' | 'grade' | 'keyAccount' | 'contractAmountFen' | 'signedOn' | 'status'> {
  /** The day of the last churn, while the customer is churned. */
  readonly churnedOn: string | null;
  readonly serviceRep: { readonly id: string; readonly name: string | null; readonly groupId: string | null; readonly since: string };
  readonly salesRep: { readonly id: string; readonly name: string | null };
  /** The current (last) term; `renewedOn` once a renewal followed it. */
  readonly term: { readonly start: string; readonly end: string; readonly renewedOn: string | null };
  readonly termsSigned: number;
  readonly openIssues: readonly { readonly issueId: string; readonly category: IssueCategory; readonly description: string; readonly raisedOn: string; readonly raisedBy: string }[];
  readonly openComplaints: readonly { readonly complaintId: string; readonly category: ComplaintCategory; readonly filedOn: string; readonly againstRepId: string | null }[];
  /** The earliest follow-up not yet completed. */
  readonly nextFollowUp: { readonly followUpId: string; readonly dueOn: string; readonly repId: string } | null;
  readonly lastVisit: { readonly visitId: string; readonly on: string; readonly repId: string; readonly level: VisitLevel; readonly channel: VisitChannel; readonly purpose: VisitPurpose; readonly reached: boolean } | null;
  readonly visits: number;
  readonly renewals: number;
}

export interface RepListItem {
  readonly id: string;
  readonly name: string;
  readonly role: RepRole;
  readonly groupId: string;
  readonly groupName: string | null;
  readonly registeredOn: string;
}

export interface GroupListItem {
  readonly id: string;
  readonly name: string;
  readonly kind: GroupKind;
  /** Reps in the group now. */
  readonly reps: number;
}

export class GetCustomer extends Query<CustomerProfile> {
  constructor(
    readonly actor: Actor,
    readonly customerId: string,
  ) {
    super();
  }
}

export interface CustomerTimeline extends Page<TimelineEntry> {
  readonly customerId: string;
  readonly companyName: string;
}

export class GetCustomerTimeline extends Query<CustomerTimeline> {
  constructor(
    readonly actor: Actor,
    readonly customerId: string,
    readonly paging: Paging,
  ) {
    super();
  }
}

export class ListCustomers extends Query<CustomerListPage> {
  constructor(
    readonly actor: Actor,
    readonly filter: CustomerListFilter,
    readonly page: { readonly limit: number; readonly cursor?: string },
  ) {
    super();
  }
}

export class ListReps extends Query<RepListItem[]> {
  constructor(readonly actor: Actor) {
    super();
  }
}

export class ListGroups extends Query<GroupListItem[]> {
  constructor(readonly actor: Actor) {
    super();
  }
}

/** The cursor of the page after a row: its name key, opaque to callers. */
export const cursorAfter = (row: Pick<CustomerDirectoryDoc, 'nameKey'>): string => Buffer.from(row.nameKey, 'utf8').toString('base64url');

/** The name key a cursor stands for; refuses one this service did not give. */
export const nameKeyOfCursor = (cursor: string): string => {
  const key = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!key.includes(NAME_KEY_SEPARATOR) || Buffer.from(key, 'utf8').toString('base64url') !== cursor) {
    const message = 'cursor is not one this service gave: pass the nextCursor of the previous page, or none for the first page';
    throw new BadRequest('VALIDATION_FAILED', message, { fields: [{ field: 'cursor', problems: [message] }] });
  }
  return key;
};

/**
 * Whose customers the caller lists: a sales rep those they sold (the sales rep field), anyone else those served by
 * the reps in scope (all for managers, admins and analysts).
 */
const listScope = async (staff: StaffLookup, actor: Actor): Promise<{ scope: ViewerScope; salesRep: boolean }> => {
  const scope = await staff.scopeOf(actor);
  if (actor.role !== 'rep') return { scope, salesRep: false };
  const self = (await staff.reps([actor.id])).get(actor.id);
  return { scope, salesRep: self?.role === 'sales' };
};

const itemOf = ({ nameKey: _key, ...item }: CustomerDirectoryDoc): CustomerListItem => item;

/**
 * Customers in name order, filtered and searched in the caller's scope, a page at a time: one read of the page and one
 * count, each through an index of the directory (by name, or a rep's customers by name).
 */
@QueryHandler(ListCustomers)
export class ListCustomersHandler implements IQueryHandler<ListCustomers, CustomerListPage> {
  constructor(private readonly facts: FactReads) {}

  async execute({ actor, filter, page }: ListCustomers): Promise<CustomerListPage> {
    const after = page.cursor === undefined ? undefined : nameKeyOfCursor(page.cursor);
    if (filter.termEndFrom !== undefined && filter.termEndTo !== undefined && filter.termEndFrom > filter.termEndTo) {
      const message = `termEndFrom (${filter.termEndFrom}) is after termEndTo (${filter.termEndTo})`;
      throw new BadRequest('VALIDATION_FAILED', message, { fields: [{ field: 'termEndFrom', problems: [message] }] });
    }
    const staff = await this.facts.staff();
    const { scope, salesRep } = await listScope(staff, actor);
    let reps: Set<string> | undefined = scope.all || salesRep ? undefined : new Set(scope.repIds);
    if (filter.repId !== undefined) {
      if (!salesRep) assertCanSeeRep(scope, filter.repId);
      reps = new Set([filter.repId]);
    }
    if (filter.groupId !== undefined) {
      const candidates = reps ? await staff.reps(reps) : await staff.allReps();
      reps = new Set([...candidates.values()].filter((rep) => rep.groupId === filter.groupId).map((rep) => rep.id));
    }
    if (reps && reps.size === 0) return { total: 0, limit: page.limit, items: [], nextCursor: null };
    const where: Record<string, Filter[string]> = {};
    if (salesRep) where.salesRepId = actor.id;
    if (reps) where.serviceRepId = reps.size === 1 ? [...reps][0]! : { $in: [...reps] };
    if (filter.grade !== undefined) where.grade = filter.grade;
    if (filter.product !== undefined) where.product = filter.product;
    if (filter.status !== undefined) where.status = filter.status;
    if (filter.keyAccount !== undefined) where.keyAccount = filter.keyAccount;
    if (filter.termEndFrom !== undefined || filter.termEndTo !== undefined) {
      where.termEnd = { ...(filter.termEndFrom !== undefined ? { $gte: filter.termEndFrom } : {}), ...(filter.termEndTo !== undefined ? { $lte: filter.termEndTo } : {}) };
    }
    const prefix = filter.q === undefined ? undefined : nameSearchKey(filter.q);
    if (prefix !== undefined) where.nameKey = { $gte: prefix, $lt: `${prefix}${AFTER_PREFIX}` };
    const hint = typeof where.salesRepId === 'string' ? DIRECTORY_BY_SALES_REP : typeof where.serviceRepId === 'string' ? DIRECTORY_BY_SERVICE_REP : where.serviceRepId === undefined ? DIRECTORY_BY_NAME : undefined;
    const target = await liveTarget(this.facts.store, CUSTOMER_FACTS_READ_MODEL);
    const paged = after === undefined ? where : { ...where, nameKey: { ...(where.nameKey as object | undefined), $gt: after } };
    const [rows, total] = await Promise.all([
      this.facts.store.find<CustomerDirectoryDoc>(target, CUSTOMER_DIRECTORY_COLLECTION, paged, { sort: [['nameKey', 1]], limit: page.limit + 1, ...(hint ? { hint } : {}) }),
      this.facts.store.count(target, CUSTOMER_DIRECTORY_COLLECTION, where, hint),
    ]);
    const items = rows.slice(0, page.limit);
    return { total, limit: page.limit, items: items.map(itemOf), nextCursor: rows.length > page.limit ? cursorAfter(items[items.length - 1]!) : null };
  }
}

/** Whether the caller may see a customer: its service rep is in scope, or the caller is the rep who sold it. */
const canSee = (scope: ViewerScope, actor: Actor, doc: Pick<CustomerFactsDoc, 'serviceRepId' | 'salesRepId'>): boolean =>
  inScope(scope, doc.serviceRepId) || (actor.role === 'rep' && doc.salesRepId === actor.id);

/** A customer's facts (one read by id), refused when the caller may not see the customer; with the staff lookup. */
const visibleCustomer = async (facts: FactReads, actor: Actor, customerId: string): Promise<{ doc: CustomerFactsDoc; staff: StaffLookup }> => {
  const staff = await facts.staff();
  const scope = await staff.scopeOf(actor);
  const target = await liveTarget(facts.store, CUSTOMER_FACTS_READ_MODEL);
  const doc = (await facts.store.load(target, CUSTOMERS_COLLECTION, [customerId])).get(customerId)?.doc as CustomerFactsDoc | undefined;
  if (!doc) throw new NotFound(`Customer ${customerId} does not exist`);
  if (!canSee(scope, actor, doc)) throw new Forbidden(`You may not see customer ${customerId}: it is not served by you${actor.role === 'supervisor' ? ' or your group' : ''}`);
  return { doc, staff };
};

/** A customer's profile from its facts (one read by id) and its reps' names (one read of two reps). */
@QueryHandler(GetCustomer)
export class GetCustomerHandler implements IQueryHandler<GetCustomer, CustomerProfile> {
  constructor(private readonly facts: FactReads) {}

  async execute({ actor, customerId }: GetCustomer): Promise<CustomerProfile> {
    const { doc, staff } = await visibleCustomer(this.facts, actor, customerId);
    return profileOf(doc, await staff.reps([doc.serviceRepId, doc.salesRepId]));
  }
}

/** A customer's history in words, newest first, from its facts (one read by id) and the names of the reps it names. */
@QueryHandler(GetCustomerTimeline)
export class GetCustomerTimelineHandler implements IQueryHandler<GetCustomerTimeline, CustomerTimeline> {
  constructor(private readonly facts: FactReads) {}

  async execute({ actor, customerId, paging }: GetCustomerTimeline): Promise<CustomerTimeline> {
    const { doc, staff } = await visibleCustomer(this.facts, actor, customerId);
    // Every rep a timeline may name, in one read: a team is tens to hundreds of reps.
    const reps = await staff.allReps();
    const entries = customerTimeline(doc, (repId) => reps.get(repId)?.name ?? repId);
    return { customerId: doc.id, companyName: doc.companyName, ...pageOf(entries, paging) };
  }
}

/** The profile a customer's facts give, with the names of its reps where the staff read model knows them. */
export const profileOf = (doc: CustomerFactsDoc, reps: ReadonlyMap<string, RepDoc>): CustomerProfile => {
  const term = doc.terms[doc.terms.length - 1]!;
  const assignment = doc.assignments[doc.assignments.length - 1];
  const serviceRep = reps.get(doc.serviceRepId);
  const open = openWorkOf(doc);
  const visit = doc.visits[doc.visits.length - 1];
  return {
    id: doc.id,
    companyName: doc.companyName,
    industry: doc.industry,
    product: doc.product,
    grade: doc.grade,
    keyAccount: doc.keyAccount,
    contractAmountFen: doc.contractAmountFen,
    signedOn: doc.signedOn,
    status: doc.status,
    churnedOn: doc.status === 'churned' ? (doc.churns[doc.churns.length - 1]?.on ?? null) : null,
    serviceRep: { id: doc.serviceRepId, name: serviceRep?.name ?? null, groupId: serviceRep?.groupId ?? null, since: assignment?.from ?? doc.signedOn },
    salesRep: { id: doc.salesRepId, name: reps.get(doc.salesRepId)?.name ?? null },
    term: { start: term.start, end: term.end, renewedOn: term.renewedOn ?? null },
    termsSigned: doc.terms.length,
    openIssues: open.issues.map((issue) => ({ issueId: issue.issueId, category: issue.category, description: issue.description, raisedOn: issue.raisedOn, raisedBy: issue.raisedBy })),
    openComplaints: open.complaints.map((complaint) => ({ complaintId: complaint.complaintId, category: complaint.category, filedOn: complaint.filedOn, againstRepId: complaint.againstRepId ?? null })),
    nextFollowUp: open.nextFollowUp ? { followUpId: open.nextFollowUp.followUpId, dueOn: open.nextFollowUp.dueOn, repId: open.nextFollowUp.repId } : null,
    lastVisit: visit ? { visitId: visit.visitId, on: visit.on, repId: visit.repId, level: visit.level, channel: visit.channel, purpose: visit.purpose, reached: visit.reached } : null,
    visits: doc.visits.length,
    renewals: doc.renewals.length,
  };
};

/** The reps the caller may see (a rep: themselves; a supervisor: their group; others: everyone), by id. */
@QueryHandler(ListReps)
export class ListRepsHandler implements IQueryHandler<ListReps, RepListItem[]> {
  constructor(private readonly facts: FactReads) {}

  async execute({ actor }: ListReps): Promise<RepListItem[]> {
    const staff = await this.facts.staff();
    const scope = await staff.scopeOf(actor);
    const [reps, groups] = await Promise.all([scope.all ? staff.allReps() : staff.reps(scope.repIds), this.facts.groups()]);
    return [...reps.values()]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((rep) => ({ id: rep.id, name: rep.name, role: rep.role, groupId: rep.groupId, groupName: groups.get(rep.groupId)?.name ?? null, registeredOn: rep.registeredOn }));
  }
}

/** The groups the caller may see (everyone's for managers, admins and analysts; one's own otherwise), by id. */
@QueryHandler(ListGroups)
export class ListGroupsHandler implements IQueryHandler<ListGroups, GroupListItem[]> {
  constructor(private readonly facts: FactReads) {}

  async execute({ actor }: ListGroups): Promise<GroupListItem[]> {
    const staff = await this.facts.staff();
    const scope = await staff.scopeOf(actor);
    const [reps, groups] = await Promise.all([staff.allReps(), this.facts.groups()]);
    const own = scope.all ? undefined : reps.get(actor.id)?.groupId;
    const sizes = new Map<string, number>();
    for (const rep of reps.values()) sizes.set(rep.groupId, (sizes.get(rep.groupId) ?? 0) + 1);
    return [...groups.values()]
      .filter((group: GroupDoc) => scope.all || group.id === own)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((group) => ({ id: group.id, name: group.name, kind: group.kind, reps: sizes.get(group.id) ?? 0 }));
  }
}
