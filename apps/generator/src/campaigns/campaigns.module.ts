import { Module } from '@nestjs/common';
import { BrandsModule } from '../brands/brands.module';
import { GenerationModule } from '../generation/generation.module';
import { CampaignCodesController } from './campaign-codes.controller';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';

/** Campaigns of a brand: created and changed here, their codes generated and counted. */
@Module({
  imports: [BrandsModule, GenerationModule],
  controllers: [CampaignsController, CampaignCodesController],
  providers: [CampaignsService],
  exports: [CampaignsService],
})
export class CampaignsModule {}
