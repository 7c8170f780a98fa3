import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, EventStore } from '../../../../libs/event-store/src/event-store.port';
import { APP_CONFIG, AppConfig } from '../../../../libs/engine/src/app-config';
import { Public } from '../http/auth.guard';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Liveness and the head of the event log' })
  async health() {
    return { status: 'ok', eventStore: this.config.eventStore.engine, headPosition: (await this.store.headPosition()).toString() };
  }
}
