import { Injectable, PipeTransform } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { COMMAND_SCHEMAS, type CommandRequest, type CommandSubject } from '@app/contracts';

/** Validates an incoming command against its contract: `@Payload(new CommandPayloadPipe(command))`. */
@Injectable()
export class CommandPayloadPipe<C extends CommandSubject> implements PipeTransform<
  unknown,
  CommandRequest<C>
> {
  constructor(private readonly command: C) {}

  transform(value: unknown): CommandRequest<C> {
    const result = COMMAND_SCHEMAS[this.command].request.safeParse(value);
    if (!result.success) {
      throw new RpcException(
        `Invalid ${this.command} request: ${result.error.issues.map((i) => i.message).join('; ')}`,
      );
    }
    return result.data as CommandRequest<C>;
  }
}
