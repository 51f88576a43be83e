import { Module } from '@nestjs/common';
import { GenerationMetrics } from '@app/metrics';
import { BrandJobsController } from './brand-jobs.controller';
import { ChunkWorker } from './chunk-worker';
import { CodeGenerationService } from './code-generation.service';
import { CodesController } from './codes.controller';
import { GenerateCodesHandler } from './generate-codes.handler';
import { GenerationJobsService } from './generation-jobs.service';
import { JobSupervisor } from './job-supervisor';
import { JobsController } from './jobs.controller';
import { SlowClaimsAdvisor } from './slow-claims-advisor';
import { QuotasModule } from '../quotas/quotas.module';

/** Code generation: inline for small requests, as jobs of chunks on the work queue for large ones. */
@Module({
  imports: [QuotasModule],
  controllers: [CodesController, JobsController, BrandJobsController],
  providers: [
    GenerationMetrics,
    CodeGenerationService,
    GenerateCodesHandler,
    GenerationJobsService,
    ChunkWorker,
    JobSupervisor,
    SlowClaimsAdvisor,
  ],
  exports: [
    GenerationMetrics,
    CodeGenerationService,
    GenerateCodesHandler,
    GenerationJobsService,
    SlowClaimsAdvisor,
  ],
})
export class GenerationModule {}
