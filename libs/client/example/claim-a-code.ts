/**
 * The typed clients end to end: register a brand, generate codes, register a user, claim a code
 * and read the brand's stats. Against `make launch` (defaults below):
 *
 *   GENERATOR_ADMIN_URL=http://127.0.0.1:5001 ADMIN_TOKEN=… PROVIDER_URL=http://127.0.0.1:5002 \
 *   PROVIDER_ADMIN_TOKEN=… USER_JWT=… node dist/libs/client/example/claim-a-code.js
 *
 * USER_JWT is a token the provider accepts for the user (sub = its id; signed with JWT_SECRET).
 */
import { createGeneratorClient, createProviderClient, type ApiError } from '@app/client';

/** Throws with the API's error body: `error` is one of the documented ErrorCode values. */
function fail(step: string, error: ApiError | undefined, response: Response): never {
  throw new Error(`${step}: HTTP ${response.status} ${error?.error ?? ''} ${error?.message ?? ''}`);
}

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const admin = createGeneratorClient(env.GENERATOR_ADMIN_URL ?? 'http://127.0.0.1:5001', env.ADMIN_TOKEN);
  const brand = await admin.POST('/v1/brands', { body: { name: 'Acme Coffee' } });
  if (!brand.data) return fail('create brand', brand.error, brand.response);
  const { brandId, apiKey } = brand.data;

  // The brand's own key from here on, as the brand's systems would use it.
  const generator = createGeneratorClient(env.GENERATOR_URL ?? 'http://127.0.0.1:5001', apiKey);
  const codes = await generator.POST('/v1/brands/{brandId}/codes', {
    params: { path: { brandId } },
    body: { count: 10, prefix: 'ACME-' },
  });
  if (!codes.data) return fail('generate codes', codes.error, codes.response);

  const providerUrl = env.PROVIDER_URL ?? 'http://127.0.0.1:5002';
  const users = createProviderClient(env.PROVIDER_ADMIN_URL ?? providerUrl, env.PROVIDER_ADMIN_TOKEN);
  const user = await users.POST('/v1/users', { body: { userId: 'alice' } });
  if (!user.data) return fail('create user', user.error, user.response);

  const asUser = createProviderClient(providerUrl, env.USER_JWT);
  const claim = await asUser.POST('/v1/brands/{brandId}/claims', { params: { path: { brandId } } });
  if (!claim.data) return fail('claim', claim.error, claim.response);
  console.log(`alice claimed ${claim.data.code}`);

  const stats = await generator.GET('/v1/brands/{brandId}/stats', { params: { path: { brandId } } });
  if (!stats.data) return fail('stats', stats.error, stats.response);
  console.log(`${stats.data.claimed} of ${stats.data.total} codes claimed`);
}

main(process.env).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
