import { Injectable, Logger } from '@nestjs/common';
import { DomainError, SUBJECTS } from '@app/contracts';
import { EventPublisher } from '@app/messaging';
import { BrandsRepository, CodeClaimsRepository, type ClaimedCode } from '@app/persistence';

export interface ClaimResult {
  readonly claim: ClaimedCode;
  /** False when the user already held this code: the same answer again, nothing consumed. */
  readonly isNew: boolean;
}

@Injectable()
export class ClaimCodeService {
  private readonly logger = new Logger(ClaimCodeService.name);

  constructor(
    private readonly claims: CodeClaimsRepository,
    private readonly brands: BrandsRepository,
    private readonly events: EventPublisher,
  ) {}

  /**
   * One findOneAndUpdate for a new claim. The unique (brand, holder) index makes a user's second
   * claim fail without changing anything, however many arrive at once; that user then gets the
   * code they hold. Failures are told apart only on the slow path.
   */
  async claim(brandId: string, userId: string): Promise<ClaimResult> {
    const attempt = await this.claims.claimAvailable(brandId, userId, new Date());
    if (attempt.outcome === 'claimed') {
      this.announce(attempt.code);
      return { claim: attempt.code, isNew: true };
    }
    const held = await this.claims.findHeldBy(brandId, userId);
    if (held) return { claim: held, isNew: false };
    if (!(await this.brands.exists(brandId))) {
      throw new DomainError('brand_not_found', `Brand ${brandId} does not exist`);
    }
    throw new DomainError('codes_exhausted', `No codes left for brand ${brandId}`);
  }

  /** The claim is already stored; its event must not hold up or fail the response. */
  private announce(claim: ClaimedCode): void {
    this.events
      .publish(SUBJECTS.codeClaimed, {
        eventId: claim.eventId,
        type: 'code.claimed',
        version: 1,
        brandId: claim.brandId,
        code: claim.code,
        userId: claim.userId,
        claimedAt: claim.claimedAt.toISOString(),
      })
      .then(() => this.claims.markEventPublished(claim.id, new Date()))
      .catch((error: unknown) =>
        this.logger.warn(`code.claimed ${claim.eventId} not published yet: ${String(error)}`),
      );
  }
}
