import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ReportTelemetry, TelemetryBatchResult } from '#telemetry';
import type { Actor } from '#shared-kernel';
import { CurrentActor } from '../http/auth.guard';
import { ServiceMetrics } from '../metrics/service-metrics';
import { CommandContextFactory } from '../http/command-context.factory';
import { ArrayField, DayField, IdField, IntField, MoneyField } from '#fields';

const MAX_BATCH = 20_000;

export class DailyUsageDto {
  @IdField() customerId: string;
  @DayField() day: string;
  @IntField() logins: number;
  @IntField() shopViews: number;
  @IntField() adClicks: number;
  @IntField() inquiriesReceived: number;
  @IntField() inquiriesUnread: number;
  @IntField() messagesUnanswered: number;
}

export class DailySpendDto {
  @IdField() customerId: string;
  @DayField() day: string;
  @MoneyField({ min: 0, description: 'Spend of the day' }) spend: number;
  @IntField() clicks: number;
  @IntField() activeKeywords: number;
}

export class UsageBatchDto {
  @ArrayField(() => DailyUsageDto, { max: MAX_BATCH }) records: DailyUsageDto[];
}

export class SpendBatchDto {
  @ArrayField(() => DailySpendDto, { max: MAX_BATCH }) records: DailySpendDto[];
}

export class TelemetryBatchResultDto implements TelemetryBatchResult {
  @ApiProperty() received: number;
  @ApiProperty({ description: 'First report for that customer and day' }) recorded: number;
  @ApiProperty({ description: 'Replaced an earlier, different report for that customer and day' }) corrected: number;
  @ApiProperty({ description: 'Identical to what was already recorded (a retry)' }) unchanged: number;
}

/**
 * Daily usage and spend from the platform, up to 20,000 records per call. A batch is validated whole and
 * refused whole (400/422 naming every bad record by index, nothing stored); a valid batch is written in one
 * atomic append, and a record identical to the stored one is `unchanged`, so a resent batch counts nothing twice.
 */
@ApiTags('telemetry')
@ApiBearerAuth()
@ApiResponse({ status: 400, description: 'A record is malformed, duplicated in the batch or in the future; nothing stored' })
@ApiResponse({ status: 403, description: 'Only the platform identity reports telemetry' })
@ApiResponse({ status: 409, description: 'Some of the customer-days kept changing while the batch was written; nothing stored, retry' })
@ApiResponse({ status: 422, description: 'Unknown customers in the batch; nothing stored' })
@Controller('telemetry')
export class TelemetryController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly contexts: CommandContextFactory,
    private readonly metrics: ServiceMetrics,
  ) {}

  @Post('usage')
  @ApiResponse({ status: 200, type: TelemetryBatchResultDto })
  @HttpCode(200)
  @ApiOperation({ summary: 'Report daily usage (one record per customer per day; a later record for the same day replaces it)' })
  usage(@Body() body: UsageBatchDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest): Promise<TelemetryBatchResult> {
    const records = body.records.map((r) => ({
      customerId: r.customerId,
      day: r.day,
      logins: r.logins,
      shopViews: r.shopViews,
      adClicks: r.adClicks,
      inquiriesReceived: r.inquiriesReceived,
      inquiriesUnread: r.inquiriesUnread,
      messagesUnanswered: r.messagesUnanswered,
    }));
    const command = new ReportTelemetry({ kind: 'usage', records }, this.contexts.create(request, actor));
    return this.metrics.timeCommand('ReportUsage', () => this.commandBus.execute(command));
  }

  @Post('spend')
  @ApiResponse({ status: 200, type: TelemetryBatchResultDto })
  @HttpCode(200)
  @ApiOperation({ summary: 'Report daily bidding spend (one record per customer per day; a later record for the same day replaces it)' })
  spend(@Body() body: SpendBatchDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest): Promise<TelemetryBatchResult> {
    const records = body.records.map((r) => ({
      customerId: r.customerId,
      day: r.day,
      spendFen: Math.round(r.spend * 100),
      clicks: r.clicks,
      activeKeywords: r.activeKeywords,
    }));
    const command = new ReportTelemetry({ kind: 'spend', records }, this.contexts.create(request, actor));
    return this.metrics.timeCommand('ReportSpend', () => this.commandBus.execute(command));
  }
}
