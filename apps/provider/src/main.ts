import 'reflect-metadata';
import { ConfigValidationError } from '@app/config';
import { createHttpApp } from '@app/http';
import { natsMicroserviceOptions } from '@app/messaging';
import { createLogger } from '@app/observability';
import { loadProviderConfig } from './provider.config';
import { ProviderModule } from './provider.module';

async function bootstrap(): Promise<void> {
  const config = loadProviderConfig(process.env);
  const logger = createLogger('provider', config.logLevel);
  const app = await createHttpApp(ProviderModule.forRoot(config), config, {
    title: 'Discount codes — provider',
    description: 'User-facing API: claiming codes, and users of the seed-compatible route.',
  }, logger);
  app.connectMicroservice(natsMicroserviceOptions(config.nats, config.serviceName), { inheritAppConfig: true });
  await app.startAllMicroservices();
  await app.listen({ port: config.http.port, host: config.http.host });
  logger.log(`provider listening on http://${config.http.host}:${config.http.port} (docs at /docs)`);
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof ConfigValidationError ? error.message : error);
  process.exit(1);
});
