import { Injectable } from '@nestjs/common';

/**
 * Where the process is in its life, for the probes: started once bootstrap finished (indexes
 * built, handlers subscribed, HTTP listening); stopping from the first shutdown signal on, so
 * readiness fails before anything else stops.
 */
@Injectable()
export class ServiceLifecycle {
  private startedAt: Date | undefined;
  private stoppingSince: Date | undefined;

  markStarted(): void {
    this.startedAt ??= new Date();
  }

  markStopping(): void {
    this.stoppingSince ??= new Date();
  }

  isStarted(): boolean {
    return this.startedAt !== undefined;
  }

  isStopping(): boolean {
    return this.stoppingSince !== undefined;
  }
}
