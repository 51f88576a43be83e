import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import type { MsgHdrs } from 'nats';
import { COMMANDS, type ReplenishPoolReplyV1, type ReplenishPoolRequestV1 } from '@app/contracts';
import { CommandPayloadPipe, inIncomingSpan } from '@app/messaging';
import { ReplenishmentService } from './replenishment.service';

/** The provider's "this brand ran out" request (core NATS request/reply, queue group "generator"). */
@Controller()
export class ReplenishController {
  constructor(private readonly replenishment: ReplenishmentService) {}

  @MessagePattern(COMMANDS.replenishPool)
  replenish(
    @Payload(new CommandPayloadPipe(COMMANDS.replenishPool)) request: ReplenishPoolRequestV1,
    @Ctx() context: NatsContext,
  ): Promise<ReplenishPoolReplyV1> {
    // Nest types the headers as any; with the nats transport they are the message's MsgHdrs.
    const headers = context.getHeaders() as MsgHdrs | undefined;
    return inIncomingSpan(COMMANDS.replenishPool, headers, () =>
      this.replenishment.replenish(request.brandId, request.reason),
    );
  }
}
