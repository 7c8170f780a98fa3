import type { ClientSession, Collection, Db, Document } from 'mongodb';
import type { CommitOutcome, DocWrite, LeaseFence, Target } from '../read-store.port';
import {
  CHECKPOINT_COLLECTION,
  type CheckpointDocument,
  checkpointId,
  collectionName,
  insertOps,
  isDuplicateKeyOnly,
  LEASE_COLLECTION,
  type LeaseDocument,
  planWrites,
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
    await writeDocuments(db.collection<StoredDocument>(collectionName(target, collection)), list, perCommand ?? Math.max(list.length, 1), session);
  }
  const result = await checkpoints.updateOne({ _id: id }, checkpointUpdate, { session });
  if (result.matchedCount > 0) return 'committed';
  // The generation was dropped meanwhile; the writes above may have recreated its collections, so remove them again.
  if (!session) for (const collection of groups.keys()) await db.dropCollection(collectionName(target, collection));
  return 'stale';
};

/**
 * Inserts the documents not stored yet and replaces the stored ones the batch is newer than. Without a session,
 * another writer may store a document between the read and the insert: that chunk is then planned again from what
 * is stored by then (FerretDB 1.x also stops an unordered write at its first duplicate key), so the later write of
 * each document is kept and none is left out. Planned again, inserts go as guarded upserts, so a key that stays
 * duplicate (a unique index) ends there as it would have before.
 */
const writeDocuments = async (documents: Collection<StoredDocument>, writes: readonly DocWrite[], step: number, session?: ClientSession, again = false): Promise<void> => {
  const { inserts, replaces } = planWrites(writes, await storedPositions(documents, writes, session));
  const guarded = async (chunk: readonly DocWrite[]) => {
    try {
      await documents.bulkWrite(replaceOps(chunk), { ordered: false, session });
    } catch (error) {
      // A duplicate key from a guarded upsert means a later write is stored: this one is already applied.
      if (session || !isDuplicateKeyOnly(error)) throw error;
    }
  };
  for (let from = 0; from < replaces.length; from += step) await guarded(replaces.slice(from, from + step));
  for (let from = 0; from < inserts.length; from += step) {
    const chunk = inserts.slice(from, from + step);
    if (again) {
      await guarded(chunk);
      continue;
    }
    try {
      await documents.bulkWrite(insertOps(chunk), { ordered: false, session });
    } catch (error) {
      if (session || !isDuplicateKeyOnly(error)) throw error;
      await writeDocuments(documents, chunk, step, undefined, true);
    }
  }
};

/** Ids per read of stored positions, so that one read stays far below a command's 16 MB. */
const POSITIONS_PER_READ = 10_000;

const storedPositions = async (documents: Collection<StoredDocument>, writes: readonly DocWrite[], session?: ClientSession): Promise<Map<string, string>> => {
  const positions = new Map<string, string>();
  for (let from = 0; from < writes.length; from += POSITIONS_PER_READ) {
    const ids = writes.slice(from, from + POSITIONS_PER_READ).map((write) => write.doc.id);
    const rows = await documents.find({ _id: { $in: ids } }, { session, projection: { [POSITION_FIELD]: 1 } }).toArray();
    for (const row of rows) positions.set(row._id, row._position);
  }
  return positions;
};
