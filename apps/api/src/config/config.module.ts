import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '#engine';

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig) {
    return { module: ConfigModule, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] };
  }
}
