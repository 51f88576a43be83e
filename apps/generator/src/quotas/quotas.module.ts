import { Module } from '@nestjs/common';
import { BrandQuotas } from './brand-quotas';

/** Per-brand quotas kept in MongoDB: codes stored, generation jobs at once. */
@Module({
  providers: [BrandQuotas],
  exports: [BrandQuotas],
})
export class QuotasModule {}
