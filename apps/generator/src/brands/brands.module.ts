import { Module } from '@nestjs/common';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { ApiKeyRotationService } from './api-key-rotation.service';
import { ApiKeysController } from './api-keys.controller';
import { BrandsController } from './brands.controller';
import { BrandsService } from './brands.service';

/** Brands, their settings (a webhook's URL is checked by the webhooks feature) and API keys. */
@Module({
  imports: [WebhooksModule],
  controllers: [BrandsController, ApiKeysController],
  providers: [BrandsService, ApiKeyRotationService],
  exports: [BrandsService],
})
export class BrandsModule {}
