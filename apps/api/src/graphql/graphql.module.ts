import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, MercuriusDriverConfig } from '@nestjs/mercurius';
import type { FastifyRequest } from 'fastify';
import { errorFormatter } from './graphql-errors';
import type { GraphqlContext } from './request-of';
import { ViewsResolver } from './views.resolver';
import { EFFECT_REPORT_RESOLVERS } from '../reports/effect-report.wiring';
import { OPERATIONS_REPORT_RESOLVERS } from '../reports/reports.wiring';

/**
 * GraphQL (code-first, Mercurius on the app's Fastify) for the read models at POST /graphql. The schema is
 * built in memory at start-up; no IDE is served, since every call needs a bearer token anyway.
 */
@Module({
  // QueryBus comes from the global CqrsModule.forRoot() of the write side.
  imports: [
    GraphQLModule.forRoot<MercuriusDriverConfig>({
      driver: MercuriusDriver,
      autoSchemaFile: true,
      sortSchema: true,
      path: '/graphql',
      graphiql: false,
      context: (request: FastifyRequest): GraphqlContext => ({ req: request }),
      errorFormatter,
    }),
  ],
  providers: [ViewsResolver, ...OPERATIONS_REPORT_RESOLVERS, ...EFFECT_REPORT_RESOLVERS],
})
export class ViewsGraphqlModule {}
