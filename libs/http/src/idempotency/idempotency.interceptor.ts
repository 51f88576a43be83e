import {
  Inject,
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { catchError, from, mergeMap, of, type Observable } from 'rxjs';
import { callerScopeOf, type AuthenticatedRequest } from '@app/auth';
import { COMMON_CONFIG, type CommonConfig } from '@app/config';
import { DomainError } from '@app/contracts';
import { IdempotencyRecordsRepository } from '@app/persistence';
import { describeError } from '../describe-error';
import { errorBodyFor } from '../response-bodies';
import {
  isKeptAnswer,
  openAnswer,
  parseIdempotencyKey,
  recordIdOf,
  requestFingerprint,
  sealAnswer,
  type AnswerToKeep,
} from './idempotency-key';
import { fingerprintBody, streamedLengthOf, tapBody } from './streamed-body';

/** How long a key and its first answer are kept. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * How long the first request may hold its key, beyond HTTP_REQUEST_TIMEOUT_MS (within which its
 * body has arrived; an import is handled as it arrives): longer than any create route runs (a job
 * is queued, not run, within it). A lock older than that (its replica died mid-request) is taken
 * over by the next request with the key and the same body, which then does the work.
 */
export const IDEMPOTENCY_LOCK_MARGIN_MS = 5 * 60 * 1000;
/** Sent on an answer replayed from the store, as Stripe does. */
export const REPLAYED_HEADER = 'idempotent-replayed';
/** The headers of an answer that are replayed with it (Location of a 202 job, say). */
const KEPT_HEADERS = ['location'] as const;
const JSON_TYPE = 'application/json; charset=utf-8';
/** Marks the fingerprint of a streamed request whose body has not been read through yet. */
const STREAM_PENDING = 'pending.';

const isStream = (body: unknown): body is Readable =>
  typeof (body as { pipe?: unknown } | null | undefined)?.pipe === 'function';

const logger = new Logger('Idempotency');

interface KeyContext {
  readonly scope: string;
  readonly key: string;
  readonly id: string;
}

/**
 * The Idempotency-Key mechanism of the create routes (see Idempotent()). Runs after the guards
 * (the caller is known, and a refused credential never touches the store) and before the pipes,
 * so a request whose key is answered is neither validated nor executed again. Without the header
 * it does nothing at all: no database round trip on the claim's hot path.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly records: IdempotencyRecordsRepository,
    @Inject(COMMON_CONFIG) private readonly config: CommonConfig,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const header = request.headers['idempotency-key'];
    if (header === undefined) return next.handle();
    const key = parseIdempotencyKey(header);
    const caller = callerScopeOf(request);
    if (caller === undefined) throw new Error('Idempotent() used on a route without an authentication guard');
    const scope = `${this.config.serviceName}/${caller}`;
    const keyContext: KeyContext = { scope, key, id: recordIdOf(scope, key) };
    const streamed = isStream(request.body) ? request.body : undefined;
    // A streamed body is fingerprinted by its bytes once read; until then the record holds this.
    const prefix = requestFingerprint(
      request.method,
      request.url,
      streamed ? { streamedAs: request.headers['content-type'] ?? null } : request.body,
    );
    const fingerprint = streamed ? `${STREAM_PENDING}${prefix}` : prefix;
    const reply = http.getResponse<FastifyReply>();

    const begun = await this.records.begin({
      id: keyContext.id,
      fingerprint,
      now: new Date(),
      lockMs: this.config.http.requestTimeoutMs + IDEMPOTENCY_LOCK_MARGIN_MS,
      ttlMs: IDEMPOTENCY_TTL_MS,
    });
    if (begun.kind === 'started') {
      if (!streamed) return this.run(next, request, reply, keyContext, begun.lockToken);
      const tapped = tapBody(streamed);
      request.body = tapped.stream;
      return this.run(next, request, reply, keyContext, begun.lockToken, () => tapped.fingerprint(prefix));
    }
    const sameRequest =
      streamed && begun.kind === 'answered'
        ? await this.sameStreamedBody(streamed, prefix, begun.fingerprint)
        : begun.fingerprint === fingerprint;
    if (!sameRequest) {
      throw new DomainError(
        'idempotency_key_reused',
        'This Idempotency-Key was used for a different request (method, path or body) in the last 24 hours; ' +
          'use a new key for a new request',
      );
    }
    if (begun.kind === 'in_flight') {
      throw new DomainError(
        'idempotency_key_in_use',
        'A request with this Idempotency-Key is still being served; retry once it has been answered',
      );
    }
    const answer = openAnswer(scope, key, keyContext.id, begun.answer.sealed);
    void reply.status(begun.answer.status).type(JSON_TYPE).header(REPLAYED_HEADER, 'true');
    for (const [name, value] of Object.entries(answer.headers)) void reply.header(name, value);
    return of(answer.body);
  }

  /** Reads a retried streamed body (no further than the first one's length) and compares. */
  private async sameStreamedBody(body: Readable, prefix: string, stored: string): Promise<boolean> {
    const length = streamedLengthOf(stored);
    if (length === undefined) return false;
    return (await fingerprintBody(body, prefix, length)) === stored;
  }

  /**
   * Runs the handler and keeps its answer. `streamedFingerprint` is the fingerprint of a streamed
   * body, known once the handler has read it all: such a request keeps only a 2xx (after which the
   * whole body has been read), as an error may have come before the end of the body.
   */
  private run(
    next: CallHandler,
    request: AuthenticatedRequest,
    reply: FastifyReply,
    context: KeyContext,
    lockToken: string,
    streamedFingerprint?: () => string | undefined,
  ): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) =>
        from(
          (async () => {
            const described = describeError(error);
            if (!streamedFingerprint && isKeptAnswer(described.status)) {
              const body = JSON.stringify(errorBodyFor(request.url, described));
              await this.keep(context, lockToken, described.status, { headers: {}, body });
            } else {
              await this.release(context, lockToken);
            }
            throw error;
          })(),
        ),
      ),
      mergeMap(async (result: unknown) => {
        const status = reply.statusCode;
        const fingerprint = streamedFingerprint?.();
        const keep = streamedFingerprint ? fingerprint !== undefined && status < 300 : true;
        if (!keep || !isKeptAnswer(status)) {
          await this.release(context, lockToken);
          return result;
        }
        const headers: Record<string, string> = {};
        for (const name of KEPT_HEADERS) {
          const value = reply.getHeader(name);
          if (typeof value === 'string') headers[name] = value;
        }
        // What Fastify sends for the handler's value: strings as they are, the rest as JSON.
        const body = typeof result === 'string' ? result : (JSON.stringify(result) ?? '');
        await this.keep(context, lockToken, status, { headers, body }, fingerprint);
        return result;
      }),
    );
  }

  /**
   * The work is done either way: a failure to store its answer is logged, not answered, and the
   * key stays locked until its lock runs out (a retry meanwhile gets 409).
   */
  private async keep(
    context: KeyContext,
    lockToken: string,
    status: number,
    answer: AnswerToKeep,
    fingerprint?: string,
  ) {
    try {
      const sealed = sealAnswer(context.scope, context.key, context.id, answer);
      if (!(await this.records.complete(context.id, lockToken, { status, sealed }, fingerprint))) {
        logger.warn('An Idempotency-Key lock was taken over before its answer was stored');
      }
    } catch (error) {
      logger.warn(`Could not store the answer of an Idempotency-Key: ${String(error)}`);
    }
  }

  private async release(context: KeyContext, lockToken: string) {
    try {
      await this.records.release(context.id, lockToken);
    } catch (error) {
      logger.warn(`Could not release an Idempotency-Key (it frees itself later): ${String(error)}`);
    }
  }
}
