import { type EventStore, type EventToAppend, WrongExpectedRevisionError } from '#event-store';
import { type Actor, deterministicUuid, DomainError } from '#shared-kernel';
import { BUSINESS_CALENDAR_STREAM, calendarDecider, type BusinessDayEvent, type CalendarState } from '../domain/business-day';

/** The service itself starts business days; it acts as the machine identity. */
export const CALENDAR_ACTOR: Actor = { id: 'business-calendar', role: 'platform' };
export const CALENDAR_ORIGIN = 'business calendar';

/** One id per day whoever appends it, so a second instance's append of the same day is the same event. */
export const businessDayEventId = (day: string): string => deterministicUuid(BUSINESS_CALENDAR_STREAM, day);

/** The appendable form of a business day (the demo generator writes the same). */
export const businessDayToAppend = (event: BusinessDayEvent, occurredAt: string, origin = CALENDAR_ORIGIN): EventToAppend => {
  const commandId = deterministicUuid('StartBusinessDay', event.data.day);
  return {
    id: businessDayEventId(event.data.day),
    type: event.type,
    data: { ...event.data },
    metadata: { commandId, correlationId: commandId, causationId: commandId, actor: CALENDAR_ACTOR, occurredAt, schemaVersion: 1, origin },
  };
};

const ATTEMPTS = 5;

/**
 * Appends the business days the log is missing, exactly once however many instances do it at the same time:
 * each append carries the revision it read, and a writer that lost the race re-reads and finds nothing to do.
 */
export class BusinessCalendar {
  constructor(private readonly store: EventStore) {}

  /**
   * The days this call found missing and wrote (empty when the calendar was already at `today`). Instances that
   * race write the same event ids with the same expected revision, so the store keeps each day once.
   */
  async startDaysThrough(today: string, timeZone: string, occurredAt: string): Promise<string[]> {
    for (let attempt = 1; ; attempt += 1) {
      // Days only move forwards, so the last event is the whole state.
      const recorded = await this.store.readStream(BUSINESS_CALENDAR_STREAM, { direction: 'backwards', maxCount: 1 });
      const state = recorded.reduce<CalendarState>((s, e) => calendarDecider.evolve(s, { type: e.type, data: e.data } as BusinessDayEvent), calendarDecider.initialState);
      const decision = calendarDecider.decide({ type: 'StartBusinessDays', data: { through: today, timeZone } }, state);
      if (decision instanceof DomainError) throw new RangeError(decision.message);
      if (decision.length === 0) return [];
      const revision = recorded.length === 0 ? 'no_stream' : recorded[0]!.revision;
      try {
        await this.store.append(BUSINESS_CALENDAR_STREAM, decision.map((event) => businessDayToAppend(event, occurredAt)), revision);
        return decision.map((event) => event.data.day);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }
}
