import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { SLOW_CALL_BUCKETS } from './buckets';
import { MetricsRegistry } from './metrics-registry';

export const GENERATION_CHUNK_OUTCOMES = ['stored', 'redelivered', 'failed', 'cancelled'] as const;
export type GenerationChunkOutcome = (typeof GENERATION_CHUNK_OUTCOMES)[number];

export const GENERATION_JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type GenerationJobStatus = (typeof GENERATION_JOB_STATUSES)[number];

/**
 * Code generation, inline (a request's batch) and as jobs (chunks on a work queue). The job
 * series exist, at 0, before any job runs, so the dashboards and alerts have them from the start.
 */
@Injectable()
export class GenerationMetrics {
  private readonly codesGenerated: Counter;
  private readonly chunks: Counter<'outcome'>;
  private readonly chunkDuration: Histogram;
  private readonly jobs: Gauge<'status'>;

  constructor(registry: MetricsRegistry) {
    this.codesGenerated = new Counter({
      name: 'discounts_codes_generated_total',
      help: 'New codes stored, by requests, jobs and imports together',
      registers: [registry],
    });
    this.chunks = new Counter({
      name: 'discounts_generation_job_chunks_total',
      help: 'Generation job chunks by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.chunkDuration = new Histogram({
      name: 'discounts_generation_job_chunk_duration_seconds',
      help: 'Time to generate and store one job chunk',
      buckets: SLOW_CALL_BUCKETS,
      registers: [registry],
    });
    this.jobs = new Gauge({
      name: 'discounts_generation_jobs',
      help: 'Generation jobs by status, as last counted by this instance',
      labelNames: ['status'],
      registers: [registry],
    });
    for (const outcome of GENERATION_CHUNK_OUTCOMES) this.chunks.inc({ outcome }, 0);
    for (const status of GENERATION_JOB_STATUSES) this.jobs.set({ status }, 0);
    this.codesGenerated.inc(0);
    this.chunkDuration.zero({});
  }

  /** New codes stored, by a request's batch or a job's chunk: counted as each insert lands. */
  codesStored(count: number): void {
    this.codesGenerated.inc(count);
  }

  chunkStored(seconds: number): void {
    this.chunks.inc({ outcome: 'stored' });
    this.chunkDuration.observe(seconds);
  }

  chunkEnded(outcome: Exclude<GenerationChunkOutcome, 'stored'>): void {
    this.chunks.inc({ outcome });
  }

  jobCounts(counts: Partial<Record<GenerationJobStatus, number>>): void {
    for (const status of GENERATION_JOB_STATUSES) this.jobs.set({ status }, counts[status] ?? 0);
  }
}
