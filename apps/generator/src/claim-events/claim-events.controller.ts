import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { SUBJECTS, type CodeClaimedV1 } from '@app/contracts';
import { EventPayloadPipe } from '@app/messaging';
import { BrandsRepository } from '@app/persistence';

/** Claim events from the provider: the feed brand notifications will hang off. */
@Controller()
export class ClaimEventsController {
  constructor(private readonly brands: BrandsRepository) {}

  @EventPattern(SUBJECTS.codeClaimed)
  async onCodeClaimed(
    @Payload(new EventPayloadPipe(SUBJECTS.codeClaimed)) event: CodeClaimedV1,
  ): Promise<void> {
    await this.brands.recordClaimNotified(event.brandId);
  }
}
