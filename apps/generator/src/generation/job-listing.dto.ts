import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageCursorField, PageLimitField } from '@app/http';
import { JOB_STATUSES, type JobStatus } from '@app/persistence';
import { JobResponse } from './job.dto';

/** Jobs per page of GET /v1/brands/{brandId}/jobs. */
export const JOBS_PAGE = { default: 20, max: 100 } as const;

export class ListJobsQuery {
  @ApiPropertyOptional({ enum: JOB_STATUSES, description: 'Default every status' })
  @IsOptional()
  @IsIn(JOB_STATUSES, { message: `status must be one of ${JOB_STATUSES.join(', ')}` })
  status?: JobStatus;

  @PageLimitField(JOBS_PAGE)
  limit?: string;

  @PageCursorField()
  cursor?: string;
}

export class JobPageResponse {
  @ApiProperty({ type: [JobResponse], description: 'Newest first; each as GET /v1/jobs/{jobId} answers it' })
  items!: JobResponse[];
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Pass as cursor for the next page',
  })
  nextCursor!: string | null;
}
