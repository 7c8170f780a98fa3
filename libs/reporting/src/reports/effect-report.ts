import { type CustomerFactsDoc, type Grade, type Product, repAssignedAt, VISIT_CHANNELS, VISIT_LEVELS, type VisitChannel, type VisitLevel } from '#customer';
import type { SpendSeries, UsageSeries } from '#telemetry';
import { FIGURE_KEYS, monthlySeries, visitBreakdown, windowFigures, type FigureKey, type MonthPoint, type WindowFigures } from './effect-report-figures';
import { formatCny, formatCount, formatFen, formatPercent } from './effect-report-format';
import { dayWindow, type ComparisonBasis, type PreviousTerm, type ReportedTerm, type TermSelection } from './effect-report-terms';

/** A figure of the reported term set against the previous term. */
export interface ComparedFigure {
  /** The reported term's counted days. */
  readonly current: number | null;
  /** The previous term over its compared days (see `basis`); null without a previous term. */
  readonly previous: number | null;
  /** current − previous; null when either is missing. */
  readonly change: number | null;
  /** The change in % of previous, one decimal; null when previous is 0 or either is missing. */
  readonly changePercent: number | null;
  /** The whole previous term, whatever was compared. */
  readonly previousTerm: number | null;
  /**
   * Platform figures only: the first day the log holds the customer's telemetry, when a compared period starts
   * before it. Then nothing is compared (previous, change and the whole previous term are null): a period the log
   * has no data for is never set against one it has.
   */
  readonly noDataBefore: string | null;
}

export type EffectFigures = Readonly<Record<FigureKey, ComparedFigure>>;

export interface EffectReport {
  readonly customerId: string;
  readonly companyName: string;
  readonly industry: string;
  readonly product: Product;
  readonly grade: Grade;
  readonly keyAccount: boolean;
  /** The service rep responsible on the last counted day. */
  readonly serviceRep: { readonly id: string; readonly name: string } | null;
  /** The business day the report is made for: nothing dated later is counted. */
  readonly asOf: string;
  readonly term: ReportedTerm;
  readonly previousTerm: PreviousTerm | null;
  readonly basis: ComparisonBasis;
  /** What was compared with what, in a sentence. */
  readonly comparisonNote: string;
  readonly headline: readonly string[];
  readonly figures: EffectFigures;
  readonly visitsByChannel: readonly ({ readonly channel: VisitChannel } & ComparedFigure)[];
  readonly visitsByLevel: readonly ({ readonly level: VisitLevel } & ComparedFigure)[];
  /** Per calendar month: the reported term's counted months, and the whole previous term's months. */
  readonly months: { readonly current: readonly MonthPoint[]; readonly previous: readonly MonthPoint[] };
}

export interface EffectReportInput {
  readonly doc: CustomerFactsDoc;
  readonly selection: TermSelection;
  /** The customer's daily telemetry, covering the previous term's start to the last counted day. */
  readonly usage: UsageSeries;
  readonly spend: SpendSeries;
  readonly asOf: string;
  readonly repNames: ReadonlyMap<string, string>;
}

export const FIGURE_LABELS: Readonly<Record<FigureKey, string>> = {
  logins: 'Logins',
  shopViews: 'Shop views',
  adClicks: 'Ad clicks',
  inquiriesReceived: 'Inquiries received',
  reportedCalls: 'Calls the customer reported',
  reportedInquiries: 'Inquiries the customer reported',
  reportedDeals: 'Deals the customer reported',
  spendFen: 'Spend (CNY)',
  clicks: 'Paid clicks',
  cpc: 'Average cost per click (CNY)',
  keywordsAtStart: 'Active keywords, first day',
  keywordsAtEnd: 'Active keywords, last day',
  keywordsAverage: 'Active keywords, daily average',
  visits: 'Visits made',
  contacts: 'Visits that reached the customer',
  issuesRaised: 'Issues raised',
  issuesResolved: 'Issues resolved',
  issuesCommunicated: 'Resolutions told to the customer',
  buyerIntroductions: 'Buyers introduced',
  renewalReminders: 'Renewal reminders sent',
};

/** A figure as text, in its unit. */
export const formatFigure = (key: FigureKey, value: number | null): string =>
  key === 'spendFen' ? formatFen(value) : key === 'cpc' ? formatCny(value) : formatCount(value);

const round = (value: number, decimals: number): number => Math.round(value * 10 ** decimals) / 10 ** decimals;

export const compare = (current: number | null, previous: number | null, previousTerm: number | null, noDataBefore: string | null = null): ComparedFigure => {
  if (noDataBefore !== null) return { current, previous: null, change: null, changePercent: null, previousTerm: null, noDataBefore };
  const both = current !== null && previous !== null;
  return {
    current,
    previous,
    // Rounded to cents so that CPC and averages carry no floating-point tails.
    change: both ? round(current - previous, 2) : null,
    changePercent: both && previous !== 0 ? round(((current - previous) / previous) * 100, 1) : null,
    previousTerm,
    noDataBefore: null,
  };
};

/** The figures read from the platform's telemetry: usage, and spend (with what is computed from spend). */
const USAGE_KEYS: ReadonlySet<FigureKey> = new Set(['logins', 'shopViews', 'adClicks', 'inquiriesReceived']);
const SPEND_SERIES_KEYS: ReadonlySet<FigureKey> = new Set(['spendFen', 'clicks', 'cpc', 'keywordsAtStart', 'keywordsAtEnd', 'keywordsAverage']);

/** Figures in the headline, in order; spend figures only for customers with spend. */
const HEADLINE: readonly FigureKey[] = ['inquiriesReceived', 'reportedDeals', 'logins', 'shopViews', 'spendFen', 'clicks', 'cpc'];
const SPEND_KEYS: ReadonlySet<FigureKey> = new Set(['spendFen', 'clicks', 'cpc']);

/** Spend figures matter for bidding customers, and for any customer that had spend in either term. */
export const showsSpend = (product: Product, figures: EffectFigures): boolean =>
  product === 'bidding' || (figures.spendFen.current ?? 0) > 0 || (figures.spendFen.previousTerm ?? 0) > 0;

const headlineOf = (figures: EffectFigures, hasPrevious: boolean, showSpend: boolean): string[] =>
  HEADLINE.filter((key) => showSpend || !SPEND_KEYS.has(key)).map((key) => {
    const figure = figures[key];
    const text = `${FIGURE_LABELS[key]}: ${formatFigure(key, figure.current)}`;
    if (figure.noDataBefore !== null) return `${text} (no data before ${figure.noDataBefore} to compare with)`;
    if (!hasPrevious || figure.current === null || figure.previous === null) return text;
    if (figure.changePercent !== null) return `${text} (${formatPercent(figure.changePercent)} vs previous term)`;
    return figure.current === figure.previous ? `${text} (as in the previous term)` : `${text} (up from ${formatFigure(key, figure.previous)} in the previous term)`;
  });

const noteOf = (term: ReportedTerm, previous: PreviousTerm | null, basis: ComparisonBasis, asOf: string): string => {
  const counted = term.complete
    ? `Term ${term.number} (${term.start} – ${term.end}, ${term.days} days)`
    : `Term ${term.number} (${term.start} – ${term.end}) is still running on ${asOf}: its first ${term.counted.days} of ${term.days} days`;
  switch (basis) {
    case 'none':
      return `${counted}. This is the customer's first term: there is no previous term to compare with.`;
    case 'full_terms':
      return `${counted}, compared with the whole of term ${previous!.number} (${previous!.start} – ${previous!.end}, ${previous!.days} days).`;
    case 'same_days':
      return (
        `${counted} are compared with the first ${previous!.compared.days} days of term ${previous!.number} ` +
        `(${previous!.compared.from} – ${previous!.compared.to}); the whole previous term is shown beside them.`
      );
    default: {
      const unknown: never = basis;
      throw new RangeError(`Unknown comparison basis ${String(unknown)}`);
    }
  }
};

/** What the note adds when platform figures could not be compared: since when the log has them. */
const missingNote = (figures: EffectFigures): string => {
  const usage = figures.logins.noDataBefore;
  const spend = figures.spendFen.noDataBefore;
  if (usage === null && spend === null) return '';
  const parts = [usage !== null ? `usage from ${usage}` : null, spend !== null ? `spend from ${spend}` : null].filter((part) => part !== null);
  return ` Platform figures are not compared: the log holds this customer's ${parts.join(' and ')} only.`;
};

/**
 * The effect report (服务效果统计文档) of one customer for one term: platform usage, the results the customer
 * reported, bidding spend and the service it received, each against the previous term. Pure: the term, `asOf`
 * and the data arrive as input.
 */
export const effectReport = (input: EffectReportInput): EffectReport => {
  const { doc, selection, usage, spend, asOf } = input;
  const { term, previous, basis } = selection;
  const current = windowFigures(doc, usage, spend, term.counted);
  const wholePrevious = previous ? dayWindow(previous.start, previous.end < asOf ? previous.end : asOf) : null;
  const compared = previous ? windowFigures(doc, usage, spend, previous.compared) : null;
  const full = wholePrevious ? windowFigures(doc, usage, spend, wholePrevious) : null;
  const at = (figures: WindowFigures | null, key: FigureKey): number | null => (figures ? figures[key] : null);
  // A comparison needs data for every day compared, in both terms: the platform's telemetry may begin later than
  // the log of the customer's own events (a deployment starts with none).
  const firstUsage = usage.firstReported();
  const firstSpend = spend.firstReported();
  const earliestCompared = previous ? previous.compared.from : null;
  const noDataBefore = (key: FigureKey): string | null => {
    const first = USAGE_KEYS.has(key) ? firstUsage : SPEND_SERIES_KEYS.has(key) ? firstSpend : undefined;
    return first !== undefined && earliestCompared !== null && earliestCompared < first ? first : null;
  };
  const figures = Object.fromEntries(FIGURE_KEYS.map((key) => [key, compare(current[key], at(compared, key), at(full, key), noDataBefore(key))])) as Record<FigureKey, ComparedFigure>;

  const visitsNow = visitBreakdown(doc, term.counted);
  const visitsBefore = previous ? visitBreakdown(doc, previous.compared) : null;
  const visitsWhole = wholePrevious ? visitBreakdown(doc, wholePrevious) : null;
  const repId = repAssignedAt(doc, term.counted.to);
  return {
    customerId: doc.id,
    companyName: doc.companyName,
    industry: doc.industry,
    product: doc.product,
    grade: doc.grade,
    keyAccount: doc.keyAccount,
    serviceRep: repId ? { id: repId, name: input.repNames.get(repId) ?? repId } : null,
    asOf,
    term,
    previousTerm: previous,
    basis,
    comparisonNote: noteOf(term, previous, basis, asOf) + missingNote(figures),
    headline: headlineOf(figures, previous !== null, showsSpend(doc.product, figures)),
    figures,
    visitsByChannel: VISIT_CHANNELS.map((channel) => ({
      channel,
      ...compare(visitsNow.byChannel[channel], visitsBefore?.byChannel[channel] ?? null, visitsWhole?.byChannel[channel] ?? null),
    })),
    visitsByLevel: VISIT_LEVELS.map((level) => ({
      level,
      ...compare(visitsNow.byLevel[level], visitsBefore?.byLevel[level] ?? null, visitsWhole?.byLevel[level] ?? null),
    })),
    months: { current: monthlySeries(usage, spend, term.counted), previous: wholePrevious ? monthlySeries(usage, spend, wholePrevious) : [] },
  };
};
