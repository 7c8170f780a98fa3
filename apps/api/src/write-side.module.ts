import { mkdirSync } from 'node:fs';
import { Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ExecuteCustomerCommandHandler } from '../../../libs/customer/src/application/customer-commands';
import { CustomerAccessPolicy } from '../../../libs/customer/src/application/customer-access.policy';
import { GetCustomerHistoryHandler } from '../../../libs/customer/src/application/customer-history.query';
import { CommandExecutor } from '../../../libs/event-store/src/command-executor';
import { EVENT_STORE, EventStore } from '../../../libs/event-store/src/event-store.port';
import { KurrentDbEventStore } from '../../../libs/event-store/src/kurrentdb/kurrentdb-event-store';
import { SqliteEventStore } from '../../../libs/event-store/src/sqlite/sqlite-event-store';
import { COMMAND_EXECUTOR } from '../../../libs/event-store/src/tokens';
import { UpcasterChain, withUpcasting } from '../../../libs/event-store/src/upcasting';
import { CLOCK, Clock, systemClock } from '../../../libs/shared-kernel/src/clock';
import { ExecuteStaffCommandHandler } from '../../../libs/staff/src/application/staff-commands';
import { StaffDirectory } from '../../../libs/staff/src/application/staff-directory';
import { ReportTelemetryHandler } from '../../../libs/telemetry/src/application/report-telemetry';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { UPCASTERS } from './upcasters';
import { BusinessCalendarTicker } from './business-calendar.ticker';

const logger = new Logger('EventStore');

/** Opens the configured event store: the embedded SQLite file by default, KurrentDB when EVENTSTORE_URL is set. */
export const openEventStore = async (config: AppConfig): Promise<EventStore> => {
  let store: EventStore;
  if (config.eventStore.engine === 'kurrentdb') {
    store = await KurrentDbEventStore.connect({ url: config.eventStore.url });
    logger.log('Connected to EventStoreDB/KurrentDB');
  } else {
    mkdirSync(config.dataDir, { recursive: true });
    store = new SqliteEventStore({ filename: config.eventStore.file });
    logger.log(`Embedded event store at ${config.eventStore.file}`);
  }
  return withUpcasting(store, new UpcasterChain(UPCASTERS));
};

@Module({
  imports: [CqrsModule.forRoot()],
  providers: [
    { provide: CLOCK, useValue: systemClock as Clock },
    { provide: EVENT_STORE, inject: [APP_CONFIG], useFactory: openEventStore },
    {
      provide: COMMAND_EXECUTOR,
      inject: [EVENT_STORE, APP_CONFIG],
      useFactory: (store: EventStore, config: AppConfig) => new CommandExecutor(store, config.commandRetryLimit),
    },
    StaffDirectory,
    CustomerAccessPolicy,
    ExecuteCustomerCommandHandler,
    ExecuteStaffCommandHandler,
    ReportTelemetryHandler,
    GetCustomerHistoryHandler,
    BusinessCalendarTicker,
  ],
  exports: [CqrsModule, EVENT_STORE, CLOCK, COMMAND_EXECUTOR],
})
export class WriteSideModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
