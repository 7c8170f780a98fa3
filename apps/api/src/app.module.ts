import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AuditController } from './audit/audit.controller';
import { AppConfig } from '#engine';
import { ConfigModule } from './config/config.module';
import { CustomersController } from './customers/customers.controller';
import { ServiceWorkController } from './customers/service-work.controller';
import { HealthController } from './health/health.controller';
import { AuthGuard } from './http/auth.guard';
import { TokenVerifier } from './http/token-verifier';
import { CommandContextFactory } from './http/command-context.factory';
import { CommandSender } from './http/command-sender';
import { ErrorFilter } from './http/error.filter';
import { MetricsModule } from './metrics/metrics.module';
import { ViewsGraphqlModule } from './graphql/graphql.module';
import { StaffController } from './staff/staff.controller';
import { TelemetryController } from './telemetry/telemetry.controller';
import { ReadSideModule } from './read-side.module';
import { ProjectionsController } from './views/projections.controller';
import { DirectoryController } from './views/directory.controller';
import { ViewsController } from './views/views.controller';
import { WriteSideModule } from './write-side.module';
import { EFFECT_REPORT_CONTROLLERS } from './reports/effect-report.wiring';
import { OPERATIONS_REPORT_CONTROLLERS } from './reports/reports.wiring';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), MetricsModule, WriteSideModule, ReadSideModule, ViewsGraphqlModule],
      controllers: [HealthController, StaffController, CustomersController, ServiceWorkController, TelemetryController, AuditController, ViewsController, DirectoryController, ProjectionsController, ...OPERATIONS_REPORT_CONTROLLERS, ...EFFECT_REPORT_CONTROLLERS],
      providers: [
        CommandContextFactory,
        CommandSender,
        TokenVerifier,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
      ],
    };
  }
}
