/**
 * The chart against the apps' own code: the variables it sets are exactly ones the apps' config
 * schemas read (none unknown, none required missing, every value valid), PORT is the container
 * port, and the probes hit routes the health controller serves.
 */
import 'reflect-metadata';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RequestMethod } from '@nestjs/common';
import { parseEnv } from '@app/config';
import { HealthModule } from '@app/observability';
import {
  APP_ENV_SCHEMAS as SCHEMAS,
  APPS,
  QUICKSTART_ONLY_VARIABLE as FORBIDDEN,
  unknownVariables,
  type App,
} from './support/app-env-schemas';
import { CHART_DIR, ofKind, render, type K8sObject, type RenderOptions } from './support/helm';
import { onlyContainer, resolveEnv } from './support/pod-env';

const SCENARIOS: Array<[string, RenderOptions]> = [
  ['default values', {}],
  ['values-production.yaml', { valuesFiles: ['values-production.yaml'] }],
  ...readdirSync(join(CHART_DIR, 'ci')).map((file): [string, RenderOptions] => [
    `ci/${file}`,
    { valuesFiles: [`ci/${file}`] },
  ]),
  ['deploy/local/values.yaml', { valuesFiles: ['../../deploy/local/values.yaml'] }],
];

/** Stand-ins for Secrets the chart does not manage (secrets.existingSecret), key by key. */
const EXTERNAL_SECRETS: Record<string, Record<string, string>> = {
  discounts: {
    GENERATOR_ADMIN_TOKEN: 'external-generator-admin-token-0123456789',
    PROVIDER_ADMIN_TOKEN: 'external-provider-admin-token-0123456789',
    JWT_SECRET: 'external-jwt-secret-0123456789abcdef0123456789',
    MONGODB_URI: 'mongodb+srv://user:pass@cluster0.example.net/discounts',
    WEBHOOK_SECRET_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
    USER_SECRET_PEPPER: 'external-user-secret-pepper-0123456789abcdef',
  },
  'discounts-credentials': {
    'generator-admin-token': 'external-generator-admin-token-0123456789',
    'provider-admin-token': 'external-provider-admin-token-0123456789',
    'jwt-secret': 'external-jwt-secret-0123456789abcdef0123456789',
    'mongodb-uri': 'mongodb://mongo:27017/discounts',
    'nats-user': 'discounts',
    'nats-password': 'secret',
    WEBHOOK_SECRET_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
    'user-secret-pepper': 'external-user-secret-pepper-0123456789abcdef',
  },
};

function deploymentOf(objects: readonly K8sObject[], app: App): K8sObject {
  const found = ofKind(objects, 'Deployment').filter(
    (d) => d.metadata.labels?.['app.kubernetes.io/component'] === app,
  );
  if (found.length !== 1) throw new Error(`expected one ${app} Deployment, got ${found.length}`);
  return found[0]!;
}

describe.each(SCENARIOS)('the apps get a valid configuration from the chart: %s', (_name, options) => {
  const objects = render(options);

  describe.each(APPS)('%s', (app) => {
    const deployment = deploymentOf(objects, app);
    const env = resolveEnv(objects, deployment, EXTERNAL_SECRETS);

    it('sets only variables the app reads, each once', () => {
      expect(unknownVariables(app, env.names)).toEqual([]);
      expect(env.names.filter((name, i) => env.names.indexOf(name) !== i)).toEqual([]);
    });

    it(`never sets ${FORBIDDEN}`, () => {
      expect(env.names).not.toContain(FORBIDDEN);
    });

    it("passes the app's own config validation (nothing required missing, every value valid)", () => {
      expect(() => parseEnv(SCHEMAS[app], env.values)).not.toThrow();
    });

    it('gives PORT the container port named http, and ADMIN_PORT the one named admin (unless admin.exposeOnPublicPort)', () => {
      const ports = onlyContainer(deployment).ports ?? [];
      const http = ports.find((p) => p.name === 'http');
      expect(http).toBeDefined();
      expect(env.values.PORT).toBe(String(http!.containerPort));
      const admin = ports.find((p) => p.name === 'admin');
      expect(ports).toHaveLength(admin ? 2 : 1);
      expect(env.values.ADMIN_PORT).toBe(admin ? String(admin.containerPort) : undefined);
    });

    it("gets an admin token of its own: the app's own key, not the other app's", () => {
      const ref = onlyContainer(deployment).env!.find((e) => e.name === 'ADMIN_TOKEN')!.valueFrom!
        .secretKeyRef!;
      expect(ref.key).toMatch(
        app === 'generator'
          ? /^(GENERATOR_ADMIN_TOKEN|generator-admin-token)$/
          : /^(PROVIDER_ADMIN_TOKEN|provider-admin-token)$/,
      );
      const other = deploymentOf(objects, app === 'generator' ? 'provider' : 'generator');
      const otherEnv = resolveEnv(objects, other, EXTERNAL_SECRETS).values;
      expect(env.values.ADMIN_TOKEN).toBeDefined();
      expect(env.values.ADMIN_TOKEN).not.toBe(otherEnv.ADMIN_TOKEN);
    });
  });
});

it.each(APPS)(
  '%s: no Service links, which would give it <SERVICE>_PORT=tcp://… variables it refuses (a Service named metrics)',
  (app) => {
    const objects = render();
    const deployment = deploymentOf(objects, app);
    const env = resolveEnv(objects, deployment, EXTERNAL_SECRETS).values;
    expect(() => parseEnv(SCHEMAS[app], { ...env, METRICS_PORT: 'tcp://10.96.0.10:9100' })).toThrow(
      /METRICS_PORT/,
    );
    expect(
      (deployment.spec as { template: { spec: { enableServiceLinks?: boolean } } }).template.spec
        .enableServiceLinks,
    ).toBe(false);
  },
);

it(`rejects ${FORBIDDEN} even through extraEnv`, () => {
  expect(() =>
    render({ set: [`generator.extraEnv[0].name=${FORBIDDEN}`, 'generator.extraEnv[0].value=true'] }),
  ).toThrow(/values don't meet the specifications of the schema.*\n(.*\n)*.*\/generator\/extraEnv\/0\/name/);
});

it('sets every variable the chart knows when every setting is given (ci/all-settings-values.yaml)', () => {
  const objects = render({ valuesFiles: ['ci/all-settings-values.yaml'] });
  const expected: Record<App, string[]> = {
    generator: [
      'PORT',
      'ADMIN_PORT',
      'LOG_LEVEL',
      'SWAGGER_ENABLED',
      'HTTP_BODY_LIMIT_BYTES',
      'NATS_URL',
      'MONGODB_SERVER_SELECTION_TIMEOUT_MS',
      'EVENTS_STREAM_REPLICAS',
      'RATE_LIMIT_STORE_MAX_BYTES',
      'MONGODB_MAX_POOL_SIZE',
      'LOAD_SHED_MAX_IN_FLIGHT',
      'GENERATION_MAX_COUNT',
      'GENERATION_BATCH_SIZE',
      'BRAND_MAX_CODES',
      'BRAND_MAX_CONCURRENT_JOBS',
      'BRAND_MAX_CONCURRENT_EXPORTS',
      'EXPIRED_CODES_RETENTION_DAYS',
      'WEBHOOK_DELIVERY_RETENTION_DAYS',
      'GENERATION_JOB_RETENTION_DAYS',
      'SHUTDOWN_DELAY_MS',
      'SHUTDOWN_GRACE_MS',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'OTEL_TRACES_SAMPLER',
      'OTEL_TRACES_SAMPLER_ARG',
      'OTEL_RESOURCE_ATTRIBUTES',
      'ADMIN_TOKEN',
      'MONGODB_URI',
      'NATS_USER',
      'NATS_PASSWORD',
      'HOST',
      'WEBHOOK_SECRET_KEYS',
      'TRUST_PROXY',
      'WEBHOOK_ALLOW_HTTP',
      'WEBHOOK_ALLOWED_PORTS',
    ],
    provider: [
      'PORT',
      'ADMIN_PORT',
      'LOG_LEVEL',
      'SWAGGER_ENABLED',
      'HTTP_BODY_LIMIT_BYTES',
      'NATS_URL',
      'MONGODB_SERVER_SELECTION_TIMEOUT_MS',
      'EVENTS_STREAM_REPLICAS',
      'RATE_LIMIT_STORE_MAX_BYTES',
      'MONGODB_MAX_POOL_SIZE',
      'LOAD_SHED_MAX_IN_FLIGHT',
      'JWT_ISSUER',
      'JWT_AUDIENCE',
      'SHUTDOWN_DELAY_MS',
      'SHUTDOWN_GRACE_MS',
      'METRICS_BRANDS',
      'METRICS_TOP_BRANDS',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'OTEL_TRACES_SAMPLER',
      'OTEL_TRACES_SAMPLER_ARG',
      'OTEL_RESOURCE_ATTRIBUTES',
      'ADMIN_TOKEN',
      'MONGODB_URI',
      'NATS_USER',
      'NATS_PASSWORD',
      'JWT_SECRET',
      'USER_SECRET_PEPPER',
      'TRUST_PROXY',
    ],
  };
  for (const app of APPS) {
    const env = resolveEnv(objects, deploymentOf(objects, app));
    expect(env.names.slice().sort()).toEqual(expected[app].slice().sort());
    const parsed = parseEnv(SCHEMAS[app], env.values) as Record<string, unknown>;
    expect(parsed.LOG_LEVEL).toBe('debug');
    expect(parsed.NATS_URL).toEqual(['nats://nats-0.nats:4222', 'nats://nats-1.nats:4222']);
    expect(parsed.PORT).toBe(app === 'generator' ? 8081 : 8082);
    expect(parsed.ADMIN_PORT).toBe(9001);
    expect(parsed.TRUST_PROXY).toEqual(['10.42.0.0/16', 'fd00:42::/64']);
    expect(parsed.EVENTS_STREAM_REPLICAS).toBe(3);
    expect(parsed.RATE_LIMIT_STORE_MAX_BYTES).toBe(8_388_608);
    // Per app: the generator's cap off, the provider's sized for its claims.
    expect(parsed.LOAD_SHED_MAX_IN_FLIGHT).toBe(app === 'generator' ? null : 400);
  }
  const generatorEnv = parseEnv(
    SCHEMAS.generator,
    resolveEnv(objects, deploymentOf(objects, 'generator')).values,
  );
  // The webhook ports the app allows are the ones its NetworkPolicy lets out.
  expect(generatorEnv).toMatchObject({
    WEBHOOK_ALLOW_HTTP: true,
    WEBHOOK_ALLOWED_PORTS: [{ from: 443, to: 443 }],
  });
  // The per-brand quotas; the stored-codes one switched off.
  expect(generatorEnv).toMatchObject({
    BRAND_MAX_CODES: null,
    BRAND_MAX_CONCURRENT_JOBS: 5,
    BRAND_MAX_CONCURRENT_EXPORTS: 1,
  });
  // Retention in days (as milliseconds once read), or off.
  expect(generatorEnv).toMatchObject({
    EXPIRED_CODES_RETENTION_DAYS: 90 * 86_400_000,
    WEBHOOK_DELIVERY_RETENTION_DAYS: null,
    GENERATION_JOB_RETENTION_DAYS: 14 * 86_400_000,
  });
});

describe('probes', () => {
  /** GET routes of the apps' health controller, as "/<controller path>/<method path>". */
  const healthRoutes = (() => {
    const controllers = (Reflect.getMetadata('controllers', HealthModule) ?? []) as Array<
      new (...args: never[]) => object
    >;
    const routes: string[] = [];
    for (const controller of controllers) {
      const base = String(Reflect.getMetadata('path', controller));
      for (const key of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[key];
        if (typeof handler !== 'function' || key === 'constructor') continue;
        if (Reflect.getMetadata('method', handler) !== RequestMethod.GET) continue;
        routes.push(`/${base}/${String(Reflect.getMetadata('path', handler))}`.replace(/\/+/g, '/'));
      }
    }
    return routes;
  })();

  it('the health controller serves /health/live, /health/ready and /health/startup', () => {
    expect(healthRoutes).toEqual(
      expect.arrayContaining(['/health/live', '/health/ready', '/health/startup']),
    );
  });

  it.each(APPS)(
    '%s: start-up on /health/startup, liveness on /health/live, readiness on /health/ready, all on the http port',
    (app) => {
      const container = onlyContainer(deploymentOf(render(), app));
      const probes = {
        startup: container.startupProbe,
        liveness: container.livenessProbe,
        readiness: container.readinessProbe,
      };
      expect(probes.startup?.httpGet?.path).toBe('/health/startup');
      expect(probes.liveness?.httpGet?.path).toBe('/health/live');
      expect(probes.readiness?.httpGet?.path).toBe('/health/ready');
      for (const probe of Object.values(probes)) {
        expect(healthRoutes).toContain(probe?.httpGet?.path);
        expect(probe?.httpGet?.port).toBe('http');
      }
    },
  );
});
