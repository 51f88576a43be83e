import { Module } from '@nestjs/common';
import { BrandsModule } from '../brands/brands.module';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { CodeExportController } from './code-export.controller';
import { ExportSlots } from './export-slots';

/** A brand's codes streamed out as CSV or NDJSON. */
@Module({
  imports: [BrandsModule, CampaignsModule],
  controllers: [CodeExportController],
  providers: [ExportSlots],
})
export class ExportModule {}
