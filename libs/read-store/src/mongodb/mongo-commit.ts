import type { ClientSession, Collection, Db, Document } from 'mongodb';
import type { CommitOutcome, DocWrite, LeaseFence, Target } from '../read-store.port';
import {
  CHECKPOINT_COLLECTION,
  type CheckpointDocument,
  checkpointId,
  collectionName,
  freshWrites,
  isDuplicateKeyOnly,
  LEASE_COLLECTION,
  type LeaseDocument,
  POSITION_FIELD,
  replaceOps,
  type StoredDocument,
} from './mongo-mapping';

/**
 * Writes one batch and moves the checkpoint. With a session (inside `withTransaction`) nothing may fail on purpose,
 * since a server error aborts the transaction; without one, position guards and duplicate keys make a replay harmless.
 */
export const commitBatch = async (
  db: Db,
  target: Target,
  groups: ReadonlyMap<string, DocWrite[]>,
  checkpointUpdate: Document,
  session?: ClientSession,
  fence?: LeaseFence,
  /** At most this many writes per command (undefined: the whole group in one). */
  perCommand?: number,
): Promise<CommitOutcome> => {
  const checkpoints = db.collection<CheckpointDocument>(CHECKPOINT_COLLECTION);
  const id = checkpointId(target);
  if (!(await checkpoints.findOne({ _id: id }, { session, projection: { _id: 1 } }))) return 'stale';
  // In a transaction the lease is read in the same snapshot as the writes; without one, just before them.
  if (fence && !(await db.collection<LeaseDocument>(LEASE_COLLECTION).findOne({ _id: fence.name, owner: fence.owner, expiresAt: { $gt: fence.now } }, { session }))) {
    return 'fenced';
  }
  for (const [collection, list] of groups) {
    const documents = db.collection<StoredDocument>(collectionName(target, collection));
    // Writes already applied are left out beforehand in a transaction, where a duplicate-key error would abort it.
    const pending = session ? freshWrites(list, await storedPositions(documents, list, session)) : list;
    const step = perCommand ?? pending.length;
    for (let from = 0; from < pending.length; from += step) {
      try {
        await documents.bulkWrite(replaceOps(pending.slice(from, from + step)), { ordered: false, session });
      } catch (error) {
        if (session || !isDuplicateKeyOnly(error)) throw error;
      }
    }
  }
  const result = await checkpoints.updateOne({ _id: id }, checkpointUpdate, { session });
  if (result.matchedCount > 0) return 'committed';
  // The generation was dropped meanwhile; the writes above may have recreated its collections, so remove them again.
  if (!session) for (const collection of groups.keys()) await db.dropCollection(collectionName(target, collection));
  return 'stale';
};

const storedPositions = async (
  documents: Collection<StoredDocument>,
  writes: readonly DocWrite[],
  session: ClientSession,
): Promise<Map<string, string>> => {
  const ids = writes.map((write) => write.doc.id);
  const rows = await documents.find({ _id: { $in: ids } }, { session, projection: { [POSITION_FIELD]: 1 } }).toArray();
  return new Map(rows.map((row) => [row._id, row._position]));
};
