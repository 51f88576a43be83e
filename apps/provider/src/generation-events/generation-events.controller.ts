import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { SUBJECTS, type CodesGeneratedV1 } from '@app/contracts';
import { EventPayloadPipe } from '@app/messaging';

/** Batches stored by the generator; pool-level tracking will hang off this feed. */
@Controller()
export class GenerationEventsController {
  private readonly logger = new Logger(GenerationEventsController.name);

  @EventPattern(SUBJECTS.codesGenerated)
  onCodesGenerated(@Payload(new EventPayloadPipe(SUBJECTS.codesGenerated)) event: CodesGeneratedV1): void {
    this.logger.log(`brand ${event.brandId} received ${event.count} new codes (batch ${event.batchId})`);
  }
}
