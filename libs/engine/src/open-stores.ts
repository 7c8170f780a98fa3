import { mkdirSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { connectKurrentDb, type EventStore, redactUrl, SqliteEventStore, UpcasterChain, withUpcasting } from '#event-store';
import { MongoReadStore, type ReadStore, redactMongoUrl, SqliteReadStore } from '#read-store';
import { addDays, ConfigurationError } from '#shared-kernel';
import type { AppConfig } from '#config';
import { businessToday } from './business-today';

/*
 * The engines a configuration selects, opened the same way by the API, the projector and the CLI.
 */

export interface OpenEventStoreOptions {
  /**
   * Embedded store: how often to look for appends made by another process (the service, for the projector), in ms.
   * A subscription in the process that appends is woken at once whatever this is.
   */
  readonly otherWritersCheckMs?: number;
}

/** Where the stores are: what opening them needs of the configuration (a rebuild thread is given only this). */
export type StoresConfig = Pick<AppConfig, 'dataDir' | 'eventStore' | 'readStore'>;

/** Opens the configured event store: the embedded SQLite file by default, KurrentDB when EVENTSTORE_URL is set. */
export const openEventStore = async (config: StoresConfig, options: OpenEventStoreOptions = {}): Promise<EventStore> => {
  const logger = new Logger('EventStore');
  let store: EventStore;
  if (config.eventStore.engine === 'kurrentdb') {
    store = await connectKurrentDb({ url: config.eventStore.url });
    logger.log('Connected to EventStoreDB/KurrentDB');
  } else {
    mkdirSync(config.dataDir, { recursive: true });
    const { file, durability } = config.eventStore;
    store = await openingFile('event store', file, async () => {
      const opened = new SqliteEventStore({ filename: file, durability, ...(options.otherWritersCheckMs !== undefined ? { crossProcessCheckMs: options.otherWritersCheckMs } : {}) });
      await opened.headPosition();
      return opened;
    });
    logger.log(`Embedded event store at ${file} (${durability === 'full' ? 'an append is acknowledged once on disk' : 'EVENTSTORE_DURABILITY=normal: a power loss may lose acknowledged appends'})`);
  }
  // Loaded with the first store (they need the domains' code), not with the configuration.
  const { REPAIRS, UPCASTERS } = await import('./upcasters');
  return withUpcasting(store, new UpcasterChain(UPCASTERS, REPAIRS));
};

/** Opens the configured read-model store: a SQLite file by default, MongoDB when MONGODB_URL is set. */
export const openReadStore = async (config: StoresConfig): Promise<ReadStore> => {
  const logger = new Logger('ReadSide');
  if (config.readStore.engine === 'mongodb') {
    const store = await MongoReadStore.connect({ url: config.readStore.url, warn: (message) => logger.warn(message) });
    logger.log('Connected to MongoDB for read models');
    return store;
  }
  mkdirSync(config.dataDir, { recursive: true });
  const file = config.readStore.file;
  const store = await openingFile('read-model store', file, async () => {
    const opened = new SqliteReadStore({ filename: file });
    await opened.registrations();
    return opened;
  });
  logger.log(`Embedded read models at ${file}`);
  return store;
};

/** What to do about a database file SQLite cannot open or use, by its error code. */
const FILE_HINTS: Readonly<Record<string, string>> = {
  SQLITE_CANTOPEN: 'check that the path is a file, not a directory, and that its directory exists and can be written',
  SQLITE_NOTADB: 'the file is not a SQLite database (replaced or damaged): restore it from a backup, or move it away to start empty',
  SQLITE_CORRUPT: 'the file is damaged: restore it from a backup (read models can instead be removed and rebuilt from the log)',
  SQLITE_READONLY: 'the file or its directory is read-only: the service must be able to write both',
  SQLITE_PERM: 'the file cannot be accessed: check its owner and permissions',
  SQLITE_IOERR: 'the disk failed to read or write it: check the disk and free space',
  SQLITE_FULL: 'the disk is full',
  SQLITE_BUSY: 'another process holds it locked: stop that process or wait for it',
};

/** Opens a SQLite-backed store, turning SQLite's own errors into a message that names the file and what to do. */
const openingFile = async <T>(what: string, file: string, open: () => Promise<T>): Promise<T> => {
  try {
    return await open();
  } catch (error) {
    // Read by shape, not by class: better-sqlite3's errors may come from another realm (a native module loaded once).
    const { code, message } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown };
    if (typeof code !== 'string' || !code.startsWith('SQLITE_')) throw error;
    const hint = FILE_HINTS[code.replace(/^(SQLITE_[A-Z]+).*$/, '$1')] ?? 'see the SQLite error above';
    throw new ConfigurationError(`Cannot open the ${what} at ${file}: ${String(message)} (${code}); ${hint}`);
  }
};

/** The demo's days end yesterday in the business time zone, so today's views look at a lived-in year. */
export const demoEndDay = (config: AppConfig, now: Date): string => addDays(businessToday({ now: () => now }, config.businessTimeZone), -1);

/** Where the configured stores are, for messages (URLs without credentials). */
export const storeLocations = (config: AppConfig): { readonly eventStore: string; readonly readStore: string } => ({
  eventStore: config.eventStore.engine === 'kurrentdb' ? redactUrl(config.eventStore.url) : config.eventStore.file,
  readStore: config.readStore.engine === 'mongodb' ? redactMongoUrl(config.readStore.url) : config.readStore.file,
});
