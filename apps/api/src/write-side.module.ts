import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CustomerAccessPolicy, ExecuteCustomerCommandHandler, GetCustomerHistoryHandler, REP_DIRECTORY } from '#customer';
import { COMMAND_EXECUTOR, CommandExecutor, EVENT_STORE, EventStore } from '#event-store';
import { Clock, CLOCK, systemClock } from '#shared-kernel';
import { ExecuteStaffCommandHandler, StaffDirectory } from '#staff';
import { ReportTelemetryHandler } from '#telemetry';
import { APP_CONFIG, AppConfig, openEventStore } from '#engine';
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
