import { Module } from '@nestjs/common';
import { BrandsModule } from '../brands/brands.module';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { GenerationModule } from '../generation/generation.module';
import { QuotasModule } from '../quotas/quotas.module';
import { CodeImportController } from './code-import.controller';
import { CodeImportService } from './code-import.service';
import { ImportBodyParsers } from './import-body-parsers';

/** Codes made elsewhere, streamed in as CSV or NDJSON. */
@Module({
  imports: [BrandsModule, CampaignsModule, GenerationModule, QuotasModule],
  controllers: [CodeImportController],
  providers: [CodeImportService, ImportBodyParsers],
})
export class ImportModule {}
