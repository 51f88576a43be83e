import { Module } from '@nestjs/common';
import { BrandsModule } from '../brands/brands.module';
import { GenerationModule } from '../generation/generation.module';
import { QuotasModule } from '../quotas/quotas.module';
import { LegacyGenerateController } from './legacy-generate.controller';

/** The predecessor's generation route, byte for byte. */
@Module({
  imports: [BrandsModule, GenerationModule, QuotasModule],
  controllers: [LegacyGenerateController],
})
export class LegacyModule {}
