import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type EffectReport, effectReportHtml, GetEffectReport } from '#reporting';
import { type Actor, Clock, CLOCK } from '#shared-kernel';
import { APP_CONFIG, AppConfig, businessToday } from '#engine';
import { CurrentActor } from '../http/auth.guard';
import { IdPipe } from '../http/id.pipe';
import { EffectReportQuery, termOf } from './effect-report.dto';

/**
 * The effect report (服务效果统计文档) of a customer for one contract term, against the previous term: as JSON, and
 * as a printable page for the renewal conversation. The customer's service rep, their group's supervisor,
 * managers, admins and analysts may read it.
 */
@ApiTags('reports')
@ApiBearerAuth()
@ApiResponse({ status: 400, description: 'A query parameter is malformed (the message names it), or the term has not started on asOf' })
@ApiResponse({ status: 401, description: 'No valid bearer token' })
@ApiResponse({ status: 403, description: 'Not your customer, or the platform identity' })
@ApiResponse({ status: 404, description: 'Unknown customer, or no such term on asOf' })
@Controller('customers/:customerId')
export class EffectReportController {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('effect-report')
  @ApiOperation({
    summary: "A customer's effect report for one term, compared with the previous term",
    description:
      'Usage, inquiries, reported results, spend, clicks, CPC, keywords and the service given, each with the previous term, ' +
      'the change and the change in %. A term still running counts up to asOf and is compared with as many days from the ' +
      'start of the previous term; the whole previous term is given too. Money in fen, CPC in CNY.',
  })
  @ApiOkResponse({ description: 'The report (see the GraphQL type EffectReport for every field)' })
  report(@CurrentActor() actor: Actor, @Param('customerId', IdPipe) customerId: string, @Query() query: EffectReportQuery): Promise<EffectReport> {
    return this.queryBus.execute(new GetEffectReport(actor, customerId, termOf(query.term), query.asOf ?? businessToday(this.clock, this.config.businessTimeZone)));
  }

  @Get('effect-report.html')
  @ApiProduces('text/html')
  @ApiOperation({
    summary: 'The same report as a self-contained printable A4 page (inline CSS and SVG charts, no scripts)',
    description:
      'Needs the same bearer token as every route (Authorization: Bearer <token>): a browser cannot send it from the address ' +
      'bar, so fetch the page with the header (e.g. curl -H "Authorization: Bearer …" … > report.html) and open or print the file.',
  })
  @ApiOkResponse({ description: 'text/html; charset=utf-8' })
  async page(
    @CurrentActor() actor: Actor,
    @Param('customerId', IdPipe) customerId: string,
    @Query() query: EffectReportQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const html = effectReportHtml(await this.report(actor, customerId, query));
    // Set only once the report exists: an error must still go out as the JSON error body.
    void reply.header('Content-Type', 'text/html; charset=utf-8').header('Cache-Control', 'no-store');
    return html;
  }
}
