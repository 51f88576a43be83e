import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { httpAppRoot } from '../create-http-app';
import { buildOpenApiDocument, type OpenApiInfo } from './openapi-document';

/**
 * The document the app built from `module` serves at /docs/json, without running it: Nest's
 * preview mode resolves the module graph but instantiates no provider, so no MongoDB or NATS
 * connection is tried and no background work starts (`npm run openapi`, the drift check).
 */
export async function previewOpenApiDocument(
  module: Type<unknown> | DynamicModule,
  info: OpenApiInfo,
): Promise<OpenAPIObject> {
  const app = await NestFactory.create(httpAppRoot(module), new FastifyAdapter(), {
    preview: true,
    // Report a bad module graph as an exception, not by exiting the process.
    abortOnError: false,
    logger: false,
  });
  try {
    return buildOpenApiDocument(app, info);
  } finally {
    await app.close();
  }
}
