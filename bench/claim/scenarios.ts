/**
 * The scenarios of `npm run bench:claim`, each a sequence of runs (ClaimBench.measure):
 *
 *   one-brand    every claim for one brand (a flash sale): the raw driver with the slot design and
 *                with the naive "first available document", the bare floor handler, the provider
 *                over HTTP, then the same users again (repeat callers, answered with the code
 *                they hold), at each concurrency;
 *   many-brands  the same claims spread over many brands: raw driver (slot) and provider;
 *   legacy       the predecessor's route with its secret check: users' first calls, then the same
 *                users again for another brand, beside a raw run;
 *   legacy-cold  a flash sale of first-time users on the predecessor's route: many more users
 *                than codes, each user's very first call.
 */
import { randomBytes } from 'node:crypto';
import { jobsFor, type ClaimBench } from './claim-bench';
import { seedUsers, userSecretHash } from './seed';

export async function warmUp(bench: ClaimBench): Promise<void> {
  const jobs = jobsFor('warm', Math.min(100, bench.options.claims), ['warm-up']);
  for (const [target, execute] of [
    ['raw-slot', bench.raw('slot')(8)],
    ['http-floor', bench.floor(8)],
    ['http-v1', bench.v1(8)],
  ] as const) {
    await bench.measure({
      scenario: 'one-brand',
      target,
      concurrency: 8,
      brandIds: ['warm-up'],
      codesPerBrand: jobs.length * 2,
      jobs,
      execute,
      warmUp: true,
    });
  }
}

export async function oneBrand(bench: ClaimBench): Promise<void> {
  const { claims, codesFactor, concurrencies } = bench.options;
  const codesPerBrand = Math.ceil(claims * codesFactor);
  const runners = {
    'raw-slot': bench.raw('slot'),
    'raw-naive': bench.raw('naive'),
    'http-floor': bench.floor,
    'http-v1': bench.v1,
  } as const;
  for (const concurrency of concurrencies) {
    const run = (target: keyof typeof runners) => {
      const brandId = `one-${target}-c${concurrency}`;
      return bench.measure({
        scenario: 'one-brand',
        target,
        concurrency,
        brandIds: [brandId],
        codesPerBrand,
        jobs: jobsFor(`u1-${target}-c${concurrency}`, claims, [brandId]),
        execute: runners[target](concurrency),
      });
    };
    await run('raw-slot');
    await run('raw-naive');
    await run('http-floor');
    const first = await run('http-v1');
    // The same users and brand again: every answer is the code the user holds (200).
    await bench.measure({
      scenario: 'one-brand',
      target: 'http-v1-repeat',
      concurrency,
      brandIds: first.seeded.brandIds,
      codesPerBrand,
      jobs: first.answers.map(({ brandId, userId }) => ({ brandId, userId })),
      execute: bench.v1(concurrency),
      after: first,
    });
  }
}

export async function manyBrands(bench: ClaimBench): Promise<void> {
  const { claims, codesFactor, concurrencies, brands } = bench.options;
  const brandIds = Array.from({ length: brands }, (_, i) => `many-${i}`);
  // At least as many codes per brand as claims dealt to it, so no brand runs dry.
  const codesPerBrand = Math.max(1, Math.ceil((claims * codesFactor) / brands));
  for (const concurrency of concurrencies) {
    for (const [target, execute] of [
      ['raw-slot', bench.raw('slot')],
      ['http-v1', bench.v1],
    ] as const) {
      // Shuffled, so that consecutive claims do not walk the brands in insertion order.
      const dealt = [...brandIds].sort(() => Math.random() - 0.5);
      await bench.measure({
        scenario: 'many-brands',
        target,
        concurrency,
        brandIds,
        codesPerBrand,
        jobs: jobsFor(`um-${target}-c${concurrency}`, claims, dealt),
        execute: execute(concurrency),
      });
    }
  }
}

/** Users of the predecessor's route, stored the way POST /v1/users stores them; returns their secret. */
async function legacyUsers(bench: ClaimBench, userIds: readonly string[]): Promise<string> {
  const secret = randomBytes(32).toString('base64url');
  await seedUsers(bench.stack.db, userIds, userSecretHash(secret));
  return secret;
}

export async function legacy(bench: ClaimBench): Promise<void> {
  const { legacyClaims, legacyConcurrency: concurrency, codesFactor } = bench.options;
  const codesPerBrand = Math.ceil(legacyClaims * codesFactor);
  const users = Array.from({ length: legacyClaims }, (_, i) => `legacy-user-${i}`);
  const secret = await legacyUsers(bench, users);
  const legacyRoute = bench.http(() => Promise.resolve({ kind: 'legacy', secret }));
  const runs = [
    ['raw-slot', 'legacy-raw', bench.raw('slot')(concurrency)],
    // Each user's first call: a full secret check.
    ['legacy-first-call', 'legacy-first', legacyRoute(concurrency)],
    // The same users again, now claiming another brand.
    ['legacy-repeat-caller', 'legacy-repeat', legacyRoute(concurrency)],
  ] as const;
  for (const [target, brandId, execute] of runs) {
    await bench.measure({
      scenario: 'legacy',
      target,
      concurrency,
      brandIds: [brandId],
      codesPerBrand,
      jobs: users.map((userId) => ({ brandId, userId })),
      execute,
    });
  }
}

export async function legacyCold(bench: ClaimBench): Promise<void> {
  const { coldUsers, coldCodes, legacyConcurrency: concurrency } = bench.options;
  const users = Array.from({ length: coldUsers }, (_, i) => `cold-user-${i}`);
  const secret = await legacyUsers(bench, users);
  await bench.measure({
    scenario: 'legacy-cold',
    target: 'legacy-first-call',
    concurrency,
    brandIds: ['legacy-cold'],
    codesPerBrand: coldCodes,
    jobs: users.map((userId) => ({ brandId: 'legacy-cold', userId })),
    execute: bench.http(() => Promise.resolve({ kind: 'legacy', secret }))(concurrency),
  });
}
