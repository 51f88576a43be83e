/** Steps the event and webhook specs share: brands with codes, claims, the database's view of them. */
import { type E2eStack } from './e2e-stack';
import type { ApiError, ApiResponse, Claim, CreatedBrand } from './http';
import { userToken } from './jwt';

export async function createBrand(stack: E2eStack, body: Record<string, unknown>): Promise<CreatedBrand> {
  const res = await stack.genAdmin.post<CreatedBrand>('/v1/brands', body);
  if (res.status !== 201)
    throw new Error(`creating brand ${JSON.stringify(body.id)}: HTTP ${res.status} ${res.text}`);
  return res.body;
}

export async function addCodes(stack: E2eStack, brandId: string, count: number): Promise<void> {
  const res = await stack.genAdmin.post(`/v1/brands/${brandId}/codes`, { count }, { timeoutMs: 60_000 });
  if (res.status !== 201)
    throw new Error(`generating ${count} codes for ${brandId}: HTTP ${res.status} ${res.text}`);
}

/** A brand whose webhook (signed with `secret`) goes to `url`, with `codes` codes to claim. */
export async function brandWithWebhook(
  stack: E2eStack,
  brand: { id: string; url: string; secret: string; codes: number },
): Promise<CreatedBrand> {
  const created = await createBrand(stack, {
    id: brand.id,
    name: brand.id,
    webhook: { url: brand.url, secret: brand.secret },
  });
  await addCodes(stack, brand.id, brand.codes);
  return created;
}

export type ClaimAnswer = ApiResponse<Claim & ApiError>;

export async function claim(
  stack: E2eStack,
  brandId: string,
  userId: string,
  timeoutMs = 30_000,
): Promise<ClaimAnswer> {
  return stack.prov.post<Claim & ApiError>(`/v1/brands/${brandId}/claims`, undefined, {
    token: await userToken(userId),
    timeoutMs,
  });
}

/** Claims for every user, `concurrency` at a time; answers in the users' order. */
export function claimAll(
  stack: E2eStack,
  brandId: string,
  users: readonly string[],
  concurrency = 16,
): Promise<ClaimAnswer[]> {
  return mapConcurrently(users, concurrency, (user) => claim(stack, brandId, user));
}

/** `run` for every item, `concurrency` at a time; results in the items' order. */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  concurrency: number,
  run: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await run(items[i]!);
      }
    }),
  );
  return results;
}

/** Event ids of the brand's claims, as the provider stored them (the outbox). */
export async function claimEventIds(stack: E2eStack, brandId: string): Promise<Set<string>> {
  const docs = await (await stack.db()).collection('codes').find({ brandId, status: 'claimed' }).toArray();
  return new Set(docs.map((d) => String(d.eventId)));
}

export async function pendingEvents(stack: E2eStack, brandId: string): Promise<number> {
  return (await stack.db()).collection('codes').countDocuments({ brandId, eventPending: true });
}

export const users = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

export function statusCounts(answers: readonly ApiResponse<unknown>[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const a of answers) counts[a.status] = (counts[a.status] ?? 0) + 1;
  return counts;
}
