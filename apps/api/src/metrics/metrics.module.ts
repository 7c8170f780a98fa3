import { Controller, Get, Global, Header, Module } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../http/auth.guard';
import { ServiceMetrics } from './service-metrics';

@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: ServiceMetrics) {}

  @Public()
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics: commands, HTTP answers, store errors, each projection’s checkpoint, lag and rate, the process' })
  @ApiProduces('text/plain')
  @ApiResponse({ status: 200, description: 'The Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } })
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

/** One registry of metrics for the whole application, scraped at GET /metrics. */
@Global()
@Module({ providers: [ServiceMetrics], controllers: [MetricsController], exports: [ServiceMetrics] })
export class MetricsModule {}
