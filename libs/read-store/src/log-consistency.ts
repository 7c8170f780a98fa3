import type { EventStore } from '#event-store';
import type { ReadStore } from './read-store.port';

/** A live read model whose checkpoint lies past the end of the event log it is served beside. */
export interface AheadOfLog {
  readonly projection: string;
  readonly generation: number;
  readonly checkpoint: bigint;
  readonly head: bigint;
}

/**
 * The live read models that have applied events the log does not hold: they were built from another log (an
 * `events.db` replaced or emptied beside an old read-model file), so what they answer is not this log's, and the
 * events this log appends next would be taken as already applied and never projected.
 */
export const readModelsAheadOfLog = async (events: EventStore, store: ReadStore): Promise<AheadOfLog[]> => {
  const head = await events.headPosition();
  const ahead: AheadOfLog[] = [];
  for (const registration of await store.registrations()) {
    if (registration.liveGeneration === 0) continue;
    const { position } = await store.checkpoint({ projection: registration.projection, generation: registration.liveGeneration });
    if (position > head) ahead.push({ projection: registration.projection, generation: registration.liveGeneration, checkpoint: position, head });
  }
  return ahead;
};

export class ReadModelsAheadOfLogError extends Error {
  readonly code = 'READ_MODELS_AHEAD_OF_LOG';
  constructor(
    readonly ahead: readonly AheadOfLog[],
    where: { readonly readStore: string; readonly eventStore: string },
  ) {
    const first = ahead[0]!;
    super(
      `The read models in ${where.readStore} are ahead of the event log in ${where.eventStore}: ` +
        `${ahead.map((a) => `${a.projection} at position ${a.checkpoint}`).join(', ')}, but the log ends at position ${first.head}. ` +
        `They were built from another log. Remove them so they are rebuilt from this log ` +
        `(delete the read-model file, or drop the rm.* collections in MongoDB), or point the service at the log they came from.`,
    );
    this.name = 'ReadModelsAheadOfLogError';
  }
}

/** Refuses to serve (or project into) read models built from another log; see `readModelsAheadOfLog`. */
export const assertReadModelsMatchLog = async (
  events: EventStore,
  store: ReadStore,
  where: { readonly readStore: string; readonly eventStore: string },
): Promise<void> => {
  const ahead = await readModelsAheadOfLog(events, store);
  if (ahead.length > 0) throw new ReadModelsAheadOfLogError(ahead, where);
};
