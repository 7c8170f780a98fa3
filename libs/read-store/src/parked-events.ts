import type { EventStore, RecordedEvent } from '#event-store';

/**
 * Parking: an operator's explicit decision that one projection passes over one event it cannot apply (an event
 * no command can produce any more, written before the domain refused such data, that no repair on read can mend).
 * The decision is an event itself, in one stream, with who made it and why; the event stays in the log, every
 * other projection still applies it, and the projection's status lists it. Never a silent skip.
 */
export const PARKING_STREAM = 'projection-parking';
export const EVENT_PARKED = 'ProjectionEventParked';

export interface ParkedEvent {
  readonly projection: string;
  readonly eventId: string;
  readonly position: string;
  readonly eventType: string;
  readonly streamName: string;
  readonly reason: string;
  readonly parkedBy: string;
  readonly parkedAt: string;
}

/** The events parked for each projection, by event id, read from the parking stream. */
export const readParked = async (events: EventStore): Promise<Map<string, Map<string, ParkedEvent>>> => {
  const byProjection = new Map<string, Map<string, ParkedEvent>>();
  for (const event of await events.readStream(PARKING_STREAM)) {
    if (event.type !== EVENT_PARKED) continue;
    const parked = parkedOf(event);
    const ids = byProjection.get(parked.projection) ?? new Map<string, ParkedEvent>();
    ids.set(parked.eventId, parked);
    byProjection.set(parked.projection, ids);
  }
  return byProjection;
};

const parkedOf = (event: RecordedEvent): ParkedEvent => {
  const data = event.data as Partial<ParkedEvent>;
  return {
    projection: String(data.projection),
    eventId: String(data.eventId),
    position: String(data.position),
    eventType: String(data.eventType),
    streamName: String(data.streamName),
    reason: String(data.reason),
    parkedBy: event.metadata.actor.id,
    parkedAt: event.metadata.occurredAt,
  };
};
