import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { loadConfig, loggersFor } from '#engine';
import { loadDemoIfEmpty } from './demo-on-start';

const main = async (): Promise<void> => {
  const config = loadConfig();
  // Before anything logs (the demo load opens the stores), so every line is in the service's format.
  Logger.overrideLogger(loggersFor(config).nest);
  await loadDemoIfEmpty(config);
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const logger = new Logger('Main');
  if (config.authTokenSecretSource === 'generated') logger.log(`Generated a token secret in ${config.dataDir}/auth-secret`);
  logger.log(`Listening on http://${config.host}:${config.port} (OpenAPI at /docs); event store: ${config.eventStore.engine}`);
  logger.log('Issue a token with: npm run cli -- token issue --sub <id> --role <role>');
};

main().catch((error: unknown) => {
  // A start-up failure (bad configuration, unreachable store) says what to fix and exits non-zero.
  // eslint-disable-next-line no-console
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
