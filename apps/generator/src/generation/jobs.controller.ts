import { Controller, Delete, Get, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { assertCanActOnBrand, BrandGuard, CurrentPrincipal, type BrandPrincipal } from '@app/auth';
import { GenerationJobsService } from './generation-jobs.service';
import { JobParams, JobResponse, toJobResponse } from './job.dto';

@ApiTags('codes')
@ApiBearerAuth()
@Controller('v1/jobs')
@UseGuards(BrandGuard)
export class JobsController {
  constructor(private readonly jobs: GenerationJobsService) {}

  @Get(':jobId')
  @ApiOperation({ operationId: 'getJob', summary: 'Progress of a generation job (admin or the job’s brand)' })
  @ApiResponse({ status: 200, type: JobResponse })
  @ApiResponse({ status: 403, description: 'forbidden: another brand’s job' })
  @ApiResponse({ status: 404, description: 'not_found' })
  async get(@Param() params: JobParams, @CurrentPrincipal() principal: BrandPrincipal): Promise<JobResponse> {
    const job = await this.jobs.get(params.jobId);
    assertCanActOnBrand(principal, job.brandId);
    return toJobResponse(job);
  }

  @Delete(':jobId')
  @ApiOperation({ operationId: 'cancelJob', summary: 'Cancel a generation job; codes already stored stay' })
  @ApiResponse({ status: 200, type: JobResponse })
  @ApiResponse({ status: 409, description: 'invalid_state: the job already finished' })
  async cancel(
    @Param() params: JobParams,
    @CurrentPrincipal() principal: BrandPrincipal,
  ): Promise<JobResponse> {
    const job = await this.jobs.get(params.jobId);
    assertCanActOnBrand(principal, job.brandId);
    return toJobResponse(await this.jobs.cancel(job.id));
  }
}
