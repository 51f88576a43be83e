/** NATS is not connected right now: the caller keeps its work for later (e.g. the outbox). */
export class NatsUnavailableError extends Error {
  constructor(message = 'NATS is not connected') {
    super(message);
    this.name = 'NatsUnavailableError';
  }
}

export type CommandFailure =
  /** No connection to NATS. */
  | 'nats_unavailable'
  /** NATS answered that nobody subscribes to the command (no generator running). */
  | 'no_responders'
  /** Nobody answered within the timeout. */
  | 'timeout'
  /** The responder reported an error. */
  | 'remote_error'
  /** The answer did not match the reply contract. */
  | 'invalid_reply'
  | 'failed';

/** A command (request/reply) got no usable answer; `reason` says why. */
export class CommandFailedError extends Error {
  constructor(
    readonly command: string,
    readonly reason: CommandFailure,
    detail: string,
  ) {
    super(`${command}: ${reason} (${detail})`);
    this.name = 'CommandFailedError';
  }
}
