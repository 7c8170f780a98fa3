import type { LiveCheckpoint, ReadStore, Target } from './read-store.port';

/**
 * A read model as a query reads it: the projection that keeps it and the version of its documents' shape the query
 * was written for. A projection's version goes up whenever the shape changes, and the new version is built beside
 * the live one; until it is swapped in, the live documents are of a shape this code does not read.
 */
export interface ReadModelRef {
  readonly projection: string;
  readonly version: number;
}

/**
 * A read model that cannot answer yet: never built (the projector has not registered it), or live in a version older
 * than the one this code reads (being rebuilt after an upgrade). The service answers 503 until it is.
 */
export class ReadModelNotReadyError extends Error {
  readonly code = 'READ_MODEL_NOT_READY';
  constructor(
    readonly projection: string,
    readonly outdated?: { readonly liveVersion: number; readonly version: number },
  ) {
    super(
      outdated
        ? `The ${projection} read model live now was built by version ${outdated.liveVersion} of its projection and this service reads version ${outdated.version}; it is being rebuilt (start the projections, or rebuild it) and retry`
        : `The ${projection} read model is not built yet; start the projections (or rebuild it) and retry`,
    );
    this.name = 'ReadModelNotReadyError';
  }
}

/** Refuses a live generation built by an older version of the projection than the reader's. */
export const assertReadable = (ref: ReadModelRef, liveVersion: number): void => {
  if (liveVersion < ref.version) throw new ReadModelNotReadyError(ref.projection, { liveVersion, version: ref.version });
};

/** The live generation of a read model, for a query to read by index; refuses one never built or of an older version. */
export const liveTarget = async (store: ReadStore, ref: ReadModelRef): Promise<Target> => {
  const registration = await store.registration(ref.projection);
  if (!registration || registration.liveGeneration === 0) throw new ReadModelNotReadyError(ref.projection);
  assertReadable(ref, registration.liveVersion);
  return { projection: ref.projection, generation: registration.liveGeneration };
};

/** The live checkpoint of each read model, in the order asked, refusing any that cannot answer (one read for all of them). */
export const liveCheckpointsOf = async (store: ReadStore, refs: readonly ReadModelRef[]): Promise<(LiveCheckpoint & { readonly projection: string })[]> => {
  const live = await store.liveCheckpoints(refs.map((ref) => ref.projection));
  return refs.map((ref) => {
    const checkpoint = live.get(ref.projection);
    if (!checkpoint) throw new ReadModelNotReadyError(ref.projection);
    assertReadable(ref, checkpoint.version);
    return { projection: ref.projection, ...checkpoint };
  });
};
