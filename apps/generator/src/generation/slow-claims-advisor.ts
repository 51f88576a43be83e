import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  DevServerRepository,
  slowClaimLimits,
  slowClaimsWarning,
  type ApiWarning,
  type SlowClaimLimit,
} from '@app/persistence';
import { DEV_SERVER_CONFIG, type DevServerConfig } from '../generator.config';

/**
 * Tells whoever stores codes on the FerretDB dev server that they have grown past what it serves
 * claims well: every route that stores codes asks once they are stored (or, for a job, queued)
 * and gets the warnings for its answer; each is also logged. On a real MongoDB nothing happens but
 * one buildInfo per process: no count, no warning. The answer that stored the codes must not fail
 * because of this check: its errors are logged only.
 */
@Injectable()
export class SlowClaimsAdvisor {
  private readonly logger = new Logger('DevServer');

  constructor(
    @Inject(DEV_SERVER_CONFIG) private readonly settings: DevServerConfig,
    private readonly devServer: DevServerRepository,
  ) {}

  /**
   * The warnings once the brand's codes are stored, counting `adding` codes not stored yet (a
   * queued job's); `what` names the request in the log line.
   */
  async warningsFor(what: string, brandId: string, adding = 0): Promise<ApiWarning[]> {
    try {
      const server = await this.devServer.describeServer();
      for (const limit of slowClaimLimits(server, this.settings.slowClaimCodes)) {
        const stored = await this.stored(limit, brandId, adding);
        const warning = slowClaimsWarning(server, limit, stored + adding, brandId);
        if (!warning) continue;
        this.logger.warn(`${what}: ${warning.message}`);
        return [warning];
      }
      return [];
    } catch (error) {
      this.logger.warn(`${what}: could not check the dev server's size: ${String(error)}`);
      return [];
    }
  }

  /** The codes of the limit's scope stored now, counted only as far as the limit needs. */
  private async stored(limit: SlowClaimLimit, brandId: string, adding: number): Promise<number> {
    if (limit.scope === 'collection') return this.devServer.countAllCodes();
    // One past the limit tells it is passed; a count limit of 0 would mean none at all.
    const atMost = limit.codes + 1 - adding;
    return atMost > 0 ? this.devServer.countBrandAvailable(brandId, atMost) : 0;
  }
}
