/**
 * SIGTERM under steady load, both apps as real processes: readiness fails first and stays 503
 * through the readiness pause while requests are still served; then HTTP drains and the process
 * exits 0. Every request that got an answer got a non-5xx one; requests refused because the
 * server had stopped accepting (connection refused or closed before an answer) are counted
 * apart: a load balancer retries those elsewhere, and readiness had told it to stop sending.
 *
 * The pause is long here and ended by a second SIGTERM once the test has seen what it checks (a
 * 503 from readiness and requests served during the pause): on a slow, busy machine the test
 * waits for those events instead of hoping they land inside a short pause.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { GENERATOR_ADMIN_TOKEN, startE2eStack, type E2eStack } from './support/e2e-stack';
import { addCodes, createBrand } from './support/flows';
import { userToken } from './support/jwt';
import { eventually } from './support/poll';

/** Longer than the test ever waits: the second SIGTERM ends it. */
const DELAY_MS = 120_000;
const CLIENTS_PER_APP = 6;

let stack: E2eStack;

beforeAll(async () => {
  const env = { SHUTDOWN_DELAY_MS: String(DELAY_MS), SHUTDOWN_GRACE_MS: '15000' };
  stack = await startE2eStack({ label: 'shutdown', generatorEnv: env, providerEnv: env });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

interface Tally {
  answered: Map<number, number>;
  answeredAfterSignal: number;
  refused: number;
  errors: string[];
}

function tally(): Tally {
  return { answered: new Map(), answeredAfterSignal: 0, refused: 0, errors: [] };
}

/** Sends `send()` in a loop over keep-alive connections (fetch's pool) until `stop` resolves. */
async function loop(send: () => Promise<Response>, t: Tally, signalled: () => boolean, done: () => boolean) {
  while (!done()) {
    try {
      const res = await send();
      await res.arrayBuffer();
      t.answered.set(res.status, (t.answered.get(res.status) ?? 0) + 1);
      if (signalled()) t.answeredAfterSignal++;
    } catch (error) {
      // fetch fails without an HTTP answer: refused, or closed before anything was answered.
      t.refused++;
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? String(error);
      if (t.errors.length < 5) t.errors.push(cause);
      await sleep(20);
    }
  }
}

it('fails readiness first, serves what it accepted, and exits 0', async () => {
  await createBrand(stack, { id: 'shutdown-a', name: 'Shutdown A' });
  await addCodes(stack, 'shutdown-a', 200);
  const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => userToken(`sd-user-${i}`)));
  const prov = stack.provider;
  const gen = stack.generator;
  let signalled = false;
  let bothExited = false;
  const provTally = tally();
  const genTally = tally();
  const readiness: Array<{ app: string; status: number | 'refused'; afterSignal: boolean }> = [];
  let i = 0;
  const loops = [
    ...Array.from({ length: CLIENTS_PER_APP }, () =>
      loop(
        () =>
          fetch(`${prov.url}/v1/brands/shutdown-a/claims`, {
            method: 'POST',
            headers: { authorization: `Bearer ${tokens[i++ % tokens.length]!}` },
          }),
        provTally,
        () => signalled,
        () => bothExited,
      ),
    ),
    ...Array.from({ length: CLIENTS_PER_APP }, () =>
      loop(
        () =>
          // On the admin port, which drains with the API port.
          fetch(`${gen.adminUrl!}/v1/brands/shutdown-a/stats`, {
            headers: { authorization: `Bearer ${GENERATOR_ADMIN_TOKEN}` },
          }),
        genTally,
        () => signalled,
        () => bothExited,
      ),
    ),
    (async () => {
      while (!bothExited) {
        for (const app of [prov, gen]) {
          const status = await fetch(`${app.url}/health/ready`).then(
            (res) => res.status,
            () => 'refused' as const,
          );
          readiness.push({ app: app.name, status, afterSignal: signalled });
        }
        await sleep(100);
      }
    })(),
  ];

  // Under load and ready before the signal.
  await eventually(
    () => {
      for (const name of ['provider', 'generator'])
        expect(readiness.some((r) => r.app === name && r.status === 200)).toBe(true);
      for (const t of [provTally, genTally]) expect(t.answered.size).toBeGreaterThan(0);
      return Promise.resolve();
    },
    { timeoutMs: 30_000 },
  );
  let secondSignal = false;
  let exitedEarly = false;
  void Promise.race([prov.exited, gen.exited]).then(() => (exitedEarly = !secondSignal));
  const signalledAt = Date.now();
  signalled = true;
  prov.kill('SIGTERM');
  gen.kill('SIGTERM');
  // The pause holds until the test has seen readiness fail and requests still served.
  await eventually(
    () => {
      for (const name of ['provider', 'generator'])
        expect(readiness.some((r) => r.app === name && r.afterSignal && r.status === 503)).toBe(true);
      for (const t of [provTally, genTally]) expect(t.answeredAfterSignal).toBeGreaterThan(0);
      return Promise.resolve();
    },
    { timeoutMs: 60_000 },
  );
  expect(exitedEarly).toBe(false);
  secondSignal = true;
  prov.kill('SIGTERM');
  gen.kill('SIGTERM');
  const [provExit, genExit] = await Promise.all([prov.exited, gen.exited]);
  const tookMs = Date.now() - signalledAt;
  bothExited = true;
  await Promise.all(loops);

  const summary = (t: Tally) => ({
    answered: Object.fromEntries(t.answered),
    answeredAfterSignal: t.answeredAfterSignal,
    refused: t.refused,
    errors: t.errors,
  });
  process.stdout.write(
    `graceful shutdown: exit after ${tookMs} ms; provider ${JSON.stringify(summary(provTally))}; ` +
      `generator ${JSON.stringify(summary(genTally))}\n`,
  );

  expect({ provider: provExit.code, generator: genExit.code }).toEqual({ provider: 0, generator: 0 });
  for (const t of [provTally, genTally]) {
    const statuses = [...t.answered.keys()];
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    // Served during the readiness pause, not refused at once.
    expect(t.answeredAfterSignal).toBeGreaterThan(0);
  }
  expect([...provTally.answered.keys()].every((s) => s === 200 || s === 201)).toBe(true);
  expect([...genTally.answered.keys()]).toEqual([200]);
  for (const name of ['provider', 'generator']) {
    const before = readiness.filter((r) => r.app === name && !r.afterSignal);
    const after = readiness.filter((r) => r.app === name && r.afterSignal && r.status !== 'refused');
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((r) => r.status === 200)).toBe(true);
    // The first answer after the signal may have been on its way already; the pause then shows 503s.
    expect(after.filter((r) => r.status === 503).length).toBeGreaterThan(0);
    expect(after.slice(1).every((r) => r.status === 503)).toBe(true);
  }
}, 120_000);
