import type { ReadStore, Target } from './read-store.port';

/** A read model that has never been built cannot answer yet (the projector has not registered it). */
export class ReadModelNotReadyError extends Error {
  readonly code = 'READ_MODEL_NOT_READY';
  constructor(readonly projection: string) {
    super(`The ${projection} read model is not built yet; start the projections (or rebuild it) and retry`);
    this.name = 'ReadModelNotReadyError';
  }
}

/** The live generation of a projection, for a query to read by index; refuses one that was never built. */
export const liveTarget = async (store: ReadStore, projection: string): Promise<Target> => {
  const registration = await store.registration(projection);
  if (!registration || registration.liveGeneration === 0) throw new ReadModelNotReadyError(projection);
  return { projection, generation: registration.liveGeneration };
};
