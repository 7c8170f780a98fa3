import { NestFactory } from '@nestjs/core';
import type { DestinationStream } from 'pino';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { completeDocument } from './http/openapi';
import { ServiceMetrics } from './metrics/service-metrics';
import { AppModule } from './app.module';
import { APP_CONFIG, AppConfig, loggersFor, requestIdOf } from '#engine';
import { isKeptAnswer } from '#views';
import { installCsv } from './http/csv';
import { installRequestGate, TELEMETRY_BODY_LIMIT } from './http/request-gate';
import { TokenVerifier } from './http/token-verifier';
import { installRateLimit } from './http/rate-limit';
import { validationPipe } from './http/validation';

/**
 * Fastify without a logger (the tests and benchmarks); `createApp` gives it the service's. Every request gets an id
 * (libs/engine/src/logging.ts); the body limit is the largest any route takes, every other route having a smaller
 * one (apps/api/src/http/request-gate.ts).
 */
export const FASTIFY_OPTIONS = { logger: false, bodyLimit: TELEMETRY_BODY_LIMIT, genReqId: requestIdOf, requestIdHeader: false } as const;

/** Builds the HTTP application (used by main, the e2e tests and the benchmarks alike). */
export const createApp = async (config: AppConfig, options: { logger?: boolean; /** Where JSON logs go (stdout by default). */ logDestination?: DestinationStream } = {}): Promise<NestFastifyApplication> => {
  const loggers = options.logger === false ? { nest: false as const, fastify: false as const } : loggersFor(config, options.logDestination);
  const fastifyOptions = loggers.fastify ? { ...FASTIFY_OPTIONS, logger: undefined, loggerInstance: loggers.fastify } : FASTIFY_OPTIONS;
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), new FastifyAdapter(fastifyOptions), { logger: loggers.nest, abortOnError: false });
  await configureApp(app);
  app.enableShutdownHooks();
  return app;
};

/** Pipes and OpenAPI, shared by the real application and the tests' application. */
export const configureApp = async (app: NestFastifyApplication): Promise<void> => {
  const fastify = app.getHttpAdapter().getInstance();
  // The request id goes back to the caller, who can quote it (it is in the logs and, as the correlation id, in the events).
  fastify.addHook('onRequest', async (request, reply) => void reply.header('x-request-id', request.id));
  const metrics = app.get(ServiceMetrics);
  fastify.addHook('onResponse', async (request, reply) => metrics.answered(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000));
  // A kept answer of a view goes, as the same unchanged object, to everyone who asks the same question until its read
  // models move: its JSON text is made once and sent again (the default serializer made it per request).
  const texts = new WeakMap<object, string>();
  fastify.setReplySerializer((payload) => {
    if (!isKeptAnswer(payload)) return JSON.stringify(payload);
    let text = texts.get(payload);
    if (text === undefined) texts.set(payload, (text = JSON.stringify(payload)));
    return text;
  });
  installCsv(fastify);
  installRequestGate(fastify, app.get(TokenVerifier));
  await installRateLimit(app, app.get(TokenVerifier), app.get<AppConfig>(APP_CONFIG).rateLimitPerMinute);
  app.useGlobalPipes(validationPipe);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('After-sales service API')
      .setDescription('Commands append events; every answer names its error with a stable code.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  // Built on first request: the answers of the views are described from the GraphQL schema, which exists once the
  // application has started.
  let complete: OpenAPIObject | undefined;
  SwaggerModule.setup('docs', app, () => (complete ??= completeDocument(document, app.get(GraphQLSchemaHost).schema)), { jsonDocumentUrl: 'docs/openapi.json' });
};
