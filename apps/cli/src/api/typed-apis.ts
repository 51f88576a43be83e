/**
 * GeneratorApi and ProviderApi over the typed client (@app/client, openapi-fetch): paths, bodies
 * and answers are checked against the OpenAPI documents at compile time. The two streamed routes
 * go through stream-routes.ts instead.
 */
import { createGeneratorClient, createProviderClient } from '@app/client';
import type { GeneratorApi, ProviderApi } from './generator-api';
import { apiAnswerError, fetchWithin, requestFailure } from './http';
import { exportCsv, importCodes } from './stream-routes';

interface Settled<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * The answer's data, or the error as ApiAnswerError (openapi-fetch hands the error body parsed, or
 * as text when it is not JSON), or a ConnectionError when nothing answered; any other failure (a
 * 2xx whose body is not JSON) as requestFailure says.
 */
async function settle<T>(label: string, timeoutMs: number, call: () => Promise<Settled<T>>) {
  let result: Settled<T>;
  try {
    result = await call();
  } catch (error) {
    throw requestFailure(error, label, timeoutMs);
  }
  const { data, error, response } = result;
  if (error !== undefined || !response.ok) {
    throw apiAnswerError(response, typeof error === 'string' ? error : JSON.stringify(error ?? ''));
  }
  return { data: data as T, response };
}

const timed = (timeoutMs: number) => ({
  fetch: (request: Request) => fetchWithin(request, {}, timeoutMs),
});

export function generatorApi(baseUrl: string, token: string, timeoutMs: number): GeneratorApi {
  const client = createGeneratorClient(baseUrl, token, timed(timeoutMs));
  const where = `the generator at ${baseUrl}`;
  const go = async <T>(call: () => Promise<Settled<T>>): Promise<T> =>
    (await settle(where, timeoutMs, call)).data;
  const brandPath = (brandId: string) => ({ params: { path: { brandId } } });
  const jobPath = (jobId: string) => ({ params: { path: { jobId } } });
  return {
    createBrand: (body) => go(() => client.POST('/v1/brands', { body })),
    listBrands: (query) =>
      go(() =>
        client.GET('/v1/brands', {
          params: {
            query: {
              ...(query.limit !== undefined ? { limit: String(query.limit) } : {}),
              ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
              ...(query.namePrefix !== undefined ? { namePrefix: query.namePrefix } : {}),
            },
          },
        }),
      ),
    getBrand: (brandId) => go(() => client.GET('/v1/brands/{brandId}', brandPath(brandId))),
    rotateKey: (brandId) => go(() => client.POST('/v1/brands/{brandId}/api-keys', brandPath(brandId))),
    brandStats: (brandId) => go(() => client.GET('/v1/brands/{brandId}/stats', brandPath(brandId))),
    async generateCodes(brandId, body) {
      const { data, response } = await settle(where, timeoutMs, () =>
        client.POST('/v1/brands/{brandId}/codes', { ...brandPath(brandId), body }),
      );
      // The 201 and the 202 share one typed union; the status says which it is.
      return response.status === 202
        ? { kind: 'job', job: data as Extract<typeof data, { jobId: string }> }
        : { kind: 'batch', batch: data as Extract<typeof data, { batchId: string }> };
    },
    getJob: (jobId) => go(() => client.GET('/v1/jobs/{jobId}', jobPath(jobId))),
    cancelJob: (jobId) => go(() => client.DELETE('/v1/jobs/{jobId}', jobPath(jobId))),
    importCodes: (brandId, body, contentType, contentLength) =>
      importCodes(baseUrl, token, brandId, body, contentType, contentLength, timeoutMs),
    exportCsv: (path) => exportCsv(baseUrl, token, path, timeoutMs),
  };
}

export function providerApi(baseUrl: string, timeoutMs: number): ProviderApi {
  return {
    async claim(brandId, userToken, campaignId) {
      const where = `the provider at ${baseUrl}`;
      const client = createProviderClient(baseUrl, userToken, timed(timeoutMs));
      const { data, response } =
        campaignId === undefined
          ? await settle(where, timeoutMs, () =>
              client.POST('/v1/brands/{brandId}/claims', { params: { path: { brandId } } }),
            )
          : await settle(where, timeoutMs, () =>
              client.POST('/v1/brands/{brandId}/campaigns/{campaignId}/claims', {
                params: { path: { brandId, campaignId } },
              }),
            );
      return { claim: data, isNew: response.status === 201 };
    },
  };
}
