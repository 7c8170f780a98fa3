import { type CustomerFactsDoc, VISIT_CHANNELS, VISIT_LEVELS, type VisitChannel, type VisitLevel } from '#customer';
import { addDays, monthEnd } from '#shared-kernel';
import { monthsCovering, type SpendSeries, type UsageSeries } from '#telemetry';
import { averageCpc } from '#views';
import type { DayWindow } from './effect-report-terms';

/** What the effect report counts over a span of days; money in fen, CPC in CNY. */
export interface WindowFigures {
  readonly logins: number;
  readonly shopViews: number;
  readonly adClicks: number;
  readonly inquiriesReceived: number;
  /** What the customer told reps in visits (calls, inquiries, deals it had), summed over the visits. */
  readonly reportedCalls: number;
  readonly reportedInquiries: number;
  readonly reportedDeals: number;
  readonly spendFen: number;
  readonly clicks: number;
  /** Spend ÷ clicks in CNY, 2 decimals; null without clicks. */
  readonly cpc: number | null;
  /** Active keywords on the first and last day with a spend report, and their average over the reported days. */
  readonly keywordsAtStart: number | null;
  readonly keywordsAtEnd: number | null;
  readonly keywordsAverage: number | null;
  /** Every visit made, reached or not, at any level. */
  readonly visits: number;
  /** Visits that reached the customer. */
  readonly contacts: number;
  readonly issuesRaised: number;
  readonly issuesResolved: number;
  /** Resolutions told to the customer: the issues closed. */
  readonly issuesCommunicated: number;
  readonly buyerIntroductions: number;
  readonly renewalReminders: number;
}

export type FigureKey = keyof WindowFigures;

/** Every figure, in the order the report shows them. */
export const FIGURE_KEYS: readonly FigureKey[] = [
  'logins',
  'shopViews',
  'adClicks',
  'inquiriesReceived',
  'reportedCalls',
  'reportedInquiries',
  'reportedDeals',
  'spendFen',
  'clicks',
  'cpc',
  'keywordsAtStart',
  'keywordsAtEnd',
  'keywordsAverage',
  'visits',
  'contacts',
  'issuesRaised',
  'issuesResolved',
  'issuesCommunicated',
  'buyerIntroductions',
  'renewalReminders',
];

/** Visits per channel and per level over a span of days. */
export interface VisitBreakdown {
  readonly byChannel: Readonly<Record<VisitChannel, number>>;
  readonly byLevel: Readonly<Record<VisitLevel, number>>;
}

const within = (day: string | undefined, window: DayWindow): boolean => day !== undefined && day >= window.from && day <= window.to;

const keywords = (spend: SpendSeries, window: DayWindow): Pick<WindowFigures, 'keywordsAtStart' | 'keywordsAtEnd' | 'keywordsAverage'> => {
  let first: number | null = null;
  let last: number | null = null;
  let total = 0;
  let reported = 0;
  for (let day = window.from; day <= window.to; day = addDays(day, 1)) {
    const value = spend.value('activeKeywords', day);
    if (value === undefined) continue;
    first ??= value;
    last = value;
    total += value;
    reported += 1;
  }
  return { keywordsAtStart: first, keywordsAtEnd: last, keywordsAverage: reported === 0 ? null : Math.round((total * 10) / reported) / 10 };
};

/** The figures of one customer over the days of `window`; facts dated outside it are left out. */
export const windowFigures = (doc: CustomerFactsDoc, usage: UsageSeries, spend: SpendSeries, window: DayWindow): WindowFigures => {
  const visits = doc.visits.filter((visit) => within(visit.on, window));
  const effect = (field: 'calls' | 'inquiries' | 'deals'): number => visits.reduce((sum, visit) => sum + (visit.effect?.[field] ?? 0), 0);
  const spendFen = spend.sum('spendFen', window.from, window.to);
  const clicks = spend.sum('clicks', window.from, window.to);
  return {
    logins: usage.sum('logins', window.from, window.to),
    shopViews: usage.sum('shopViews', window.from, window.to),
    adClicks: usage.sum('adClicks', window.from, window.to),
    inquiriesReceived: usage.sum('inquiriesReceived', window.from, window.to),
    reportedCalls: effect('calls'),
    reportedInquiries: effect('inquiries'),
    reportedDeals: effect('deals'),
    spendFen,
    clicks,
    cpc: averageCpc(spendFen, clicks),
    ...keywords(spend, window),
    visits: visits.length,
    contacts: visits.filter((visit) => visit.reached).length,
    issuesRaised: doc.issues.filter((issue) => within(issue.raisedOn, window)).length,
    issuesResolved: doc.issues.filter((issue) => within(issue.resolvedOn, window)).length,
    issuesCommunicated: doc.issues.filter((issue) => within(issue.communicatedOn, window)).length,
    buyerIntroductions: doc.buyerIntroductions.filter((introduction) => within(introduction.on, window)).length,
    renewalReminders: doc.reminders.filter((reminder) => within(reminder.on, window)).length,
  };
};

export const visitBreakdown = (doc: CustomerFactsDoc, window: DayWindow): VisitBreakdown => {
  const visits = doc.visits.filter((visit) => within(visit.on, window));
  const byChannel = Object.fromEntries(VISIT_CHANNELS.map((channel) => [channel, visits.filter((visit) => visit.channel === channel).length]));
  const byLevel = Object.fromEntries(VISIT_LEVELS.map((level) => [level, visits.filter((visit) => visit.level === level).length]));
  return { byChannel: byChannel as Record<VisitChannel, number>, byLevel: byLevel as Record<VisitLevel, number> };
};

/** One calendar month of a term (clipped to the counted days) for the charts. */
export interface MonthPoint {
  /** `YYYY-MM` */
  readonly month: string;
  /** 1 = the term's first month. */
  readonly monthOfTerm: number;
  readonly from: string;
  readonly to: string;
  readonly days: number;
  readonly logins: number;
  readonly inquiriesReceived: number;
  readonly spendFen: number;
  readonly clicks: number;
  readonly cpc: number | null;
}

/** Per calendar month of `window`: the first and last months hold only the window's days. */
export const monthlySeries = (usage: UsageSeries, spend: SpendSeries, window: DayWindow): MonthPoint[] =>
  monthsCovering(window.from, window.to).map((month, index) => {
    const first = `${month}-01`;
    const from = first < window.from ? window.from : first;
    const last = monthEnd(first);
    const to = last > window.to ? window.to : last;
    const spendFen = spend.sum('spendFen', from, to);
    const clicks = spend.sum('clicks', from, to);
    return {
      month,
      monthOfTerm: index + 1,
      from,
      to,
      days: Number(to.slice(8, 10)) - Number(from.slice(8, 10)) + 1,
      logins: usage.sum('logins', from, to),
      inquiriesReceived: usage.sum('inquiriesReceived', from, to),
      spendFen,
      clicks,
      cpc: averageCpc(spendFen, clicks),
    };
  });
