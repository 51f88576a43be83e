import { Module } from '@nestjs/common';
import { BrandsModule } from '../brands/brands.module';
import { GenerationModule } from '../generation/generation.module';
import { LegacyGenerateController } from './legacy-generate.controller';

/** The predecessor's generation route, byte for byte. */
@Module({
  imports: [BrandsModule, GenerationModule],
  controllers: [LegacyGenerateController],
})
export class LegacyModule {}
