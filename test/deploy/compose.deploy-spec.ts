/**
 * compose.yaml, the stack for people without Kubernetes, checked without a container engine: it
 * follows the Compose specification (its JSON schema), the apps get an environment their own config
 * schemas accept, and their health checks work (the monitoring profile:
 * compose-monitoring.deploy-spec). That the images start is proved by the image test
 * (image.deploy-spec.ts) and the cluster tier, which build deploy/Dockerfile as this file does.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Ajv, { type AnySchemaObject } from 'ajv';
import { parseEnv } from '@app/config';
import { APP_ENV_SCHEMAS, APPS, QUICKSTART_ONLY_VARIABLE, unknownVariables } from './support/app-env-schemas';
import {
  COMPOSE_SCHEMA_FILE,
  environmentOf,
  mountsOf,
  publishedPorts,
  readComposeFile,
  service,
  type ComposeFile,
} from './support/compose';
import { parseDockerfile } from './support/dockerfile';
import { REPO_ROOT } from './support/helm';

const compose = readComposeFile();
const DEPENDENCIES = ['mongodb', 'nats'] as const;
const MONITORING = ['prometheus', 'grafana'] as const;

describe('compose.yaml against the Compose specification (JSON schema, draft-07)', () => {
  const schema = JSON.parse(readFileSync(COMPOSE_SCHEMA_FILE, 'utf8')) as { $schema: string };
  // Ajv's default class is draft-07, the draft the schema declares; it knows that meta-schema as
  // http://json-schema.org/draft-07/schema#, the schema names it by https and without the #.
  const ajv = new Ajv({ strict: false, allErrors: true });
  const draft07 = JSON.parse(
    readFileSync(require.resolve('ajv/dist/refs/json-schema-draft-07.json'), 'utf8'),
  ) as AnySchemaObject;
  ajv.addMetaSchema({ ...draft07, $id: schema.$schema });
  const validate = ajv.compile(schema);

  it('the schema is draft-07 and rejects a service with an unknown field', () => {
    expect(schema.$schema).toMatch(/draft-07/);
    const broken: ComposeFile = {
      ...compose,
      services: { ...compose.services, nats: { ...service(compose, 'nats'), imagee: 'x' } as never },
    };
    expect(validate(broken)).toBe(false);
  });

  it('is valid', () => {
    validate(compose);
    expect(ajv.errorsText(validate.errors)).toBe('No errors');
  });

  it('has exactly the services and profiles intended: monitoring only with --profile monitoring', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      [...DEPENDENCIES, ...APPS, ...MONITORING].slice().sort(),
    );
    for (const name of [...DEPENDENCIES, ...APPS]) expect(service(compose, name).profiles).toBeUndefined();
    for (const name of MONITORING) expect(service(compose, name).profiles).toEqual(['monitoring']);
  });

  it('pins every pulled image to a version tag, never latest', () => {
    for (const name of [...DEPENDENCIES, ...MONITORING]) {
      expect(service(compose, name).image).toMatch(/^[a-z0-9/._-]+:v?\d+(\.\d+)*(-[a-z]+)?$/);
    }
  });
});

describe('MongoDB and NATS', () => {
  const mongodb = service(compose, 'mongodb');
  const nats = service(compose, 'nats');

  it('MongoDB 8 runs as replica set rs0, initiated by its health check with the member name the apps connect to', () => {
    expect(mongodb.image).toBe('mongo:8.0');
    expect(mongodb.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    const check = (mongodb.healthcheck?.test as string[]).join(' ');
    expect(check).toContain("rs.initiate({ _id: 'rs0', members: [{ _id: 0, host: 'mongodb:27017' }] })");
    expect(check).toContain('NotYetInitialized');
    expect(check).toMatch(/isWritablePrimary\) quit\(1\)/);
    for (const app of APPS) {
      const uri = new URL(environmentOf(service(compose, app)).MONGODB_URI!);
      expect({ app, host: uri.host, replicaSet: uri.searchParams.get('replicaSet') }).toEqual({
        app,
        host: 'mongodb:27017',
        replicaSet: 'rs0',
      });
    }
  });

  it('NATS runs JetStream with its store in a named volume, healthy once JetStream is', () => {
    expect(nats.command).toEqual(expect.arrayContaining(['--jetstream', '--store_dir=/data']));
    expect(mountsOf(nats)).toEqual([{ source: 'nats-data', target: '/data', bind: false, readOnly: false }]);
    expect(compose.volumes).toHaveProperty('nats-data');
    expect((nats.healthcheck?.test as string[]).join(' ')).toContain('/healthz?js-enabled-only=true');
  });

  it('neither is published on the host: only the apps and the monitoring UIs are', () => {
    expect(publishedPorts(mongodb)).toEqual([]);
    expect(publishedPorts(nats)).toEqual([]);
  });
});

describe.each(APPS)('%s', (app) => {
  const svc = service(compose, app);
  const env = environmentOf(svc);

  it('is built from deploy/Dockerfile with APP set to the app, as the chart images are', () => {
    expect(svc.build).toEqual({ context: '.', dockerfile: 'deploy/Dockerfile', args: { APP: app } });
    const stages = parseDockerfile(readFileSync(join(REPO_ROOT, 'deploy', 'Dockerfile'), 'utf8')).stages;
    const runtime = stages[stages.length - 1]!;
    expect(runtime.instructions).toContainEqual(expect.objectContaining({ keyword: 'ARG', args: 'APP' }));
  });

  it('sets only variables the app reads, and never the quickstart switch', () => {
    expect(unknownVariables(app, Object.keys(env))).toEqual([]);
    expect(Object.keys(env)).not.toContain(QUICKSTART_ONLY_VARIABLE);
  });

  it("passes the app's own config validation (nothing required missing, every value valid)", () => {
    expect(() => parseEnv(APP_ENV_SCHEMAS[app], env)).not.toThrow();
  });

  it('marks every secret it is given as development-only', () => {
    const secrets = ['ADMIN_TOKEN', 'JWT_SECRET', 'USER_SECRET_PEPPER'].filter((name) => name in env);
    expect(secrets).toContain('ADMIN_TOKEN');
    for (const name of secrets) expect(env[name]).toMatch(/^dev-only-/);
    if (env.WEBHOOK_SECRET_KEYS) expect(env.WEBHOOK_SECRET_KEYS).toMatch(/^dev:/);
  });

  it('publishes PORT on 127.0.0.1 only', () => {
    expect(publishedPorts(svc)).toEqual([
      { hostIp: '127.0.0.1', hostPort: Number(env.PORT), containerPort: Number(env.PORT) },
    ]);
  });

  it('starts once MongoDB and NATS are healthy', () => {
    expect(svc.depends_on).toEqual({
      mongodb: { condition: 'service_healthy' },
      nats: { condition: 'service_healthy' },
    });
    for (const dependency of DEPENDENCIES) expect(service(compose, dependency).healthcheck).toBeDefined();
  });
});

describe.each(APPS)('%s health check (run with node, as in the image)', (app) => {
  const test = service(compose, app).healthcheck?.test as string[];
  const port = environmentOf(service(compose, app)).PORT!;
  let server: Server;
  let status = 200;
  let requested: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      requested.push(req.url ?? '');
      res.writeHead(status).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => (requested = []));

  /**
   * The check's exit code against `targetPort` instead of the app's (not free here). Run
   * asynchronously: the stand-in server answers from this process's event loop.
   */
  const runCheck = (targetPort: number) => {
    expect(test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    const script = test[3]!.replace(`127.0.0.1:${port}/`, `127.0.0.1:${targetPort}/`);
    expect(script).not.toBe(test[3]);
    return new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore', timeout: 10_000 });
      child.on('error', reject);
      child.on('exit', (code) => resolve(code));
    });
  };

  it('passes on 200 from /health/ready', async () => {
    status = 200;
    expect(await runCheck((server.address() as AddressInfo).port)).toBe(0);
    expect(requested).toEqual(['/health/ready']);
  });

  it('fails on 503', async () => {
    status = 503;
    expect(await runCheck((server.address() as AddressInfo).port)).toBe(1);
  });

  it('fails when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await runCheck(freePort)).toBe(1);
  });
});
