import { addDays, DomainError, type EventShapes, isIsoDate, isoDay, object, text } from '#shared-kernel';

/**
 * The business calendar: one `BusinessDayStarted` per business day in the business time zone, in one stream.
 * Figures that change with the calendar (days since a contact, dormancy, days to a term's end) move when a
 * projection meets this event, never when a request arrives, so a rebuilt read model answers exactly as the
 * live one did.
 */
export const BUSINESS_CALENDAR_CATEGORY = 'businessCalendar';
export const BUSINESS_CALENDAR_STREAM = `${BUSINESS_CALENDAR_CATEGORY}-days`;
export const BUSINESS_DAY_STARTED = 'BusinessDayStarted';

export type BusinessDayEvent = {
  readonly type: typeof BUSINESS_DAY_STARTED;
  readonly data: { readonly day: string; readonly timeZone: string };
};

/** Start every business day up to and including `through` that the calendar does not have yet. */
export type CalendarCommand = { readonly type: 'StartBusinessDays'; readonly data: { readonly through: string; readonly timeZone: string } };

export interface CalendarState {
  /** The last business day started, or null before the first. */
  readonly lastDay: string | null;
}

export const initialCalendar: CalendarState = { lastDay: null };

export const evolveCalendar = (state: CalendarState, event: BusinessDayEvent): CalendarState =>
  state.lastDay !== null && state.lastDay >= event.data.day ? state : { lastDay: event.data.day };

/**
 * The days missing up to `through`, oldest first: none when the calendar is already there (or ahead, after a
 * clock went back); only `through` itself for a calendar that has no day yet (history before it is answered from
 * dated facts); every missed day otherwise, so a service that was down catches up day by day.
 */
export const decideCalendar = (command: CalendarCommand, state: CalendarState): readonly BusinessDayEvent[] | DomainError => {
  const { through, timeZone } = command.data;
  if (!isIsoDate(through)) return new DomainError('INVALID_BUSINESS_DAY', `${String(through)} is not an ISO day (YYYY-MM-DD)`, { field: 'through' });
  // From the day after the last one started (nothing when that is after `through`), or `through` alone on a new calendar.
  const days: string[] = [];
  for (let day = state.lastDay === null ? through : addDays(state.lastDay, 1); day <= through; day = addDays(day, 1)) days.push(day);
  return days.map((day) => ({ type: BUSINESS_DAY_STARTED, data: { day, timeZone } }));
};

export const calendarDecider = { initialState: initialCalendar, evolve: evolveCalendar, decide: decideCalendar };

/** What a business-day event carries, checked when a projection reads it. */
export const CALENDAR_EVENT_SHAPES = {
  [BUSINESS_DAY_STARTED]: object({ day: isoDay, timeZone: text }),
} as const satisfies EventShapes<BusinessDayEvent>;
