import { createServer, type Server } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { HttpConfig } from '@app/config';
import { drainWithApp } from './graceful-shutdown';
import { nodeServerOptions } from './server-limits';

/**
 * ADMIN_PORT: a second Node server handing its requests to the app's own handler, so the admin
 * port serves the very same routes, hooks, limits and error answers; what differs is only that
 * the admin token is honoured there alone (decided in @app/auth, from the connection's local
 * port). It has the API port's timeouts and is drained and closed with it (drainWithApp).
 *
 * Not a second Nest app: that would double every provider, connection and background job.
 */
export async function startAdminListener(
  app: NestFastifyApplication,
  http: HttpConfig,
  port: number,
): Promise<Server> {
  const main: Server = app.getHttpServer();
  // The header and request timeouts come with the options, as for the API port's server.
  const server = createServer(nodeServerOptions(http));
  // Fastify sets these on its server once made (lib/server.js); copied, so they stay equal.
  server.keepAliveTimeout = main.keepAliveTimeout;
  server.maxRequestsPerSocket = main.maxRequestsPerSocket;
  server.setTimeout(main.timeout);
  // Fastify's router, and its clientError handler (our 400/408/431 answers to broken requests).
  for (const event of ['request', 'clientError']) {
    for (const listener of main.listeners(event)) server.on(event, listener as (...args: unknown[]) => void);
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, http.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  drainWithApp(main, server);
  return server;
}
