import { type CustomerFactsDoc, termAt, type TermFact, termsKnownAsOf } from '#customer';
import { addDays, daysBetween, isIsoDate } from '#shared-kernel';

/** Which contract term a report is about: the one in force on `asOf`, the n-th (1 = the first), or the one starting on a day. */
export type TermSelector = { readonly kind: 'current' } | { readonly kind: 'number'; readonly number: number } | { readonly kind: 'start'; readonly start: string };

export const TERM_SELECTOR_HELP = 'term must be "current", a term number (1 = the first term) or the start date of a term (YYYY-MM-DD)';

/** Reads the `term` parameter; undefined when it is none of the accepted forms. */
export const parseTermSelector = (text: string | undefined): TermSelector | undefined => {
  if (text === undefined || text === '' || text === 'current') return { kind: 'current' };
  if (/^[1-9]\d{0,3}$/.test(text)) return { kind: 'number', number: Number(text) };
  if (isIsoDate(text)) return { kind: 'start', start: text };
  return undefined;
};

/** A span of days, both ends inclusive. */
export interface DayWindow {
  readonly from: string;
  readonly to: string;
  readonly days: number;
}

export const dayWindow = (from: string, to: string): DayWindow => ({ from, to, days: daysBetween(from, to) + 1 });

/** How the reported term is set against the previous one. */
export type ComparisonBasis =
  /** The term has ended: whole term against whole previous term. */
  | 'full_terms'
  /** The term is still running on `asOf`: its days so far against the same number of days from the previous term's start. */
  | 'same_days'
  /** There is no previous term. */
  | 'none';

export interface ReportedTerm {
  /** 1 = the customer's first term. */
  readonly number: number;
  readonly start: string;
  readonly end: string;
  /** Days in the whole term. */
  readonly days: number;
  /** The days counted: from the start up to the end, or up to `asOf` while the term runs. */
  readonly counted: DayWindow;
  readonly complete: boolean;
}

export interface PreviousTerm {
  readonly number: number;
  readonly start: string;
  readonly end: string;
  readonly days: number;
  /** The days compared with the reported term's counted days. */
  readonly compared: DayWindow;
}

export interface TermSelection {
  readonly term: ReportedTerm;
  readonly previous: PreviousTerm | null;
  readonly basis: ComparisonBasis;
}

export type TermSelectionResult =
  | ({ readonly ok: true } & TermSelection)
  | { readonly ok: false; readonly reason: 'no_such_term' | 'not_started'; readonly message: string };

const describe = (selector: TermSelector): string => {
  switch (selector.kind) {
    case 'current':
      return 'the current term';
    case 'number':
      return `term ${selector.number}`;
    case 'start':
      return `the term starting on ${selector.start}`;
    default: {
      const unknown: never = selector;
      throw new RangeError(`Unknown term selector ${JSON.stringify(unknown)}`);
    }
  }
};

const find = (doc: CustomerFactsDoc, known: readonly TermFact[], selector: TermSelector, asOf: string): TermFact | undefined => {
  switch (selector.kind) {
    case 'current':
      return termAt(doc, asOf);
    case 'number':
      return known[selector.number - 1];
    case 'start':
      return known.find((term) => term.start === selector.start);
    default: {
      const unknown: never = selector;
      throw new RangeError(`Unknown term selector ${JSON.stringify(unknown)}`);
    }
  }
};

/**
 * The term to report on and the previous one to compare with, as known on `asOf` (a renewal collected later does
 * not exist yet). A running term counts up to `asOf`; the previous term is then compared over as many days from its
 * own start, so that a partial year is never set against a whole one.
 */
export const selectTerm = (doc: CustomerFactsDoc, selector: TermSelector, asOf: string): TermSelectionResult => {
  const known = termsKnownAsOf(doc, asOf);
  const term = find(doc, known, selector, asOf);
  const index = term ? known.indexOf(term) : -1;
  if (!term || index < 0) {
    const list = known.map((t, i) => `${i + 1}: ${t.start} – ${t.end}`).join('; ');
    return { ok: false, reason: 'no_such_term', message: `Customer ${doc.id} has no ${describe(selector)} on ${asOf} (terms known then: ${list || 'none'})` };
  }
  if (term.start > asOf) {
    return { ok: false, reason: 'not_started', message: `Term ${index + 1} of customer ${doc.id} starts on ${term.start}, after asOf ${asOf}: there is nothing to report yet` };
  }
  const complete = term.end <= asOf;
  const counted = dayWindow(term.start, complete ? term.end : asOf);
  const reported: ReportedTerm = { number: index + 1, start: term.start, end: term.end, days: daysBetween(term.start, term.end) + 1, counted, complete };
  const before = index > 0 ? known[index - 1]! : undefined;
  if (!before) return { ok: true, term: reported, previous: null, basis: 'none' };
  const fullEnd = before.end < asOf ? before.end : asOf;
  const sameDaysEnd = addDays(before.start, counted.days - 1);
  const comparedEnd = complete || sameDaysEnd > fullEnd ? fullEnd : sameDaysEnd;
  return {
    ok: true,
    term: reported,
    previous: { number: index, start: before.start, end: before.end, days: daysBetween(before.start, before.end) + 1, compared: dayWindow(before.start, comparedEnd) },
    basis: complete ? 'full_terms' : 'same_days',
  };
};
