import { CUSTOMER_CATEGORY, type CustomerCommand, type CustomerState, decideCustomer, evolveCustomer, GRADES, initialCustomerState, ISSUE_CATEGORIES, type IssueCategory, type KnownCustomer, VISIT_PURPOSES, type VisitChannel, type VisitPurpose } from '#customer';
import { streamName } from '#event-store';
import { type Actor, addDays, daysBetween } from '#shared-kernel';
import { TelemetrySimulation } from './demo-telemetry';
import type { Calendar } from './calendar';
import type { LogEmitter } from './emitter';
import type { Random } from './random';
import { MANAGER, serviceRepFor, type RepProfile, type Segment, type Staff } from './staff';

/** How a term ends; the first customers cycle through all of them so even a small log has each kind. */
type Fate = 'renew' | 'late' | 'lapse' | 'lapse_win_back' | 'cancel' | 'cancel_win_back';
const FORCED: readonly Fate[] = ['renew', 'lapse_win_back', 'late', 'cancel_win_back', 'renew', 'lapse', 'cancel', 'renew'];

/** The rep's retention shifts the chance of an on-time renewal; the rest is shared out as before. */
const randomFate = (rnd: Random, retention = 0): Fate => {
  const renew = Math.min(0.85, Math.max(0.3, 0.6 + retention));
  const x = rnd();
  if (x < renew) return 'renew';
  const y = (x - renew) / (1 - renew);
  return y < 0.3 ? 'late' : y < 0.55 ? 'lapse' : y < 0.7 ? 'lapse_win_back' : y < 0.88 ? 'cancel' : 'cancel_win_back';
};

const OTHER_CHANNELS: readonly VisitChannel[] = ['email', 'email', 'sms', 'chat', 'onsite', 'meeting'];
const INDUSTRIES = ['machinery', 'chemicals', 'textiles', 'electronics', 'building materials', 'packaging', 'fasteners', 'hardware'];
const COMPANY_WORDS = ['Huada', 'Jinhai', 'Xinyuan', 'Longsheng', 'Tianrui', 'Hengtai', 'Mingyang', 'Dongfang', 'Kaida', 'Ruifeng', 'Baolong', 'Zhongxin'];

/** What customers say on a visit, by the issue category it leads to (`general` raises no issue). */
const FEEDBACK: Record<IssueCategory | 'general', readonly string[]> = {
  platform: ['The back office is slow in the mornings', 'Cannot upload more than 20 product photos', 'Login keeps asking for the code again'],
  content: ['Industry news is out of date', 'Our product category is missing', 'Supplier listings have typos'],
  promotion: ['Wants a better ranking for the main keyword', 'Asks for a banner slot in the trade fair month', 'Newsletter placement brought no calls'],
  billing: ['Invoice arrived late', 'Asks to split the renewal into two payments', 'Charged twice for one keyword'],
  technical: ['Inquiry e-mails go to spam', 'Shop page broken on mobile', 'Statistics page shows no data for last week'],
  other: ['Wants training for a new operator', 'Asks who the new contact person is'],
  general: ['Happy with the inquiries this month', 'Wants more inquiries from abroad', 'Asks for a comparison with competitors', 'Busy season, call back next week'],
};

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

export interface CustomerSignOptions {
  readonly days: number;
  readonly calendar: Calendar;
}

/** One customer's year: signed by a sales rep, served by a service rep whose profile shapes what happens. */
export class CustomerSimulation {
  private state: CustomerState = initialCustomerState;
  private plan: TermPlan = {};
  private issues: Pending[] = [];
  private complaints: Pending[] = [];
  private counter = 0;
  /** The day (index) a supervisor hands the customer to another rep, told once in every log (see `sign`). */
  private handOverOn?: number;
  /** Seed 003's multi-head visit: the sales rep who signed the customer calls too, within three days of the service rep. */
  private salesCallOn?: number;
  /** What the customer pays per term (renewals may change it). */
  private amountFen = 0;
  private termEnd?: { day: string; index: number };
  readonly telemetry: TelemetrySimulation;
  /** On the rep's routine call list; a customer left off it is contacted only now and then, and may be forgotten. */
  routine = true;

  private constructor(
    readonly id: string,
    private readonly calendar: Calendar,
    private readonly segment: Segment,
    private readonly salesRepId: string,
    rnd: Random,
  ) {
    this.telemetry = new TelemetrySimulation(id, segment !== 'membership', segment === 'key', rnd);
  }

  static sign(index: number, day: number, options: CustomerSignOptions, staff: Staff, rnd: Random, emit: LogEmitter): CustomerSimulation {
    const id = `cust-${String(index + 1).padStart(6, '0')}`;
    const x = rnd();
    const segment: Segment = x < 0.45 ? 'membership' : x < 0.55 ? 'key' : 'bidding';
    const salesRepId = rnd.pick(staff.salesReps);
    const serviceRepId = serviceRepFor(staff, salesRepId, segment, index);
    const sim = new CustomerSimulation(id, options.calendar, segment, salesRepId, rnd);
    sim.routine = segment === 'key' || rnd.chance(0.75);
    // Every log tells a reassignment: the third customer changes hands a month in (others now and then, by chance).
    if (index === 2) sim.handOverOn = Math.min(30, Math.max(1, options.days - 1));
    const forced = day === 0 && index < FORCED.length * 4 ? FORCED[index % FORCED.length] : undefined;
    const fate = forced ?? randomFate(rnd, staff.profiles.get(serviceRepId)!.retention);
    // Customers already signed on day one are mid-term (a one-year term that started before the demo);
    // a forced win-back ends early enough to be seen.
    const endIndex = day > 0 ? day + 364 : fate === 'lapse_win_back' ? rnd.int(5, Math.max(6, Math.min(364, options.days - 70))) : rnd.int(5, 364);
    const end = sim.dayOf(endIndex);
    const start = day > 0 ? sim.dayOf(day) : addDays(end, -364);
    const amountFen = (segment === 'key' ? rnd.int(300, 1200) : segment === 'bidding' ? rnd.int(100, 400) : rnd.int(60, 250)) * 10_000;
    sim.amountFen = amountFen;
    sim.run(emit, MANAGER, {
      type: 'SignCustomer',
      data: {
        customerId: id,
        actorId: MANAGER.id,
        on: sim.dayOf(day),
        companyName: `${rnd.pick(COMPANY_WORDS)} ${rnd.pick(['Trading', 'Industrial', 'Technology', 'Manufacturing'])} Co. ${index + 1}`,
        contact: { name: `Contact ${index + 1}`, phone: `+86 571 ${String(10_000_000 + index).slice(-8)}` },
        industry: rnd.pick(INDUSTRIES),
        product: segment === 'membership' ? 'membership' : 'bidding',
        contractAmountFen: amountFen,
        term: { start, end },
        salesRepId,
        serviceRepId,
        grade: segment === 'key' ? rnd.pick(['A', 'B'] as const) : rnd.pick(GRADES),
        keyAccount: segment === 'key',
      },
    });
    sim.planTerm(endIndex, day, fate, rnd, options.days);
    return sim;
  }

  private dayOf(index: number): string {
    return this.calendar.day(index);
  }

  /** The current term's last day as a day index (cached: it changes only with a renewal). */
  private termEndIndex(): number {
    const end = this.known.term.end;
    if (this.termEnd?.day !== end) this.termEnd = { day: end, index: daysBetween(this.calendar.startDay, end) };
    return this.termEnd.index;
  }

  private get known(): KnownCustomer {
    if (this.state.status === 'unknown') throw new Error(`${this.id} is not signed`);
    return this.state;
  }

  private run(emit: LogEmitter, actor: Actor, command: CustomerCommand): void {
    const decision = decideCustomer(command, this.state);
    if (!Array.isArray(decision)) throw new Error(`Demo ${command.type} for ${this.id} refused: ${(decision as { message: string }).message}`);
    for (const event of decision) this.state = evolveCustomer(this.state, event);
    emit.emit(streamName(CUSTOMER_CATEGORY, this.id), decision, actor);
  }

  private profile(staff: Staff): RepProfile {
    return staff.profiles.get(this.known.serviceRepId)!;
  }

  private planTerm(endIndex: number, today: number, fate: Fate, rnd: Random, days: number, profile?: RepProfile): void {
    const x = rnd();
    const onTime = profile?.remindsOnTime ?? 0.75;
    const reminderOn = x < onTime ? endIndex - rnd.int(15, 30) : x < onTime + (1 - onTime) * 0.6 ? endIndex - rnd.int(1, 14) : undefined;
    this.plan = { reminderOn: reminderOn !== undefined && reminderOn > today ? reminderOn : undefined };
    if (fate === 'renew' || fate === 'late') {
      this.plan.renewOn = Math.max(today + 1, endIndex + (fate === 'renew' ? rnd.int(-20, 10) : rnd.int(11, 28)));
      // A reminder after the renewal would be about the next term: leave it out.
      if (this.plan.reminderOn !== undefined && this.plan.reminderOn >= this.plan.renewOn) this.plan.reminderOn = undefined;
    }
    if (fate === 'lapse' || fate === 'lapse_win_back') {
      this.plan.churnOn = endIndex + rnd.int(31, 34);
      this.plan.churnKind = 'lapsed';
      if (fate === 'lapse_win_back') this.plan.winBackOn = this.plan.churnOn + rnd.int(5, 60);
    } else if (fate === 'cancel' || fate === 'cancel_win_back') {
      this.plan.churnOn = today + rnd.int(10, Math.max(11, Math.min(endIndex - today - 1, Math.floor(days / 2))));
      this.plan.churnKind = 'cancelled';
      if (fate === 'cancel_win_back') this.plan.winBackOn = this.plan.churnOn + rnd.int(10, 60);
    }
  }

  /** Whether the customer is under contract (telemetry and visits stop while churned). */
  get active(): boolean {
    return this.state.status === 'active';
  }

  /** The service rep responsible now. */
  get serviceRepId(): string {
    return this.known.serviceRepId;
  }

  /**
   * One of the rep's routine calls of the day (seed 000: about ten calls to five customers a day): a phone call
   * that reaches the customer or not, now and then raising an issue.
   */
  routineCall(d: number, staff: Staff, rnd: Random, emit: LogEmitter): void {
    if (!this.active) return;
    const rep: Actor = { id: this.known.serviceRepId, role: 'rep' };
    const purpose: VisitPurpose = this.termEndIndex() - d <= 90 && rnd.chance(0.3) ? 'renewal' : rnd.pick(['care', 'care', 'effect_survey', 'training'] as const);
    this.visit(d, rep, 1, 'phone', purpose, rnd.chance(this.profile(staff).reachRate), staff, rnd, emit, 0.01);
  }

  workDay(d: number, staff: Staff, rnd: Random, emit: LogEmitter): void {
    const s = this.known;
    const on = this.dayOf(d);
    const base = { customerId: this.id, on };
    const next = () => `${this.id}-${(this.counter += 1)}`;
    if (this.plan.winBackOn === d && s.status === 'churned') {
      const rep: Actor = { id: s.serviceRepId, role: 'rep' };
      this.visit(d, rep, 1, 'phone', 'renewal', true, staff, rnd, emit);
      const newTerm = { start: on, end: addDays(on, 364) };
      this.run(emit, rep, { type: 'CollectRenewal', data: { ...base, actorId: rep.id, amountFen: this.amountFen, newTerm, paymentReference: `PAY-${next()}` } });
      this.planTerm(d + 364, d, randomFate(rnd, this.profile(staff).retention), rnd, 10_000, this.profile(staff));
      return;
    }
    if (s.status === 'churned') return;
    const working = this.calendar.isWorking(d);
    const group = staff.groupOf.get(s.serviceRepId)!;
    const supervisor: Actor = { id: staff.supervisorOfGroup.get(group)!, role: 'supervisor' };
    if ((working && rnd.chance(0.0004)) || this.handOverOn === d) {
      const candidates = staff.repsBySegment.get(this.segment)!.filter((r) => r !== s.serviceRepId);
      if (candidates.length > 0) {
        this.run(emit, supervisor, { type: 'AssignServiceRep', data: { ...base, actorId: supervisor.id, serviceRepId: rnd.pick(candidates), reason: rnd.pick(['workload balance', 'rep changed group', 'customer asked for another contact']) } });
      }
    }
    const profile = this.profile(staff);
    const rep: Actor = { id: this.known.serviceRepId, role: 'rep' };
    if (working) {
      const dueFollowUp = [...this.known.openFollowUps.values()].some((due) => due <= on);
      const expiring = this.termEndIndex() - d <= 90;
      // A customer off the routine list is thought of rarely, unless a follow-up is due.
      const daily = (dueFollowUp ? 0.6 : (this.segment === 'key' ? 0.16 : expiring ? 0.11 : 0.07) * (this.routine ? 1 : 0.15)) * profile.cadence;
      if (rnd.chance(daily)) {
        const channel = rnd.chance(profile.phoneShare) ? 'phone' : rnd.pick(OTHER_CHANNELS);
        const purpose: VisitPurpose = expiring && rnd.chance(0.4) ? 'renewal' : rnd.pick(VISIT_PURPOSES.filter((p) => p !== 'renewal'));
        this.visit(d, rep, 1, channel, purpose, rnd.chance(profile.reachRate), staff, rnd, emit);
      }
      if (rnd.chance(0.006)) this.visit(d, supervisor, 2, 'phone', 'effect_survey', rnd.chance(0.85), staff, rnd, emit);
      if (rnd.chance(0.003)) {
        this.run(emit, rep, { type: 'ScheduleFollowUp', data: { ...base, actorId: rep.id, followUpId: next(), dueOn: addDays(on, rnd.int(2, 10)), note: 'call back' } });
      }
    }
    this.salesCall(d, emit);
    this.issueWork(d, rep, rnd, emit);
    if (rnd.chance(0.0006 + (profile.satisfactionBias < -0.4 ? 0.0008 : 0))) {
      const complaintId = next();
      const againstRepId = rnd.chance(0.6) ? { againstRepId: rep.id } : {};
      const category = rnd.pick(['service', 'service', 'product', 'billing', 'other'] as const);
      this.run(emit, supervisor, { type: 'FileComplaint', data: { ...base, actorId: supervisor.id, complaintId, category, description: rnd.pick(['Slow answers', 'Nobody called back', 'Wrong invoice', 'Promised ranking not delivered']), ...againstRepId } });
      this.complaints.push({ id: complaintId, resolveOn: rnd.chance(0.85) ? d + rnd.int(2, 10) : undefined });
    }
    for (const complaint of this.complaints.filter((c) => c.resolveOn === d && this.known.complaints.get(c.id) === 'open')) {
      this.run(emit, supervisor, { type: 'ResolveComplaint', data: { ...base, actorId: supervisor.id, complaintId: complaint.id, resolution: 'Apologised; new contact' } });
    }
    if (working && rnd.chance(0.002)) this.run(emit, rep, { type: 'IntroduceBuyer', data: { ...base, actorId: rep.id, introductionId: next(), buyerName: `${rnd.pick(COMPANY_WORDS)} Buyers Ltd.` } });
    if (rnd.chance(0.0008)) this.run(emit, MANAGER, { type: 'GradeCustomer', data: { ...base, actorId: MANAGER.id, grade: rnd.pick(GRADES.filter((g) => g !== s.grade)) } });
    this.termWork(d, rep, staff, rnd, emit);
  }

  private termWork(d: number, rep: Actor, staff: Staff, rnd: Random, emit: LogEmitter): void {
    const base = { customerId: this.id, on: this.dayOf(d) };
    if (this.plan.reminderOn === d) {
      this.run(emit, rep, { type: 'SendRenewalReminder', data: { ...base, actorId: rep.id, reminderId: `${this.id}-r${(this.counter += 1)}`, channel: rnd.pick(['phone', 'email'] as const) } });
    }
    if (this.plan.renewOn === d) {
      const term = this.known.term;
      const newTerm = { start: addDays(term.end, 1), end: addDays(term.end, 365) };
      // Renewals mostly keep the amount; a customer who saw results buys more.
      const amountFen = Math.round((this.amountFen * rnd.pick([1, 1, 1, 1.2, 1.5, 0.8])) / 10_000) * 10_000;
      this.amountFen = amountFen;
      this.run(emit, rep, { type: 'CollectRenewal', data: { ...base, actorId: rep.id, amountFen, newTerm, paymentReference: `PAY-${this.id}-${(this.counter += 1)}` } });
      const profile = this.profile(staff);
      this.planTerm(this.termEndIndex(), d, randomFate(rnd, profile.retention), rnd, 10_000, profile);
    }
    if (this.plan.churnOn === d && this.plan.churnKind) {
      const reason = this.plan.churnKind === 'lapsed' ? 'no renewal' : rnd.pick(['budget cut', 'no effect seen', 'moved to a competitor']);
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
    this.issues = this.issues.filter((issue) => (issue.communicateOn ?? issue.resolveOn ?? -1) >= d);
  }

  private visit(d: number, actor: Actor, level: 1 | 2, channel: VisitChannel, purpose: VisitPurpose, reached: boolean, staff: Staff, rnd: Random, emit: LogEmitter, raisesIssue = 0.1): void {
    const on = this.dayOf(d);
    const visitId = `${this.id}-v${(this.counter += 1)}`;
    const profile = this.profile(staff);
    const raises = reached && level === 1 && rnd.chance(raisesIssue);
    const category: IssueCategory | 'general' = raises ? rnd.pick(ISSUE_CATEGORIES) : 'general';
    const satisfaction = Math.max(1, Math.min(5, Math.round(rnd.between(2.6, 5.2) + profile.satisfactionBias)));
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
        ...(reached ? { contactRole: rnd.chance(0.55) ? ('decision_maker' as const) : ('operator' as const) } : {}),
        summary: reached ? (level === 2 ? 'Verification call: checked the service received' : 'Talked through this month’s results') : 'No answer',
        ...(reached && (raises || rnd.chance(0.3)) ? { feedback: rnd.pick(FEEDBACK[category]) } : {}),
        ...(reached && rnd.chance(0.25) ? { effect: { calls: rnd.int(0, 20), inquiries: rnd.int(0, 30), deals: rnd.int(0, 3) } } : {}),
        ...(reached && rnd.chance(0.6) ? { satisfaction } : {}),
        ...(level === 1 && rnd.chance(0.3) ? { nextFollowUpOn: addDays(on, rnd.int(3, 14)) } : {}),
      },
    });
    if (raises) {
      const issueId = `${this.id}-i${(this.counter += 1)}`;
      this.run(emit, actor, { type: 'RaiseIssue', data: { customerId: this.id, actorId: actor.id, on, issueId, category: category as IssueCategory, description: rnd.pick(FEEDBACK[category]), visitId } });
      // Most issues are fixed within days; of the rest, most are fixed late (a rep who rarely closes leaves more open).
      const resolveOn = rnd.chance(profile.resolves) ? d + rnd.int(1, 12) : rnd.chance(0.9) ? d + rnd.int(20, 60) : undefined;
      const communicateOn = resolveOn !== undefined && rnd.chance(profile.communicates) ? resolveOn + rnd.int(0, 6) : undefined;
      this.issues.push({ id: issueId, resolveOn, communicateOn });
    }
    if (level === 1 && reached && this.salesCallOn === undefined && rnd.chance(0.015)) this.salesCallOn = d + rnd.int(0, 2);
  }

  private salesCall(d: number, emit: LogEmitter): void {
    if (this.salesCallOn === undefined || this.salesCallOn > d) return;
    const due = this.salesCallOn === d;
    this.salesCallOn = undefined;
    if (!due) return;
    const sales: Actor = { id: this.salesRepId, role: 'rep' };
    this.run(emit, sales, {
      type: 'RecordVisit',
      data: { customerId: this.id, actorId: sales.id, on: this.dayOf(d), visitId: `${this.id}-v${(this.counter += 1)}`, level: 1, channel: 'phone', purpose: 'care', reached: true, contactRole: 'decision_maker', summary: 'Sales follow-up call' },
    });
  }

  /** Telemetry for the days of the current term before the log's first day (customers signed mid-term on day one). */
  telemetryHistory(rnd: Random, emit: LogEmitter): void {
    const days: string[] = [];
    for (let day = this.known.term.start; day < this.calendar.startDay; day = addDays(day, 1)) days.push(day);
    if (days.length > 0) this.telemetry.history(days, rnd, emit);
  }

  telemetryDay(d: number, rnd: Random, emit: LogEmitter): void {
    this.telemetry.day(this.dayOf(d), this.active, rnd, emit);
  }
}
