import { Injectable } from '@nestjs/common';
import { DomainError } from '@app/contracts';
import { captureTraceContext } from '@app/messaging';
import { BrandsRepository, CodeClaimsRepository, type ClaimedCode } from '@app/persistence';
import { OutboxRelay } from '../outbox/outbox-relay';
import { PoolLowMonitor } from '../pool/pool-low.monitor';
import { PoolReplenisher } from '../pool/pool-replenisher';
import { HeldCodes } from './held-codes';

export interface ClaimResult {
  readonly claim: ClaimedCode;
  /** False when the user already held this code: the same answer again, nothing consumed. */
  readonly isNew: boolean;
}

@Injectable()
export class ClaimCodeService {
  constructor(
    private readonly claims: CodeClaimsRepository,
    private readonly brands: BrandsRepository,
    private readonly outbox: OutboxRelay,
    private readonly poolLow: PoolLowMonitor,
    private readonly replenisher: PoolReplenisher,
  ) {}

  private readonly held = new HeldCodes();

  /**
   * One findOneAndUpdate for a new claim. The unique (brand, holder) index makes a user's second
   * claim fail without changing anything, however many arrive at once; that user then gets the
   * code they hold. Failures are told apart only on the slow path, where a brand that ran out
   * is replenished (if it allows) and the claim tried once more.
   */
  async claim(brandId: string, userId: string): Promise<ClaimResult> {
    const known = this.held.of(brandId, userId);
    if (known) return { claim: await known, isNew: false };
    const first = await this.attempt(brandId, userId);
    if (first) return first;
    if (!(await this.brands.exists(brandId))) {
      throw new DomainError('brand_not_found', `Brand ${brandId} does not exist`);
    }
    if (await this.replenisher.replenish(brandId)) {
      const retried = await this.attempt(brandId, userId);
      if (retried) return retried;
    }
    throw new DomainError('codes_exhausted', `No codes left for brand ${brandId}`);
  }

  private async attempt(brandId: string, userId: string): Promise<ClaimResult | null> {
    const attempt = await this.claims.claimOrFindHeld(brandId, userId, new Date(), captureTraceContext());
    switch (attempt.outcome) {
      case 'claimed':
        // The claim and its pending event are stored; publishing and pool checks must not hold
        // up or fail the response.
        this.outbox.publishSoon(attempt.code);
        this.poolLow.claimed(brandId);
        this.held.remember(attempt.code);
        return { claim: attempt.code, isNew: true };
      case 'held':
        this.held.remember(attempt.code);
        return { claim: attempt.code, isNew: false };
      case 'none_available':
        return null;
    }
  }
}
