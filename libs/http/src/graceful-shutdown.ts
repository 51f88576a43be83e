import type { Server } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ShutdownConfig } from '@app/config';
import { errorMessage } from '@app/scheduling';

/** Flushes telemetry (traces) once handlers have drained; registered by the tracing preload. */
export type TelemetryFlush = () => Promise<void>;

export interface ShutdownDeps {
  readonly app: NestFastifyApplication;
  readonly config: ShutdownConfig;
  readonly logger: LoggerService;
  /** Readiness fails from this call on. */
  readonly markStopping: () => void;
  readonly flushTelemetry?: TelemetryFlush;
  /** process.exit in production; a stub in tests. */
  readonly exit: (code: number) => void;
}

/**
 * The shutdown order: readiness fails, a pause (SHUTDOWN_DELAY_MS) for load balancers to stop
 * sending, HTTP stops accepting and finishes what it has, then Nest's shutdown (consumers finish
 * their batches, the outbox and webhook dispatcher settle, NATS drains, MongoDB closes),
 * telemetry flushes, exit 0. All of it after the pause must fit SHUTDOWN_GRACE_MS, else exit 1.
 *
 * Not Nest's enableShutdownHooks: it re-raises the signal after closing, so the process ends
 * "killed by SIGTERM" instead of exiting 0, and it has no readiness pause.
 */
export class GracefulShutdown {
  private running: Promise<void> | undefined;
  private endPause: (() => void) | undefined;

  constructor(private readonly deps: ShutdownDeps) {}

  /**
   * Listens for SIGTERM and SIGINT. A second signal during the readiness pause ends the pause
   * (a second Ctrl-C; an orchestrator sends one SIGTERM); the drain that follows always runs.
   */
  listen(): void {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void this.run(signal));
  }

  run(reason: string): Promise<void> {
    if (this.running && this.endPause) {
      this.deps.logger.log(`${reason} again: ending the readiness pause now`);
      this.endPause();
    }
    this.running ??= this.stop(reason);
    return this.running;
  }

  private async stop(reason: string): Promise<void> {
    const { app, config, logger, exit } = this.deps;
    this.deps.markStopping();
    logger.log(`${reason}: readiness now fails; draining in ${config.delayMs} ms`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, config.delayMs);
      this.endPause = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.endPause = undefined;
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      this.drain(app).then(
        () => 'done' as const,
        (error: unknown) => error,
      ),
      new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), config.graceMs))),
    ]);
    clearTimeout(timer);
    if (outcome === 'done') {
      logger.log('shutdown complete');
      exit(0);
    } else if (outcome === 'timeout') {
      logger.error(`shutdown did not finish within SHUTDOWN_GRACE_MS (${config.graceMs} ms); exiting`);
      exit(1);
    } else {
      logger.error(`shutdown failed: ${errorMessage(outcome)}`);
      exit(1);
    }
  }

  private async drain(app: NestFastifyApplication): Promise<void> {
    await stopAccepting(app);
    await app.close();
    await this.deps.flushTelemetry?.();
  }
}

/**
 * Stops taking new connections and waits for the requests in flight, on the app's server and the
 * listeners that serve it beside (see drainWithApp). Idle keep-alive connections are closed at
 * once, and busy ones after their current response (Connection: close, see closingConnectionsHook),
 * so a client is never cut off mid-request: it reconnects and is refused, which a load balancer
 * retries elsewhere.
 */
async function stopAccepting(app: NestFastifyApplication): Promise<void> {
  const server: Server = app.getHttpServer();
  await Promise.all([server, ...(companions.get(server) ?? [])].map(stopServer));
}

function stopServer(server: Server): Promise<void> {
  closing.add(server);
  return new Promise<void>((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

const closing = new WeakSet<Server>();
const companions = new WeakMap<Server, Server[]>();

/**
 * Registers `listener`, another server whose requests the app behind `appServer` handles (the
 * admin port), so that the graceful shutdown drains it with the app's own before Nest closes, and
 * so that it closes when the app's server does (a failed start-up, a test closing the app).
 */
export function drainWithApp(appServer: Server, listener: Server): void {
  companions.set(appServer, [...(companions.get(appServer) ?? []), listener]);
  appServer.once('close', () => {
    if (listener.listening) listener.close();
  });
}

/** Whether `server` is draining: its responses then carry Connection: close. */
export function isClosing(server: Server): boolean {
  return closing.has(server);
}
