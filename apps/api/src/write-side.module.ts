import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ExecuteCustomerCommandHandler } from '../../../libs/customer/src/application/customer-commands';
import { CustomerAccessPolicy } from '../../../libs/customer/src/application/customer-access.policy';
import { GetCustomerHistoryHandler } from '../../../libs/customer/src/application/customer-history.query';
import { CommandExecutor } from '../../../libs/event-store/src/command-executor';
import { EVENT_STORE, EventStore } from '../../../libs/event-store/src/event-store.port';
import { COMMAND_EXECUTOR } from '../../../libs/event-store/src/tokens';
import { CLOCK, Clock, systemClock } from '../../../libs/shared-kernel/src/clock';
import { ExecuteStaffCommandHandler } from '../../../libs/staff/src/application/staff-commands';
import { StaffDirectory } from '../../../libs/staff/src/application/staff-directory';
import { REP_DIRECTORY } from '../../../libs/customer/src/application/rep-directory.port';
import { ReportTelemetryHandler } from '../../../libs/telemetry/src/application/report-telemetry';
import { APP_CONFIG, AppConfig } from '../../../libs/engine/src/app-config';
import { openEventStore } from '../../../libs/engine/src/open-stores';
import { BusinessCalendarTicker } from './business-calendar.ticker';
import { ServiceMetrics } from './metrics/service-metrics';



@Module({
  imports: [CqrsModule.forRoot()],
  providers: [
    { provide: CLOCK, useValue: systemClock as Clock },
    { provide: EVENT_STORE, inject: [APP_CONFIG], useFactory: openEventStore },
    {
      provide: COMMAND_EXECUTOR,
      inject: [EVENT_STORE, APP_CONFIG, ServiceMetrics],
      useFactory: (store: EventStore, config: AppConfig, metrics: ServiceMetrics) => new CommandExecutor(store, config.commandRetryLimit, undefined, metrics),
    },
    StaffDirectory,
    { provide: REP_DIRECTORY, useExisting: StaffDirectory },
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
