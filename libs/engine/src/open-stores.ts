import { mkdirSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import type { EventStore } from '../../event-store/src/event-store.port';
import { KurrentDbEventStore } from '../../event-store/src/kurrentdb/kurrentdb-event-store';
import { redactUrl } from '../../event-store/src/kurrentdb/kurrentdb-mapping';
import { SqliteEventStore } from '../../event-store/src/sqlite/sqlite-event-store';
import { UpcasterChain, withUpcasting } from '../../event-store/src/upcasting';
import { MongoReadStore } from '../../read-store/src/mongodb/mongo-read-store';
import { redactMongoUrl } from '../../read-store/src/mongodb/mongo-url';
import type { ReadStore } from '../../read-store/src/read-store.port';
import { SqliteReadStore } from '../../read-store/src/sqlite/sqlite-read-store';
import { addDays } from '../../shared-kernel/src/dates';
import type { AppConfig } from './app-config';
import { businessToday } from './business-today';
import { REPAIRS, UPCASTERS } from './upcasters';

/*
 * The engines a configuration selects, opened the same way by the API, the projector and the CLI.
 */

/** Opens the configured event store: the embedded SQLite file by default, KurrentDB when EVENTSTORE_URL is set. */
export const openEventStore = async (config: AppConfig): Promise<EventStore> => {
  const logger = new Logger('EventStore');
  let store: EventStore;
  if (config.eventStore.engine === 'kurrentdb') {
    store = await KurrentDbEventStore.connect({ url: config.eventStore.url });
    logger.log('Connected to EventStoreDB/KurrentDB');
  } else {
    mkdirSync(config.dataDir, { recursive: true });
    store = new SqliteEventStore({ filename: config.eventStore.file });
    logger.log(`Embedded event store at ${config.eventStore.file}`);
  }
  return withUpcasting(store, new UpcasterChain(UPCASTERS, REPAIRS));
};

/** Opens the configured read-model store: a SQLite file by default, MongoDB when MONGODB_URL is set. */
export const openReadStore = async (config: AppConfig): Promise<ReadStore> => {
  const logger = new Logger('ReadSide');
  if (config.readStore.engine === 'mongodb') {
    const store = await MongoReadStore.connect({ url: config.readStore.url });
    logger.log('Connected to MongoDB for read models');
    return store;
  }
  mkdirSync(config.dataDir, { recursive: true });
  logger.log(`Embedded read models at ${config.readStore.file}`);
  return new SqliteReadStore({ filename: config.readStore.file });
};

/** The demo's days end yesterday in the business time zone, so today's views look at a lived-in year. */
export const demoEndDay = (config: AppConfig, now: Date): string => addDays(businessToday({ now: () => now }, config.businessTimeZone), -1);

/** Where the configured stores are, for messages (URLs without credentials). */
export const storeLocations = (config: AppConfig): { readonly eventStore: string; readonly readStore: string } => ({
  eventStore: config.eventStore.engine === 'kurrentdb' ? redactUrl(config.eventStore.url) : config.eventStore.file,
  readStore: config.readStore.engine === 'mongodb' ? redactMongoUrl(config.readStore.url) : config.readStore.file,
});
