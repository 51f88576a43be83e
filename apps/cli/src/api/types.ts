/** The API's shapes, as the typed client (@app/client, generated from the OpenAPI documents) has them. */
import type { GeneratorComponents, ProviderComponents } from '@app/client';

type Schemas = GeneratorComponents['schemas'];

export type Brand = Schemas['BrandResponse'];
export type CreatedBrand = Schemas['CreatedBrandResponse'];
export type CreateBrandBody = Schemas['CreateBrandRequest'];
export type BrandPage = Schemas['BrandPageResponse'];
export type RotatedKey = Schemas['RotatedApiKeyResponse'];
export type BrandStats = Schemas['BrandStatsResponse'];
export type CodeBatch = Schemas['CodeBatchResponse'];
export type GenerateBody = Schemas['GenerateCodesRequest'];
export type Job = Schemas['JobResponse'];
export type ImportReport = Schemas['ImportReportResponse'];
export type Claim = ProviderComponents['schemas']['ClaimResponse'];

export const FINISHED_JOB_STATUSES = ['completed', 'failed', 'cancelled'] as const;

export const isFinished = (job: Pick<Job, 'status'>): boolean =>
  (FINISHED_JOB_STATUSES as readonly string[]).includes(job.status);

/** A 201 (the codes exist) or a 202 (a job will make them). */
export type GenerateAnswer = { kind: 'batch'; batch: CodeBatch } | { kind: 'job'; job: Job };

/** A claim's answer: 201 a new claim, 200 the code the user already held. */
export interface ClaimAnswer {
  claim: Claim;
  isNew: boolean;
}
