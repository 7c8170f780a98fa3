import type { CustomerCommand } from '../../customer/src/domain/customer.commands';
import { decideCustomer } from '../../customer/src/domain/customer.decider';
import { CUSTOMER_CATEGORY, GRADES, ISSUE_CATEGORIES, VISIT_PURPOSES, type VisitChannel } from '../../customer/src/domain/customer.events';
import { evolveCustomer, initialCustomerState, type CustomerState, type KnownCustomer } from '../../customer/src/domain/customer.state';
import { streamName } from '../../event-store/src/stream-name';
import { addDays, daysBetween } from '../../shared-kernel/src/dates';
import type { Actor } from '../../shared-kernel/src/metadata';
import type { GeneratedLogOptions, LogEmitter, Random, Staff } from './generated-log';
import { MANAGER } from './generated-log';
import { TelemetrySimulation } from './generated-log-telemetry';

/** How a term ends; the first customers cycle through all of them so even a small log has each kind. */
type Fate = 'renew' | 'late' | 'lapse' | 'lapse_win_back' | 'cancel' | 'cancel_win_back';
const FORCED: readonly Fate[] = ['renew', 'lapse_win_back', 'late', 'cancel_win_back', 'renew', 'lapse', 'cancel', 'renew'];
const randomFate = (rnd: Random): Fate => {
  const x = rnd();
  return x < 0.6 ? 'renew' : x < 0.72 ? 'late' : x < 0.82 ? 'lapse' : x < 0.88 ? 'lapse_win_back' : x < 0.95 ? 'cancel' : 'cancel_win_back';
};

const CHANNELS: readonly VisitChannel[] = ['phone', 'phone', 'phone', 'phone', 'phone', 'email', 'email', 'sms', 'chat', 'onsite', 'meeting'];
const INDUSTRIES = ['machinery', 'chemicals', 'textiles', 'electronics', 'building materials', 'packaging'];

interface Pending {
  readonly id: string;
  readonly resolveOn?: number;
  readonly communicateOn?: number;
}

/** Dates a term's story happens on, as day indexes of the log. */
interface TermPlan {
  reminderOn?: number;
  renewOn?: number;
  churnOn?: number;
  churnKind?: 'lapsed' | 'cancelled';
  winBackOn?: number;
}

export class CustomerSimulation {
  private state: CustomerState = initialCustomerState;
  private plan: TermPlan = {};
  private issues: Pending[] = [];
  private complaints: Pending[] = [];
  private counter = 0;
  readonly telemetry: TelemetrySimulation;

  private constructor(
    readonly id: string,
    private readonly startDay: string,
    bidding: boolean,
    keyAccount: boolean,
    rnd: Random,
  ) {
    this.telemetry = new TelemetrySimulation(id, bidding, keyAccount, rnd);
  }

  static sign(index: number, day: number, options: GeneratedLogOptions, staff: Staff, rnd: Random, emit: LogEmitter): CustomerSimulation {
    const id = `cust-${String(index + 1).padStart(6, '0')}`;
    const bidding = rnd.chance(0.55);
    const keyAccount = rnd.chance(0.1);
    const sim = new CustomerSimulation(id, options.startDay, bidding, keyAccount, rnd);
    const forced = day === 0 && index < FORCED.length * 4 ? FORCED[index % FORCED.length] : undefined;
    const fate = forced ?? randomFate(rnd);
    // Customers already signed on day one are mid-term; a forced win-back ends early enough to be seen.
    const endIndex = day > 0 ? day + 364 : fate === 'lapse_win_back' ? rnd.int(5, Math.max(6, options.days - 70)) : rnd.int(5, 5 + Math.floor(options.days * 1.5));
    const end = sim.dayOf(endIndex);
    const start = day > 0 ? sim.dayOf(day) : addDays(end, -364);
    sim.run(emit, MANAGER, {
      type: 'SignCustomer',
      data: {
        customerId: id,
        actorId: MANAGER.id,
        on: sim.dayOf(day),
        companyName: `Company ${index + 1}`,
        contact: { name: `Contact ${index + 1}`, phone: `+86 571 ${String(10_000_000 + index).slice(-8)}` },
        industry: rnd.pick(INDUSTRIES),
        product: bidding ? 'bidding' : 'membership',
        contractAmountFen: rnd.int(60, 300) * 10_000,
        term: { start, end },
        salesRepId: rnd.pick(staff.salesReps),
        serviceRepId: staff.serviceReps[index % staff.serviceReps.length]!,
        grade: rnd.pick(GRADES),
        keyAccount,
      },
    });
    sim.planTerm(endIndex, day, fate, rnd, options.days);
    return sim;
  }

  private dayOf(index: number): string {
    return addDays(this.startDay, index);
  }

  private get known(): KnownCustomer {
    if (this.state.status === 'unknown') throw new Error(`${this.id} is not signed`);
    return this.state;
  }

  private run(emit: LogEmitter, actor: Actor, command: CustomerCommand): void {
    const decision = decideCustomer(command, this.state);
    if (!Array.isArray(decision)) throw new Error(`Generated ${command.type} for ${this.id} refused: ${(decision as { message: string }).message}`);
    for (const event of decision) this.state = evolveCustomer(this.state, event);
    emit.emit(streamName(CUSTOMER_CATEGORY, this.id), decision, actor);
  }

  private planTerm(endIndex: number, today: number, fate: Fate, rnd: Random, days: number): void {
    const x = rnd();
    const reminderOn = x < 0.75 ? endIndex - rnd.int(15, 30) : x < 0.9 ? endIndex - rnd.int(1, 14) : undefined;
    this.plan = { reminderOn: reminderOn !== undefined && reminderOn > today ? reminderOn : undefined };
    if (fate === 'renew' || fate === 'late') {
      this.plan.renewOn = Math.max(today + 1, endIndex + (fate === 'renew' ? rnd.int(-10, 10) : rnd.int(11, 28)));
      // A reminder after the renewal would be about the next term: leave it out.
      if (this.plan.reminderOn !== undefined && this.plan.reminderOn >= this.plan.renewOn) this.plan.reminderOn = undefined;
    }
    if (fate === 'lapse' || fate === 'lapse_win_back') {
      this.plan.churnOn = endIndex + rnd.int(31, 34);
      this.plan.churnKind = 'lapsed';
      if (fate === 'lapse_win_back') this.plan.winBackOn = this.plan.churnOn + rnd.int(5, 25);
    } else if (fate === 'cancel' || fate === 'cancel_win_back') {
      this.plan.churnOn = today + rnd.int(10, Math.max(11, Math.min(endIndex - today - 1, Math.floor(days / 2))));
      this.plan.churnKind = 'cancelled';
      if (fate === 'cancel_win_back') this.plan.winBackOn = this.plan.churnOn + rnd.int(10, 30);
    }
  }

  /** Whether the customer is under contract (telemetry and visits stop while churned). */
  get active(): boolean {
    return this.state.status === 'active';
  }

  workDay(d: number, staff: Staff, rnd: Random, emit: LogEmitter): void {
    const s = this.known;
    const on = this.dayOf(d);
    const base = { customerId: this.id, on };
    const rep: Actor = { id: s.serviceRepId, role: 'rep' };
    const supervisor: Actor = { id: staff.supervisors[d % staff.supervisors.length]!, role: 'supervisor' };
    const next = () => `${this.id}-${(this.counter += 1)}`;
    if (this.plan.winBackOn === d && s.status === 'churned') {
      this.visit(d, rep, 1, 'phone', 'renewal', true, rnd, emit);
      const newTerm = { start: on, end: addDays(on, 364) };
      this.run(emit, rep, { type: 'CollectRenewal', data: { ...base, actorId: rep.id, amountFen: rnd.int(60, 300) * 10_000, newTerm, paymentReference: `PAY-${next()}` } });
      this.planTerm(d + 364, d, randomFate(rnd), rnd, 10_000);
      return;
    }
    if (s.status === 'churned') return;
    if (rnd.chance(0.002)) {
      const to = rnd.pick(staff.serviceReps.filter((r) => r !== s.serviceRepId));
      this.run(emit, supervisor, { type: 'AssignServiceRep', data: { ...base, actorId: supervisor.id, serviceRepId: to, reason: 'workload balance' } });
    }
    const rep2: Actor = { id: this.known.serviceRepId, role: 'rep' };
    const dueFollowUp = [...this.known.openFollowUps.values()].some((due) => due <= on);
    if (rnd.chance(dueFollowUp ? 0.5 : s.keyAccount ? 0.1 : 0.05)) this.visit(d, rep2, 1, rnd.pick(CHANNELS), rnd.pick(VISIT_PURPOSES), rnd.chance(0.8), rnd, emit);
    if (rnd.chance(0.004)) this.visit(d, supervisor, 2, 'phone', 'effect_survey', rnd.chance(0.85), rnd, emit);
    if (rnd.chance(0.004)) {
      this.run(emit, rep2, { type: 'ScheduleFollowUp', data: { ...base, actorId: rep2.id, followUpId: next(), dueOn: addDays(on, rnd.int(2, 10)), note: 'call back' } });
    }
    this.issueWork(d, rep2, rnd, emit);
    if (rnd.chance(0.0008)) {
      const complaintId = next();
      const againstRepId = rnd.chance(0.5) ? { againstRepId: rep2.id } : {};
      this.run(emit, supervisor, { type: 'FileComplaint', data: { ...base, actorId: supervisor.id, complaintId, category: 'service', description: 'Slow answers', ...againstRepId } });
      this.complaints.push({ id: complaintId, resolveOn: rnd.chance(0.85) ? d + rnd.int(2, 10) : undefined });
    }
    for (const complaint of this.complaints.filter((c) => c.resolveOn === d && this.known.complaints.get(c.id) === 'open')) {
      this.run(emit, supervisor, { type: 'ResolveComplaint', data: { ...base, actorId: supervisor.id, complaintId: complaint.id, resolution: 'Apologised; new contact' } });
    }
    if (rnd.chance(0.002)) this.run(emit, rep2, { type: 'IntroduceBuyer', data: { ...base, actorId: rep2.id, introductionId: next(), buyerName: 'Buyer Co.' } });
    if (rnd.chance(0.001)) this.run(emit, MANAGER, { type: 'GradeCustomer', data: { ...base, actorId: MANAGER.id, grade: rnd.pick(GRADES.filter((g) => g !== s.grade)) } });
    if (rnd.chance(0.0005)) this.run(emit, MANAGER, { type: 'SetKeyAccount', data: { ...base, actorId: MANAGER.id, keyAccount: !this.known.keyAccount } });
    this.termWork(d, rep2, rnd, emit);
  }

  private termWork(d: number, rep: Actor, rnd: Random, emit: LogEmitter): void {
    const base = { customerId: this.id, on: this.dayOf(d) };
    if (this.plan.reminderOn === d) {
      this.run(emit, rep, { type: 'SendRenewalReminder', data: { ...base, actorId: rep.id, reminderId: `${this.id}-r${(this.counter += 1)}`, channel: rnd.pick(['phone', 'email'] as const) } });
    }
    if (this.plan.renewOn === d) {
      const term = this.known.term;
      const newTerm = { start: addDays(term.end, 1), end: addDays(term.end, 365) };
      this.run(emit, rep, { type: 'CollectRenewal', data: { ...base, actorId: rep.id, amountFen: rnd.int(60, 300) * 10_000, newTerm, paymentReference: `PAY-${this.id}-${(this.counter += 1)}` } });
      this.planTerm(daysBetween(this.startDay, this.known.term.end), d, randomFate(rnd), rnd, 10_000);
    }
    if (this.plan.churnOn === d && this.plan.churnKind) {
      const reason = this.plan.churnKind === 'lapsed' ? 'no renewal' : 'budget cut';
      this.run(emit, rep, { type: 'RecordChurn', data: { ...base, actorId: rep.id, kind: this.plan.churnKind, reason } });
    }
  }

  private issueWork(d: number, rep: Actor, rnd: Random, emit: LogEmitter): void {
    const base = { customerId: this.id, on: this.dayOf(d) };
    // A step missed while the customer was churned is skipped: the decider would refuse it.
    for (const issue of this.issues) {
      if (issue.resolveOn === d && this.known.issues.get(issue.id) === 'open') this.run(emit, rep, { type: 'ResolveIssue', data: { ...base, actorId: rep.id, issueId: issue.id, resolution: 'Fixed on the platform' } });
      if (issue.communicateOn === d && this.known.issues.get(issue.id) === 'resolved') {
        this.run(emit, rep, { type: 'CommunicateIssueResolution', data: { ...base, actorId: rep.id, issueId: issue.id, channel: rnd.pick(['phone', 'email'] as const) } });
      }
    }
  }

  private visit(d: number, actor: Actor, level: 1 | 2, channel: VisitChannel, purpose: (typeof VISIT_PURPOSES)[number], reached: boolean, rnd: Random, emit: LogEmitter): void {
    const on = this.dayOf(d);
    const visitId = `${this.id}-v${(this.counter += 1)}`;
    this.run(emit, actor, {
      type: 'RecordVisit',
      data: {
        customerId: this.id,
        actorId: actor.id,
        on,
        visitId,
        level,
        channel,
        purpose,
        reached,
        ...(reached ? { contactRole: rnd.pick(['decision_maker', 'operator'] as const) } : {}),
        summary: reached ? 'Talked through this month’s results' : 'No answer',
        ...(reached && rnd.chance(0.3) ? { feedback: 'Wants more inquiries' } : {}),
        ...(reached && rnd.chance(0.2) ? { effect: { calls: rnd.int(0, 20), inquiries: rnd.int(0, 30), deals: rnd.int(0, 3) } } : {}),
        ...(reached && rnd.chance(0.6) ? { satisfaction: rnd.chance(0.1) ? rnd.int(1, 2) : rnd.int(3, 5) } : {}),
        ...(rnd.chance(0.3) ? { nextFollowUpOn: addDays(on, rnd.int(3, 14)) } : {}),
      },
    });
    if (reached && level === 1 && rnd.chance(0.1)) {
      const issueId = `${this.id}-i${(this.counter += 1)}`;
      const category = rnd.pick(ISSUE_CATEGORIES);
      this.run(emit, actor, { type: 'RaiseIssue', data: { customerId: this.id, actorId: actor.id, on, issueId, category, description: `A ${category} problem`, visitId } });
      const resolveOn = rnd.chance(0.85) ? d + rnd.int(1, 12) : undefined;
      const communicateOn = resolveOn !== undefined && rnd.chance(0.7) ? resolveOn + rnd.int(0, 6) : undefined;
      this.issues.push({ id: issueId, resolveOn, communicateOn });
    }
  }

  telemetryDay(d: number, rnd: Random, emit: LogEmitter): void {
    this.telemetry.day(this.dayOf(d), this.active, rnd, emit);
  }
}
