import type { KurrentDbEventStore, KurrentDbEventStoreOptions } from './kurrentdb-event-store';

/**
 * Connects the KurrentDB adapter (see `KurrentDbEventStore.connect`). The official client is loaded only here, when a
 * KurrentDB store is first opened, so a process on the embedded store (or a CLI call that opens no store) never pays
 * for loading it.
 */
export const connectKurrentDb = async (options: KurrentDbEventStoreOptions): Promise<KurrentDbEventStore> =>
  (await import('./kurrentdb-event-store')).KurrentDbEventStore.connect(options);
