import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsRegistry } from './metrics-registry';

export interface BuildInfoLabels {
  readonly version: string;
  readonly revision: string;
  readonly node: string;
}

/**
 * discounts_build_info{version,revision,node} 1: which build each replica runs, for joining onto
 * other series (`* on(instance) group_left(version) discounts_build_info`) and spotting a rollout
 * stuck half-way. The values are read once at start-up (readBuildInfo in @app/observability).
 */
@Injectable()
export class BuildInfoMetrics {
  private readonly info: Gauge<'version' | 'revision' | 'node'>;

  constructor(registry: MetricsRegistry) {
    this.info = new Gauge({
      name: 'discounts_build_info',
      help: 'Always 1; the labels name the build this process runs: package version, git revision, Node.js version',
      labelNames: ['version', 'revision', 'node'],
      registers: [registry],
    });
  }

  /** One series only: a second call replaces the first. */
  record(labels: BuildInfoLabels): void {
    this.info.reset();
    this.info.set({ version: labels.version, revision: labels.revision, node: labels.node }, 1);
  }
}
