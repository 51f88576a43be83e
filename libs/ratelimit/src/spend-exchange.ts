import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JSONCodec,
  nanos,
  StorageType,
  type NatsConnection,
  type Subscription,
} from 'nats';
import { ensureStream } from '@app/messaging';
import { errorMessage } from '@app/scheduling';
import type { RateLedger } from './rate-ledger';
import { groupSpends, parseSpendBatch, spendsOf } from './spend-batch';

const codec = JSONCodec<unknown>();

/** Batches kept for a retry while NATS is away (about 100,000 spends); older ones are dropped. */
const MAX_QUEUED_BATCHES = 100;
/** A replica that cannot read the history this fast starts with what it has: limits still hold here. */
const REPLAY_TIMEOUT_MS = 10_000;
/** JetStream drops a batch republished (same id) within this window, as after a lost ack. */
const DUPLICATE_WINDOW_MS = 120_000;

/** The NATS connection as the exchange needs it; NatsClient is one. */
export interface NatsLink {
  /** The connection while it is up; throws while NATS is down. */
  current(): NatsConnection;
  /** Resolves once connected (at once when connected). */
  whenConnected(): Promise<NatsConnection>;
}

/** What the service's metrics learn from the exchange. */
export interface SpendExchangeObserver {
  batch(direction: 'sent' | 'received'): void;
  localOnly(degraded: boolean): void;
}

export interface SpendExchangeOptions {
  /** `<namespace>.spends` is the subject, `<namespace>-spends` the stream. */
  readonly namespace: string;
  /** How often admitted requests are sent to the other replicas: the staleness bound's unit. */
  readonly syncIntervalMs: number;
  /** Per NATS request; a slower answer counts as a failure (retried next interval). */
  readonly timeoutMs: number;
  /** Cap of the history stream in the NATS server's memory; the oldest batches go first. */
  readonly maxBytes: number;
  readonly observer?: SpendExchangeObserver;
}

/**
 * Carries the rate ledger's admissions between replicas over NATS, never on a request's path:
 * every sync interval this replica publishes one batch (a JetStream publish, so it is stored for
 * replicas that start later), and every replica applies the others' batches as they arrive (a
 * plain subscription). A starting replica first reads the stored batches, which cover the
 * longest time a state matters, so a restart or a scale-up does not reset anyone's limits.
 *
 * While NATS is away batches wait (up to MAX_QUEUED_BATCHES) and each replica holds the limits on
 * its own, as it always does for what it has not heard of. The stream is in memory: a NATS
 * restart loses it and the next publish makes it again.
 */
export class SpendExchange {
  /** Random per process, so a replica recognises (and skips) its own batches. */
  readonly replicaId = randomBytes(9).toString('base64url');
  private readonly logger = new Logger('RateLimits');
  private readonly subject: string;
  private readonly stream: string;
  private readonly queue: Array<{ readonly seq: number; readonly data: Uint8Array }> = [];
  /** Highest batch applied per sender, and when: a batch seen live and in the history counts once. */
  private readonly applied = new Map<string, { seq: number; at: number }>();
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private subscription: Subscription | undefined;
  private sending: Promise<void> | undefined;
  private streamReady = false;
  private failing = false;
  private stopped = false;
  /** Live batches held back while the history is read, so that each sender's come in order. */
  private held: Uint8Array[] | undefined;

  constructor(
    private readonly link: NatsLink,
    private readonly ledger: RateLedger,
    private readonly options: SpendExchangeOptions,
  ) {
    this.subject = `${options.namespace}.spends`;
    this.stream = `${options.namespace}-spends`;
  }

  /** True while batches do not get through: each replica then holds the limits on its own. */
  get degraded(): boolean {
    return this.failing;
  }

  /** Spends admitted here that no stored batch carries yet (unsent or waiting for a retry). */
  get unshared(): number {
    return this.ledger.unsharedCount + this.queue.length;
  }

  /** The highest batch of `replicaId` applied here (0: none). */
  appliedFrom(replicaId: string): number {
    return this.applied.get(replicaId)?.seq ?? 0;
  }

  /** The last batch this replica has had stored. */
  get sentSeq(): number {
    return this.seq - this.queue.length;
  }

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => {
      if (!this.sending) void this.flush();
    }, this.options.syncIntervalMs);
    this.timer.unref();
    void this.listen();
  }

  /** Sends what is waiting now; failures stay queued for the next interval. Never rejects. */
  flush(): Promise<void> {
    const run = (this.sending ?? Promise.resolve()).then(() => this.send());
    this.sending = run;
    void run.finally(() => {
      if (this.sending === run) this.sending = undefined;
    });
    return run;
  }

  /** Shares what this replica admitted last, then stops listening. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    await this.flush();
    this.subscription?.unsubscribe();
  }

  private async listen(): Promise<void> {
    const connection = await this.link.whenConnected();
    if (this.stopped) return;
    this.held = [];
    let timer: NodeJS.Timeout | undefined;
    try {
      this.subscription = connection.subscribe(this.subject, {
        callback: (error, message) => {
          if (error) return;
          if (this.held) this.held.push(message.data);
          else this.apply(message.data);
        },
      });
      // Bounded: live batches wait for the history, and must not wait for ever.
      const tooLong = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no end after ${REPLAY_TIMEOUT_MS} ms`)),
          REPLAY_TIMEOUT_MS,
        );
      });
      await Promise.race([this.replay(connection), tooLong]);
    } catch (error) {
      this.logger.warn(`Rate-limit history not read (${errorMessage(error)}): starting from what arrives`);
    } finally {
      clearTimeout(timer);
      const held = this.held;
      this.held = undefined;
      for (const data of held) this.apply(data);
    }
  }

  /** Applies the stored batches, up to the last one stored when the reading started. */
  private async replay(connection: NatsConnection): Promise<void> {
    const info = await this.ensureStream(connection);
    if (info.state.messages === 0) return;
    const last = info.state.last_seq;
    const jsm = await connection.jetstreamManager({ timeout: this.options.timeoutMs });
    // An ephemeral consumer of our own, gone by itself if we vanish. (nats.js's ordered consumers
    // need a newer server than 2.9.)
    const { name } = await jsm.consumers.add(this.stream, {
      ack_policy: AckPolicy.None,
      deliver_policy: DeliverPolicy.All,
      inactive_threshold: nanos(REPLAY_TIMEOUT_MS),
      mem_storage: true,
    });
    const consumer = await connection
      .jetstream({ timeout: this.options.timeoutMs })
      .consumers.get(this.stream, name);
    const messages = await consumer.consume({ max_messages: 256 });
    const timer = setTimeout(() => void messages.close().catch(() => undefined), REPLAY_TIMEOUT_MS);
    try {
      for await (const message of messages) {
        this.apply(message.data);
        if (message.seq >= last) break;
      }
    } finally {
      clearTimeout(timer);
      // Not awaited: a consumer left before its end may never finish closing (nats.js).
      void messages.close().catch(() => undefined);
      void consumer.delete().catch(() => undefined);
    }
  }

  private apply(data: Uint8Array): void {
    let batch;
    try {
      batch = parseSpendBatch(codec.decode(data));
    } catch {
      batch = undefined;
    }
    if (!batch || batch.from === this.replicaId) return;
    const seen = this.applied.get(batch.from);
    if (seen && batch.seq <= seen.seq) return;
    this.applied.set(batch.from, { seq: batch.seq, at: Date.now() });
    this.ledger.receive(spendsOf(batch));
    this.options.observer?.batch('received');
  }

  private async send(): Promise<void> {
    for (const spends of groupSpends(this.ledger.drain())) {
      const seq = ++this.seq;
      this.queue.push({ seq, data: codec.encode({ v: 1, from: this.replicaId, seq, spends }) });
    }
    if (this.queue.length > MAX_QUEUED_BATCHES) this.queue.splice(0, this.queue.length - MAX_QUEUED_BATCHES);
    this.forgetQuietSenders();
    while (this.queue.length > 0) {
      const { seq, data } = this.queue[0]!;
      try {
        const connection = this.link.current();
        if (!this.streamReady) await this.ensureStream(connection);
        await connection.jetstream({ timeout: this.options.timeoutMs }).publish(this.subject, data, {
          msgID: `${this.replicaId}-${seq}`,
          timeout: this.options.timeoutMs,
        });
      } catch (error) {
        // Perhaps a NATS restart took the (memory) stream along: make it again before the retry.
        this.streamReady = false;
        this.setFailing(true, error);
        return;
      }
      this.queue.shift();
      this.options.observer?.batch('sent');
      this.setFailing(false);
    }
  }

  private async ensureStream(connection: NatsConnection) {
    const jsm = await connection.jetstreamManager({ timeout: this.options.timeoutMs });
    const maxAgeMs = Math.max(this.ledger.maxStateTtlMs, this.options.syncIntervalMs);
    const info = await ensureStream(
      jsm,
      {
        name: this.stream,
        subjects: [this.subject],
        storage: StorageType.Memory,
        max_age: nanos(maxAgeMs),
        max_bytes: this.options.maxBytes,
        // Old batches only serve replicas that start later: when full, those go, never new ones.
        discard: DiscardPolicy.Old,
        duplicate_window: nanos(Math.min(DUPLICATE_WINDOW_MS, maxAgeMs)),
      },
      this.logger,
    );
    this.streamReady = true;
    return info;
  }

  private setFailing(failing: boolean, error?: unknown): void {
    if (failing === this.failing) return;
    this.failing = failing;
    this.options.observer?.localOnly(failing);
    if (failing) {
      this.logger.warn(
        `Rate-limit batches not getting through (${errorMessage(error)}): ` +
          'each replica holds the limits on its own until NATS is back',
      );
    } else {
      this.logger.warn('Rate-limit batches getting through again: limits are shared across replicas');
    }
  }

  /** Replicas that stopped long ago: their batches no longer matter. */
  private forgetQuietSenders(): void {
    const before = Date.now() - this.ledger.maxStateTtlMs;
    for (const [sender, { at }] of this.applied) if (at < before) this.applied.delete(sender);
  }
}
