/**
 * The admin listener (libs/http startAdminListener) over real sockets, on a small Nest app of its
 * own: the API port's routes and timeouts, the connection's local port as the auth decision reads
 * it, and drained by the graceful shutdown like the API port (a request in flight on it finishes
 * before Nest closes), closed with the app otherwise.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConsoleLogger, Controller, Get, Module, Req } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { commonEnvSchema, parseEnv, toCommonConfig, type CommonConfig } from '@app/config';
import { createHttpApp, GracefulShutdown, startAdminListener } from '@app/http';
import { freePort } from '../support/stack';

@Controller()
class ProbeController {
  @Get('v1/port')
  port(@Req() request: FastifyRequest) {
    return { localPort: request.socket.localPort };
  }

  @Get('v1/slow')
  async slow() {
    await sleep(800);
    return { done: true };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

class QuietLogger extends ConsoleLogger {
  override log(): void {}
  override debug(): void {}
}

interface Running {
  app: NestFastifyApplication;
  config: CommonConfig;
  apiPort: number;
  admin: Server;
  adminPort: number;
}

async function start(): Promise<Running> {
  const adminPort = await freePort();
  const config = toCommonConfig(
    'admin-listener-int-spec',
    parseEnv(commonEnvSchema(1), {
      ADMIN_TOKEN: 'admin-listener-admin-token',
      ADMIN_PORT: String(adminPort),
      HTTP_HEADERS_TIMEOUT_MS: '1500',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '5000',
      HTTP_MAX_HEADER_BYTES: '4096',
      SWAGGER_ENABLED: 'false',
    }),
  );
  const app = await createHttpApp(
    ProbeModule,
    config,
    { title: 'probe', description: 'probe' },
    new QuietLogger(),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const apiPort = (app.getHttpServer().address() as AddressInfo).port;
  const admin = await startAdminListener(app, { ...config.http, host: '127.0.0.1' }, adminPort);
  return { app, config, apiPort, admin, adminPort };
}

const get = async (port: number, path: string) => {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('the admin listener', () => {
  let running: Running;

  beforeAll(async () => {
    running = await start();
  });

  afterAll(async () => {
    await running?.app.close();
  });

  it('serves the same routes, and each request knows which port it came in on', async () => {
    expect(await get(running.apiPort, '/v1/port')).toEqual({
      status: 200,
      body: { localPort: running.apiPort },
    });
    expect(await get(running.adminPort, '/v1/port')).toEqual({
      status: 200,
      body: { localPort: running.adminPort },
    });
    // Fastify's 404 in the house error shape, from the same handler.
    expect(await get(running.adminPort, '/v1/nothing')).toMatchObject({
      status: 404,
      body: { error: 'not_found' },
    });
  });

  it('has the API server’s timeouts and header limit', () => {
    const limits = (server: Server) => ({
      headersTimeout: server.headersTimeout,
      requestTimeout: server.requestTimeout,
      keepAliveTimeout: server.keepAliveTimeout,
      timeout: server.timeout,
      maxHeaderSize: (server as unknown as { maxHeaderSize: number }).maxHeaderSize,
    });
    expect(limits(running.admin)).toEqual(limits(running.app.getHttpServer()));
    expect(limits(running.admin)).toMatchObject({
      headersTimeout: 1_500,
      keepAliveTimeout: 5_000,
      maxHeaderSize: 4_096,
    });
  });
});

describe('shutting down', () => {
  it('drains a request in flight on the admin port, then closes it, before exiting 0', async () => {
    const { app, config, admin, adminPort } = await start();
    const exits: number[] = [];
    const shutdown = new GracefulShutdown({
      app,
      config: { ...config.shutdown, delayMs: 0 },
      logger: new QuietLogger(),
      markStopping: () => undefined,
      exit: (code) => exits.push(code),
    });
    const inFlight = get(adminPort, '/v1/slow');
    await sleep(200);
    await shutdown.run('test');
    expect(await inFlight).toEqual({ status: 200, body: { done: true } });
    expect(admin.listening).toBe(false);
    expect(exits).toEqual([0]);
  });

  it('closes the admin listener when the app closes by other means', async () => {
    const { app, admin } = await start();
    await app.close();
    await sleep(50);
    expect(admin.listening).toBe(false);
  });
});
