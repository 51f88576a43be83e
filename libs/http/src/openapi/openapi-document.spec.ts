/**
 * The answers buildOpenApiDocument adds from each route's guards and body, and the order it
 * writes paths and methods in, on small controllers built in Nest's preview mode (no provider
 * runs, as for `npm run openapi`).
 */
import { Body, Controller, Delete, Get, Module, Param, Post, UseGuards, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiOperation, ApiProperty, type OpenAPIObject } from '@nestjs/swagger';
import { AdminGuard, AUTH_OPTIONS, BrandGuard, JwtUserGuard } from '@app/auth';
import { BrandApiKeysRepository } from '@app/persistence';
import { byClientIp, RateLimitGuard, RateLimiter } from '@app/ratelimit';
import { buildOpenApiDocument } from './openapi-document';

class NameBody {
  @ApiProperty({ example: 'Acme' })
  readonly name!: string;
}

@ApiBearerAuth()
@Controller('v1/brands/:brandId/things')
@UseGuards(BrandGuard)
class BrandThingsController {
  @Get()
  @UseGuards(RateLimitGuard('readsPerBrand', byClientIp))
  @ApiOperation({ operationId: 'listThings' })
  list(@Param('brandId') _brandId: string): string[] {
    return [];
  }

  @Post()
  @ApiOperation({ operationId: 'createThing' })
  create(@Body() _body: NameBody): void {}
}

/** The same path's DELETE, from another controller: registered before or after the one above. */
@ApiBearerAuth()
@Controller('v1/brands/:brandId/things')
class BrandThingsRemovalController {
  @Delete()
  @UseGuards(AdminGuard)
  @ApiOperation({ operationId: 'removeThings' })
  remove(): void {}
}

@Controller()
class OtherRoutesController {
  @Post('v1/claims')
  @ApiBearerAuth()
  @UseGuards(JwtUserGuard)
  @ApiOperation({ operationId: 'claimThing' })
  claim(): void {}

  @Get('discounts/api/v1.0/thing')
  @UseGuards(RateLimitGuard('legacyPerIp', byClientIp))
  @ApiOperation({ operationId: 'legacyThing' })
  legacy(): void {}

  @Get('health/live')
  @ApiOperation({ operationId: 'healthLive' })
  live(): void {}
}

async function documentOf(...controllers: Type<unknown>[]): Promise<OpenAPIObject> {
  // What the guards inject, for the module graph to resolve: preview mode never builds them.
  const providers = [AUTH_OPTIONS, BrandApiKeysRepository, RateLimiter].map((provide) => ({
    provide,
    useValue: {},
  }));
  @Module({ controllers, providers })
  class ThingsModule {}
  const app = await NestFactory.create(ThingsModule, new FastifyAdapter(), {
    preview: true,
    abortOnError: false,
    logger: false,
  });
  try {
    return buildOpenApiDocument(app, { title: 't', description: 'd' });
  } finally {
    await app.close();
  }
}

const statuses = (doc: OpenAPIObject, path: string, method: 'get' | 'post' | 'delete') =>
  Object.keys(doc.paths[path]?.[method]?.responses ?? {});

describe('buildOpenApiDocument', () => {
  let doc: OpenAPIObject;
  beforeAll(async () => {
    doc = await documentOf(BrandThingsController, BrandThingsRemovalController, OtherRoutesController);
  });

  it('declares on each route the answers its guards, its body and the load shedder send', () => {
    expect({
      listThings: statuses(doc, '/v1/brands/{brandId}/things', 'get'),
      createThing: statuses(doc, '/v1/brands/{brandId}/things', 'post'),
      removeThings: statuses(doc, '/v1/brands/{brandId}/things', 'delete'),
      claimThing: statuses(doc, '/v1/claims', 'post'),
      legacyThing: statuses(doc, '/discounts/api/v1.0/thing', 'get'),
      healthLive: statuses(doc, '/health/live', 'get'),
    }).toEqual({
      // A brand key for another brand: 403; a rate limit and the auth lockout: 429.
      listThings: ['200', '401', '403', '429', '503'],
      createThing: ['201', '401', '403', '413', '415', '429', '503'],
      removeThings: ['200', '401', '403', '429', '503'],
      // A user's JWT is no brand's: no 403.
      claimThing: ['201', '401', '429', '503'],
      legacyThing: ['200', '429', '503'],
      // Probes are never shed.
      healthLive: ['200'],
    });
  });

  it('documents Retry-After on 429 and 503, and the RateLimit fields where a policy counts', () => {
    const headersOf = (path: string, method: 'get' | 'post', status: number) => {
      const response = doc.paths[path]?.[method]?.responses[status] as { headers?: object };
      return Object.keys(response.headers ?? {});
    };
    const things = '/v1/brands/{brandId}/things';
    expect(headersOf(things, 'get', 429)).toEqual(['Retry-After', 'RateLimit-Policy', 'RateLimit']);
    expect(headersOf(things, 'post', 429)).toEqual(['Retry-After']);
    expect(headersOf(things, 'post', 503)).toEqual(['Retry-After']);
  });

  it('answers errors with ApiError, and with LegacyEnvelope on the predecessor’s routes', () => {
    const schemaOf = (path: string, status: number) =>
      (doc.paths[path]?.get?.responses[status] as { content?: object }).content;
    expect(schemaOf('/v1/brands/{brandId}/things', 503)).toEqual({
      'application/json': { schema: { $ref: '#/components/schemas/ApiError' } },
    });
    expect(schemaOf('/discounts/api/v1.0/thing', 429)).toEqual({
      'application/json': { schema: { $ref: '#/components/schemas/LegacyEnvelope' } },
    });
  });

  it('lists a path’s methods in one order, whichever controller comes first', async () => {
    const reversed = await documentOf(
      OtherRoutesController,
      BrandThingsRemovalController,
      BrandThingsController,
    );
    const methods = (d: OpenAPIObject) => Object.keys(d.paths['/v1/brands/{brandId}/things'] ?? {});
    expect(methods(doc)).toEqual(['get', 'post', 'delete']);
    expect(methods(reversed)).toEqual(['get', 'post', 'delete']);
    expect(JSON.stringify(reversed.paths)).toBe(JSON.stringify(doc.paths));
  });

  it('refuses an operation whose controller method it cannot find (its guards are unknown)', async () => {
    @Controller('v1/anonymous')
    class UnnamedController {
      @Get()
      get(): void {}
    }
    await expect(documentOf(UnnamedController)).rejects.toThrow(
      'GET /v1/anonymous: no controller method has its operationId',
    );
  });
});
