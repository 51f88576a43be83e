import { Logger } from '@nestjs/common';
import { SLOW_CLAIM_LIMITS, type DatabaseServer, type DevServerRepository } from '@app/persistence';
import { SlowClaimsAdvisor } from './slow-claims-advisor';

const SQLITE: DatabaseServer = { kind: 'ferretdb', version: 'v1.24.2', handler: 'sqlite' };
const POSTGRESQL: DatabaseServer = { kind: 'ferretdb', version: 'v1.24.2', handler: 'postgresql' };
const MONGODB: DatabaseServer = { kind: 'mongodb', version: '7.0.14' };
const [BRAND_LIMIT, TABLE_LIMIT] = SLOW_CLAIM_LIMITS.postgresql.map((limit) => limit.codes);

/** The advisor over a fake repository that records the counts asked for. */
function advisorOn(
  server: DatabaseServer | Error,
  counts: { all?: number; brand?: number },
  slowClaimCodes: number | null = null,
) {
  const asked: string[] = [];
  const repository = {
    describeServer: () => (server instanceof Error ? Promise.reject(server) : Promise.resolve(server)),
    countAllCodes: () => (asked.push('all'), Promise.resolve(counts.all ?? 0)),
    countBrandAvailable: (brandId: string, atMost: number) => (
      asked.push(`brand ${brandId} ≤ ${atMost}`),
      Promise.resolve(Math.min(counts.brand ?? 0, atMost))
    ),
  } as unknown as DevServerRepository;
  return { advisor: new SlowClaimsAdvisor({ slowClaimCodes }, repository), asked };
}

let warned: string[];
beforeEach(() => {
  warned = [];
  jest
    .spyOn(Logger.prototype, 'warn')
    .mockImplementation((message: unknown) => void warned.push(String(message)));
});
afterEach(() => jest.restoreAllMocks());

it('counts nothing and says nothing on MongoDB, however many codes', async () => {
  const { advisor, asked } = advisorOn(MONGODB, { all: 1e9, brand: 1e9 }, 1);
  await expect(advisor.warningsFor('batch b1', 'acme', 1e6)).resolves.toEqual([]);
  expect(asked).toEqual([]);
  expect(warned).toEqual([]);
});

it('on SQLite counts the whole collection, and warns and logs once it is past the limit', async () => {
  const limit = SLOW_CLAIM_LIMITS.sqlite[0]!.codes;
  const within = advisorOn(SQLITE, { all: limit });
  await expect(within.advisor.warningsFor('batch b1', 'acme')).resolves.toEqual([]);
  expect(within.asked).toEqual(['all']);

  const past = advisorOn(SQLITE, { all: limit - 10 });
  const warnings = await past.advisor.warningsFor('job j1', 'acme', 11);
  expect(warnings).toEqual([
    { code: 'dev_server_slow_claims', message: expect.stringContaining('MONGODB_URI') as unknown },
  ]);
  expect(warned).toEqual([`job j1: ${warnings[0]!.message}`]);
});

it('on PostgreSQL counts the brand only as far as the limit needs', async () => {
  const { advisor, asked } = advisorOn(POSTGRESQL, { brand: 100, all: 1_000 });
  await expect(advisor.warningsFor('batch b1', 'acme', 40)).resolves.toEqual([]);
  expect(asked).toEqual([`brand acme ≤ ${BRAND_LIMIT! + 1 - 40}`, 'all']);
});

it('on PostgreSQL warns of a brand past its limit, without counting when the job alone passes it', async () => {
  const counted = advisorOn(POSTGRESQL, { brand: 1e6 });
  const [warning] = await counted.advisor.warningsFor('batch b1', 'acme');
  expect(warning?.message).toContain(`brand acme has more than ${BRAND_LIMIT!.toLocaleString('en')}`);

  const { advisor, asked } = advisorOn(POSTGRESQL, { brand: 1e6 });
  expect(await advisor.warningsFor('job j1', 'acme', BRAND_LIMIT! + 5)).toHaveLength(1);
  expect(asked).toEqual([]);
});

it('on PostgreSQL warns of a table past its limit although the brand is small', async () => {
  const { advisor } = advisorOn(POSTGRESQL, { brand: 10, all: TABLE_LIMIT! + 1 });
  const [warning] = await advisor.warningsFor('batch b1', 'acme');
  expect(warning?.message).toContain('every code of every brand');
});

it('applies DEV_SERVER_SLOW_CLAIM_CODES to the main limit', async () => {
  const { advisor, asked } = advisorOn(POSTGRESQL, { brand: 51 }, 50);
  expect(await advisor.warningsFor('batch b1', 'acme')).toHaveLength(1);
  expect(asked).toEqual(['brand acme ≤ 51']);
});

it('never fails the request it is asked for: a failed check is logged and gives no warning', async () => {
  const { advisor } = advisorOn(new Error('connection reset'), {});
  await expect(advisor.warningsFor('batch b1', 'acme')).resolves.toEqual([]);
  expect(warned).toEqual([expect.stringContaining('could not check the dev server') as unknown]);
});
