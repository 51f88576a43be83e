import { Injectable } from '@nestjs/common';
import { context } from '@opentelemetry/api';
import { ErrorCode, NatsError } from 'nats';
import { COMMAND_SCHEMAS, type CommandReply, type CommandRequest, type CommandSubject } from '@app/contracts';
import { NatsMetrics } from '@app/metrics';
import { errorMessage } from '@app/scheduling';
import { CommandFailedError, NatsUnavailableError } from './messaging-errors';
import { decodeNestReply, encodeNestRequest } from './nest-envelope';
import { NatsClient } from './nats-client';
import { inOutgoingSpan, SpanKind } from './trace-context';

/**
 * Sends commands as core NATS requests (never stored) and waits at most `timeoutMs` for the
 * answer. Every way of not getting a usable answer is a CommandFailedError with a reason: no
 * connection, nobody subscribed (NATS says so at once), nobody answered in time, the responder
 * failed, or the answer broke the contract.
 */
@Injectable()
export class CommandClient {
  constructor(
    private readonly nats: NatsClient,
    private readonly metrics: NatsMetrics,
  ) {}

  async request<C extends CommandSubject>(
    command: C,
    payload: CommandRequest<C>,
    timeoutMs: number,
  ): Promise<CommandReply<C>> {
    const started = performance.now();
    try {
      return await this.metrics.counted('requested', command, () => this.send(command, payload, timeoutMs));
    } finally {
      this.metrics.handled(command, (performance.now() - started) / 1000);
    }
  }

  private async send<C extends CommandSubject>(
    command: C,
    payload: CommandRequest<C>,
    timeoutMs: number,
  ): Promise<CommandReply<C>> {
    const schemas = COMMAND_SCHEMAS[command];
    const valid = schemas.request.parse(payload);
    let connection;
    try {
      connection = this.nats.current();
    } catch (error) {
      if (error instanceof NatsUnavailableError)
        throw new CommandFailedError(command, 'nats_unavailable', error.message);
      throw error;
    }
    const message = await inOutgoingSpan(SpanKind.CLIENT, command, undefined, context.active(), (headers) =>
      connection.request(command, encodeNestRequest(command, valid), { timeout: timeoutMs, headers }),
    ).catch((error: unknown) => {
      throw new CommandFailedError(command, failureOf(error), errorMessage(error));
    });
    const reply = decodeNestReply(message.data);
    if (!reply.ok) throw new CommandFailedError(command, 'remote_error', reply.error);
    const parsed = schemas.reply.safeParse(reply.response);
    if (!parsed.success) {
      throw new CommandFailedError(
        command,
        'invalid_reply',
        parsed.error.issues.map((i) => i.message).join('; '),
      );
    }
    return parsed.data as CommandReply<C>;
  }
}

function failureOf(error: unknown): 'no_responders' | 'timeout' | 'failed' {
  if (error instanceof NatsError) {
    const code: string = error.code;
    if (code === String(ErrorCode.NoResponders)) return 'no_responders';
    if (code === String(ErrorCode.Timeout)) return 'timeout';
  }
  return 'failed';
}
