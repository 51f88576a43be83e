import { Injectable } from '@nestjs/common';

/** The process's load as the HTTP layer's load shedding sees it (libs/http load-shedding.ts). */
export interface LoadReport {
  /** Requests are being refused now; `reason` says which threshold is crossed. */
  readonly shedding: boolean;
  readonly reason?: string;
  readonly inFlight: number;
  readonly eventLoopDelayMs: number;
  readonly eventLoopUtilization: number;
  readonly heapUsedBytes: number;
  readonly rssBytes: number;
}

/**
 * Where readiness reads the load from. The HTTP set-up attaches its measurement once the app
 * exists (a lib below cannot import the HTTP lib, which imports this one).
 */
@Injectable()
export class LoadPressure {
  private source: (() => LoadReport) | undefined;

  attach(source: () => LoadReport): void {
    this.source = source;
  }

  /** undefined while nothing measures (load shedding off, or an app without the HTTP set-up). */
  report(): LoadReport | undefined {
    return this.source?.();
  }
}
