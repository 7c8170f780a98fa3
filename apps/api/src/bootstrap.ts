import { LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { completeDocument } from './http/openapi';
import { AppModule } from './app.module';
import { APP_CONFIG, AppConfig } from '../../../libs/engine/src/app-config';
import { installRequestGate, TELEMETRY_BODY_LIMIT } from './http/request-gate';
import { TokenVerifier } from './http/token-verifier';
import { installRateLimit } from './http/rate-limit';
import { validationPipe } from './http/validation';

const LEVELS: Record<AppConfig['logLevel'], LogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  log: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
};

/**
 * Fastify's own request logging stays off (requests carry tokens and personal data); the body limit is the largest
 * any route takes, every other route having a smaller one (apps/api/src/http/request-gate.ts).
 */
export const FASTIFY_OPTIONS = { logger: false, bodyLimit: TELEMETRY_BODY_LIMIT } as const;

/** Builds the HTTP application (used by main, the e2e tests and the benchmarks alike). */
export const createApp = async (config: AppConfig, options: { logger?: boolean } = {}): Promise<NestFastifyApplication> => {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    new FastifyAdapter(FASTIFY_OPTIONS),
    { logger: options.logger === false ? false : LEVELS[config.logLevel], abortOnError: false },
  );
  await configureApp(app);
  app.enableShutdownHooks();
  return app;
};

/** Pipes and OpenAPI, shared by the real application and the tests' application. */
export const configureApp = async (app: NestFastifyApplication): Promise<void> => {
  installRequestGate(app.getHttpAdapter().getInstance(), app.get(TokenVerifier));
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
