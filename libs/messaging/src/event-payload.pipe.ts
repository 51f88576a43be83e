import { Injectable, PipeTransform } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { EVENT_SCHEMAS, type EventPayload, type Subject } from '@app/contracts';

/** Validates an incoming event against its subject's contract: `@Payload(new EventPayloadPipe(subject))`. */
@Injectable()
export class EventPayloadPipe<S extends Subject> implements PipeTransform<unknown, EventPayload<S>> {
  constructor(private readonly subject: S) {}

  transform(value: unknown): EventPayload<S> {
    const result = EVENT_SCHEMAS[this.subject].safeParse(value);
    if (!result.success) {
      throw new RpcException(
        `Invalid ${this.subject} payload: ${result.error.issues.map((i) => i.message).join('; ')}`,
      );
    }
    return result.data as EventPayload<S>;
  }
}
