import 'reflect-metadata';
import { ConfigValidationError } from '@app/config';
import { runService } from '@app/http';
import { ClaimMetrics } from '@app/metrics';
import { createLogger } from '@app/observability';
import { PROVIDER_API_INFO } from './api-info';
import { recordClaimMetrics } from './claims/claim-metrics.hook';
import { loadProviderConfig } from './provider.config';
import { ProviderModule } from './provider.module';

async function main(): Promise<void> {
  const config = loadProviderConfig(process.env);
  const logger = createLogger(config.serviceName, config.logLevel);
  if (!config.jwt.issuer || !config.jwt.audience) {
    logger.warn(
      'JWT_ISSUER and/or JWT_AUDIENCE are not set: tokens signed with the same key for another ' +
        'service or issuer are accepted too. Set both in production.',
    );
  }
  await runService({
    module: ProviderModule.forRoot(config),
    config,
    logger,
    ...PROVIDER_API_INFO,
    // No Nest NATS transport here: it needs NATS to start, and the provider must start (and take
    // claims) while NATS is down. Its NATS work (outbox, pool events, replenish requests) goes
    // through @app/messaging's own connection, made in the background.
    microservices: [],
    configureHttp: (app) => recordClaimMetrics(app.getHttpAdapter().getInstance(), app.get(ClaimMetrics)),
  });
}

main().catch((error: unknown) => {
  // A bad configuration names its variables; anything else is printed whole.
  console.error(error instanceof ConfigValidationError ? error.message : error);
  process.exit(1);
});
