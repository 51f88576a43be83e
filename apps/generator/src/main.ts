import 'reflect-metadata';
import { ConfigValidationError } from '@app/config';
import { createHttpApp } from '@app/http';
import { natsMicroserviceOptions } from '@app/messaging';
import { createLogger } from '@app/observability';
import { loadGeneratorConfig } from './generator.config';
import { GeneratorModule } from './generator.module';

async function bootstrap(): Promise<void> {
  const config = loadGeneratorConfig(process.env);
  const logger = createLogger('generator', config.logLevel);
  if (config.devOpenBrandApi) {
    logger.warn(
      'DEV_OPEN_BRAND_API=true: brand routes accept requests WITHOUT an API key. ' +
        'This is for the local quickstart only and must never be on anywhere else.',
    );
  }
  const app = await createHttpApp(GeneratorModule.forRoot(config), config, {
    title: 'Discount codes — generator',
    description: 'Brand-facing API: brands, code generation and stats.',
  }, logger);
  app.connectMicroservice(natsMicroserviceOptions(config.nats, config.serviceName), { inheritAppConfig: true });
  await app.startAllMicroservices();
  await app.listen({ port: config.http.port, host: config.http.host });
  logger.log(`generator listening on http://${config.http.host}:${config.http.port} (docs at /docs)`);
}

bootstrap().catch((error: unknown) => {
  // A bad configuration names its variables; anything else is printed whole.
  console.error(error instanceof ConfigValidationError ? error.message : error);
  process.exit(1);
});
