import { BeforeApplicationShutdown, Inject, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '#event-store';
import { assertReadModelsMatchLog, ProjectionRunner, READ_STORE, ReadStore } from '#read-store';
import { ServiceMetrics } from './metrics/service-metrics';
import { EFFECT_REPORT_HANDLERS, OPERATIONS_REPORT_HANDLERS, ProjectionAdmin } from '#reporting';
import {
  FactReads,
  GetChurnRiskHandler,
  GetCustomerHandler,
  GetCustomerTimelineHandler,
  GetRenewalPipelineHandler,
  GetRepKpisHandler,
  GetSpendLeaderboardHandler,
  GetTeamKpisHandler,
  GetWorklistHandler,
  ListCustomersHandler,
  ListGroupsHandler,
  ListRepsHandler,
  projectionsFor,
  SERVICE_RULES,
} from '#views';
import { APP_CONFIG, AppConfig, openReadStore, rebuildPoolFor, storeLocations } from '#engine';
import { WriteSideModule } from './write-side.module';
import { ProjectorProcess } from './projector-process';

const logger = new Logger('ReadSide');
export const PROJECTION_RUNNER = Symbol('ProjectionRunner');


@Module({
  imports: [WriteSideModule],
  providers: [
    { provide: READ_STORE, inject: [APP_CONFIG], useFactory: openReadStore },
    { provide: SERVICE_RULES, inject: [APP_CONFIG], useFactory: (config: AppConfig) => config.rules },
    {
      provide: PROJECTION_RUNNER,
      inject: [APP_CONFIG, EVENT_STORE, READ_STORE],
      useFactory: (config: AppConfig, events: EventStore, store: ReadStore) =>
        config.projections === 'inline' ? new ProjectionRunner(events, store, projectionsFor(config.rules), { log: (m) => logger.warn(m) }) : null,
    },
    {
      provide: ProjectionAdmin,
      inject: [EVENT_STORE, READ_STORE, PROJECTION_RUNNER, APP_CONFIG],
      useFactory: (events: EventStore, store: ReadStore, runner: ProjectionRunner | null, config: AppConfig) =>
        new ProjectionAdmin(events, store, projectionsFor(config.rules), runner ?? undefined, undefined, { memoryBudgetMb: config.rebuildMemoryMb }, rebuildPoolFor(config)),
    },
    FactReads,
    GetChurnRiskHandler,
    GetRenewalPipelineHandler,
    GetWorklistHandler,
    GetRepKpisHandler,
    GetTeamKpisHandler,
    GetSpendLeaderboardHandler,
    GetCustomerHandler,
    GetCustomerTimelineHandler,
    ListCustomersHandler,
    ListRepsHandler,
    ListGroupsHandler,
    ...OPERATIONS_REPORT_HANDLERS,
    ...EFFECT_REPORT_HANDLERS,
  ],
  exports: [ProjectionAdmin, PROJECTION_RUNNER, READ_STORE],
})
export class ReadSideModule implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private projector?: ProjectorProcess;

  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly admin: ProjectionAdmin,
    private readonly metrics: ServiceMetrics,
    @Optional() @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner | null,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.metrics.readProjectionsFrom(() => this.admin.status());
    // Read models built from another log would be served as if true, and this log's next events never projected.
    await assertReadModelsMatchLog(this.events, this.store, storeLocations(this.config));
    const dropped = await this.admin.dropAbandonedGenerations();
    for (const target of dropped) {
      logger.warn(`Dropped generation ${target.generation} of ${target.projection}, left behind by an interrupted rebuild or verify`);
    }
    for (const job of await this.admin.markInterruptedJobs(dropped)) logger.warn(`Recorded job ${job} as interrupted: the process running it stopped`);
    if (this.runner) {
      // With PROJECTIONS=off, apps/projector rebuilds them.
      await this.admin.rebuildOutdated((message) => logger.warn(message));
      await this.runner.start();
      logger.log('Projections running in this process');
    } else if (this.config.projections === 'process') {
      // The projector rebuilds outdated read models itself, then follows the log.
      this.projector = new ProjectorProcess({ env: this.config.environment, log: (message) => logger.warn(message) });
      this.projector.start();
      logger.log(`Projections running in their own process (apps/projector, pid ${this.projector.pid ?? 'starting'})`);
    } else {
      logger.log('Projections left to apps/projector (PROJECTIONS=off)');
    }
  }

  /** The runner stops before any store closes, so it never reads from a closed log. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([this.runner?.stop(), this.projector?.stop()]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
