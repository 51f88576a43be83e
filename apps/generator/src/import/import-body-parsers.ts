import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '@app/contracts';

/** The brand's default campaign, and any of its campaigns. */
export const IMPORT_ROUTES: ReadonlySet<string> = new Set([
  '/v1/brands/:brandId/codes/import',
  '/v1/brands/:brandId/campaigns/:campaignId/codes/import',
]);
/** Bodies the import reads line by line as they arrive. */
export const STREAMED_IMPORT_TYPES = ['text/csv', 'application/x-ndjson'] as const;

/**
 * Hands the import routes their CSV / NDJSON body as the raw request stream, unread: the handler
 * reads it after the guards (so an unknown brand or a wrong key costs no upload), under its own
 * byte limit instead of the 64 KiB JSON body limit. Any other route still answers these types 415.
 */
@Injectable()
export class ImportBodyParsers implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    // An application context without HTTP (a worker-only process, a test module) has no adapter.
    const adapter = this.adapterHost.httpAdapter as HttpAdapterHost['httpAdapter'] | undefined;
    if (!adapter) return;
    const fastify = adapter.getInstance<FastifyInstance>();
    fastify.addContentTypeParser([...STREAMED_IMPORT_TYPES], (request, payload, done) => {
      if (request.routeOptions.url && IMPORT_ROUTES.has(request.routeOptions.url)) {
        done(null, payload);
        return;
      }
      done(
        new DomainError(
          'unsupported_media_type',
          `Unsupported Content-Type: ${request.headers['content-type'] ?? ''}`,
        ),
        undefined,
      );
    });
  }
}
