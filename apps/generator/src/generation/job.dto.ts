import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { JOB_STATUSES, type JobRecord, type JobStatus } from '@app/persistence';
import { ApiWarningResponse, CodeFormatResponse, WARNINGS_DESCRIPTION } from './generate-codes.dto';
import { ratePerSecond } from './chunk-plan';

export class JobParams {
  @ApiProperty({
    example: '3f2c8a41-7b6d-4e19-a5c0-9d8e7f6a5b43',
    description: 'The job id returned by the 202 answer',
  })
  @IsUUID('all', { message: 'jobId must be a job id (a UUID)' })
  jobId!: string;
}

export class JobResponse {
  @ApiProperty({ example: '3f2c8a41-7b6d-4e19-a5c0-9d8e7f6a5b43' }) jobId!: string;
  @ApiProperty({ example: 'acme' }) brandId!: string;
  @ApiPropertyOptional({
    example: 'spring-sale',
    description:
      'The campaign its codes go to: on a campaign’s route, and on every answer about a job of a ' +
      'campaign other than the default one',
  })
  campaignId?: string;
  @ApiProperty({ enum: JOB_STATUSES, example: 'running' }) status!: JobStatus;
  @ApiProperty({ example: 1_000_000 }) requested!: number;
  @ApiProperty({ example: 250_000, description: 'Codes stored (counted per finished chunk)' })
  generated!: number;
  @ApiProperty({ example: 10_000 }) chunkSize!: number;
  @ApiProperty({ example: 100 }) chunkCount!: number;
  @ApiProperty({ example: 25 }) chunksDone!: number;
  @ApiProperty({ type: CodeFormatResponse }) format!: CodeFormatResponse;
  @ApiProperty({ nullable: true, type: String, example: '2027-04-30T23:59:59.000Z' }) expiresAt!:
    string | null;
  @ApiProperty({ example: '2026-12-07T09:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ nullable: true, type: String, example: '2026-12-07T09:00:01.000Z' }) startedAt!:
    string | null;
  @ApiProperty({ nullable: true, type: String, example: null })
  finishedAt!: string | null;
  @ApiProperty({ example: 50_000, description: 'Codes per second since the first chunk started' })
  ratePerSecond!: number;
  @ApiProperty({ nullable: true, type: String, example: null })
  error!: string | null;
  /** On the 202 that queued the job only: what its codes will do to the collection. */
  @ApiPropertyOptional({ type: [ApiWarningResponse], description: WARNINGS_DESCRIPTION })
  warnings?: ApiWarningResponse[];
}

/**
 * `campaignId` (a campaign's route names its campaign, "default" too) defaults to the job's own:
 * only a campaign's job says so, the default campaign's jobs answer as before campaigns.
 */
export function toJobResponse(job: JobRecord, now = new Date(), campaignId = job.campaignId): JobResponse {
  return {
    jobId: job.id,
    brandId: job.brandId,
    ...(campaignId !== undefined ? { campaignId } : {}),
    status: job.status,
    requested: job.requested,
    generated: job.generated,
    chunkSize: job.chunkSize,
    chunkCount: job.chunkCount,
    chunksDone: job.doneChunks.length,
    format: { ...job.format },
    expiresAt: job.expiresAt?.toISOString() ?? null,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    ratePerSecond: ratePerSecond(job.generated, job.startedAt, job.finishedAt ?? now),
    error: job.error,
  };
}

/** Where a job is followed (the Location of a 202). */
export const jobPath = (jobId: string): string => `/v1/jobs/${jobId}`;
