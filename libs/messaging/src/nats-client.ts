import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import {
  connect,
  Events,
  nkeyAuthenticator,
  type ConnectionOptions,
  type JetStreamClient,
  type NatsConnection,
} from 'nats';
import { COMMON_CONFIG, type CommonConfig, type NatsConfig } from '@app/config';
import { NatsMetrics } from '@app/metrics';
import { errorMessage } from '@app/scheduling';
import { NatsUnavailableError } from './messaging-errors';
import { ensureEventStream } from './event-stream';

/** Between failed first connection attempts; afterwards the client's own reconnect loop runs. */
const CONNECT_RETRY_MS = 1_000;
/** Long enough for in-flight acks and publishes, short enough not to hold a shutdown hostage. */
const DRAIN_TIMEOUT_MS = 5_000;

/** Options shared by our own connection and Nest's NATS transport. */
export function natsConnectionOptions(config: NatsConfig, name: string): ConnectionOptions {
  return {
    servers: [...config.servers],
    name,
    user: config.user,
    pass: config.password,
    token: config.token,
    // Read once at start-up: a rotated seed takes a restart, like every other credential.
    ...(config.nkeySeedFile
      ? {
          authenticator: nkeyAuthenticator(
            new TextEncoder().encode(readFileSync(config.nkeySeedFile, 'utf8').trim()),
          ),
        }
      : {}),
    // Never give up: an outage must heal without a restart.
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1_000,
    // Otherwise every request and publish captures a stack trace up front, for an error that
    // almost never comes: a tenth of a claim's CPU in the provider's profile (README).
    noAsyncTraces: true,
  };
}

/** Runs on every (re)connection, after the event stream has been ensured. */
export type ConnectedListener = (connection: NatsConnection) => Promise<void> | void;

/**
 * The service's own NATS connection. It is made in the background and retried until it works,
 * so a service starts (and serves what does not need NATS) while NATS is down; readiness says
 * NATS is down meanwhile. Users ask for the connection when they need it and get a
 * NatsUnavailableError at once while there is none, instead of a publish that waits.
 */
@Injectable()
export class NatsClient implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Nats');
  private connection: NatsConnection | undefined;
  private jetstreamClient: JetStreamClient | undefined;
  private connected = false;
  private stopping = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly listeners: ConnectedListener[] = [];
  private readonly waiters: Array<(connection: NatsConnection) => void> = [];

  constructor(
    @Inject(COMMON_CONFIG) private readonly config: CommonConfig,
    private readonly metrics: NatsMetrics,
  ) {
    metrics.setConnected(false);
  }

  onModuleInit(): void {
    void this.connectUntilConnected();
  }

  /** True while a connection is up (false before the first one and while reconnecting). */
  isConnected(): boolean {
    return this.connected && this.connection !== undefined && !this.connection.isClosed();
  }

  /** The connection when it is up; otherwise a NatsUnavailableError right away. */
  current(): NatsConnection {
    if (!this.isConnected()) throw new NatsUnavailableError();
    return this.connection!;
  }

  jetstream(): JetStreamClient {
    const connection = this.current();
    this.jetstreamClient ??= connection.jetstream();
    return this.jetstreamClient;
  }

  /** Resolves with the connection once it is up (at once when it already is). */
  whenConnected(): Promise<NatsConnection> {
    if (this.isConnected()) return Promise.resolve(this.connection!);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** `listener` runs now when connected, and after every later (re)connection. */
  onConnected(listener: ConnectedListener): void {
    this.listeners.push(listener);
    if (this.isConnected()) void this.runListener(listener, this.connection!);
  }

  /** The connection to check round trips on, even while it reconnects; undefined before the first. */
  connectionForHealth(): NatsConnection | undefined {
    return this.connection;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retryTimer);
    const connection = this.connection;
    if (!connection || connection.isClosed()) return;
    // A drain flushes what was handed to the connection, but waits for a server that may be gone.
    if (!this.isConnected()) return connection.close();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, DRAIN_TIMEOUT_MS)));
    await Promise.race([connection.drain().catch(() => undefined), timeout]);
    clearTimeout(timer);
    if (!connection.isClosed()) await connection.close();
  }

  private async connectUntilConnected(): Promise<void> {
    if (this.stopping) return;
    try {
      const connection = await connect(natsConnectionOptions(this.config.nats, this.config.serviceName));
      if (this.stopping) {
        await connection.close();
        return;
      }
      this.connection = connection;
      this.logger.log(`connected to NATS ${connection.getServer()}`);
      this.watch(connection);
      await this.becameConnected(connection);
    } catch (error) {
      this.logger.warn(`NATS not reachable (${errorMessage(error)}); retrying every ${CONNECT_RETRY_MS} ms`);
      this.retryTimer = setTimeout(() => void this.connectUntilConnected(), CONNECT_RETRY_MS);
    }
  }

  private watch(connection: NatsConnection): void {
    void (async () => {
      for await (const status of connection.status()) {
        if (status.type === Events.Disconnect) {
          this.connected = false;
          this.metrics.setConnected(false);
          this.logger.warn('NATS disconnected; reconnecting');
        } else if (status.type === Events.Reconnect) {
          this.logger.log('NATS reconnected');
          // Not awaited: status changes keep being tracked while the on-connect work runs.
          void this.becameConnected(connection);
        } else if (status.type === Events.Error) {
          this.logger.warn(`NATS error: ${errorMessage(status.data)}`);
        }
      }
    })();
    void connection.closed().then(() => {
      this.connected = false;
      this.metrics.setConnected(false);
    });
  }

  private async becameConnected(connection: NatsConnection): Promise<void> {
    this.connected = true;
    this.metrics.setConnected(true);
    try {
      // Again after every reconnection: the server may be a new one, or have lost its store.
      await ensureEventStream(await connection.jetstreamManager(), this.config.eventStream, this.logger);
    } catch (error) {
      // Publishing then fails and is retried (outbox); consumers retry on their own.
      this.logger.error(`event stream not ensured: ${errorMessage(error)}`);
    }
    for (const wake of this.waiters.splice(0)) wake(connection);
    for (const listener of this.listeners) await this.runListener(listener, connection);
  }

  private async runListener(listener: ConnectedListener, connection: NatsConnection): Promise<void> {
    try {
      await listener(connection);
    } catch (error) {
      this.logger.error(`on-connect task failed: ${errorMessage(error)}`);
    }
  }
}
