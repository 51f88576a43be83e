import 'reflect-metadata';
import { ConfigValidationError } from '@app/config';
import { runService } from '@app/http';
import { natsMicroserviceOptions } from '@app/messaging';
import { createLogger } from '@app/observability';
import { GENERATOR_API_INFO } from './api-info';
import { loadGeneratorConfig } from './generator.config';
import { GeneratorModule } from './generator.module';

async function main(): Promise<void> {
  const config = loadGeneratorConfig(process.env);
  const logger = createLogger(config.serviceName, config.logLevel);
  if (config.devOpenBrandApi) {
    logger.warn(
      'DEV_OPEN_BRAND_API=true: brand routes accept requests WITHOUT an API key. ' +
        'This is for the local quickstart only and must never be on anywhere else.',
    );
  }
  await runService({
    module: GeneratorModule.forRoot(config),
    config,
    logger,
    ...GENERATOR_API_INFO,
    microservices: [natsMicroserviceOptions(config.nats, config.serviceName)],
  });
}

main().catch((error: unknown) => {
  // A bad configuration names its variables; anything else is printed whole.
  console.error(error instanceof ConfigValidationError ? error.message : error);
  process.exit(1);
});
