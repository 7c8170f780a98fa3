import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, MercuriusDriverConfig } from '@nestjs/mercurius';
import type { FastifyRequest } from 'fastify';
import { errorFormatter } from './graphql-errors';
import { GraphiqlController } from './graphiql.controller';
import { costRule, GRAPHQL_LIMITS } from './limits';
import type { GraphqlContext } from './request-of';
import { ViewsResolver } from './views.resolver';
import { EFFECT_REPORT_RESOLVERS } from '../reports/effect-report.wiring';
import { OPERATIONS_REPORT_RESOLVERS } from '../reports/reports.wiring';

/**
 * GraphQL (code-first, Mercurius on the app's Fastify) for the read models at POST /graphql. The schema is
 * built in memory at start-up; GraphiQL is served at /graphiql for a signed-in user (`graphiql.controller.ts`), not
 * Mercurius's own page. Every request needs a bearer token, introspection included
 * (checked before the body is read, `apps/api/src/http/request-gate.ts`), and a document past GRAPHQL_LIMITS is
 * refused before it runs.
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
      // Refused before they run, with the limit in the message (see GRAPHQL_LIMITS).
      graphql: { parseOptions: { maxTokens: GRAPHQL_LIMITS.maxTokens } },
      queryDepth: GRAPHQL_LIMITS.maxDepth,
      validationRules: [costRule],
    }),
  ],
  controllers: [GraphiqlController],
  providers: [ViewsResolver, ...OPERATIONS_REPORT_RESOLVERS, ...EFFECT_REPORT_RESOLVERS],
})
export class ViewsGraphqlModule {}
