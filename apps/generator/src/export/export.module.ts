import { Module } from '@nestjs/common';
import { BrandsModule } from '../brands/brands.module';
import { CodeExportController } from './code-export.controller';

/** A brand's codes streamed out as CSV or NDJSON. */
@Module({
  imports: [BrandsModule],
  controllers: [CodeExportController],
})
export class ExportModule {}
