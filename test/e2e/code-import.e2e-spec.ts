/**
 * Code import end to end over real sockets, real FerretDB and NATS: CSV (header, CRLF, quotes,
 * expiries), NDJSON and JSON array bodies; invalid lines and duplicates (within the file and
 * against stored codes) reported by line; imported codes claimable and counted; 415, 413 (declared
 * and streamed), 403 and 404 changing nothing; a body far above the 64 KiB JSON limit streamed in.
 */
import { GENERATOR_ADMIN_TOKEN, startE2eStack, type E2eStack } from './support/e2e-stack';
import { claim, createBrand } from './support/flows';
import type { ApiError, BrandStats, CreatedBrand } from './support/http';

interface ImportReport {
  importId: string;
  brandId: string;
  lines: number;
  accepted: number;
  rejected: number;
  rejections: Array<{ line: number; code?: string; reason: string }>;
  truncated: boolean;
}

const IMPORT_MAX_BYTES = 4 * 1_024 * 1_024;
const FUTURE = '2099-01-01T00:00:00.000Z';

let stack: E2eStack;
let acme: CreatedBrand;
let other: CreatedBrand;

beforeAll(async () => {
  stack = await startE2eStack({
    label: 'import',
    generatorEnv: {
      DEV_OPEN_BRAND_API: undefined,
      IMPORT_MAX_BYTES: String(IMPORT_MAX_BYTES),
      GENERATION_MAX_COUNT: '50000',
      GENERATION_BATCH_SIZE: '1000',
    },
  });
  acme = await createBrand(stack, { id: 'acme', name: 'Acme' });
  other = await createBrand(stack, { id: 'other', name: 'Other' });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

async function importBody<T = ImportReport>(
  brandId: string,
  body: string | ReadableStream<Uint8Array>,
  contentType: string,
  token = GENERATOR_ADMIN_TOKEN,
  // The admin token is honoured on the admin port only; brand keys go to the public one.
  baseUrl = token === GENERATOR_ADMIN_TOKEN ? stack.generator.adminUrl! : stack.generator.url,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${baseUrl}/v1/brands/${brandId}/codes/import`, {
    method: 'POST',
    headers: { 'content-type': contentType, authorization: `Bearer ${token}`, accept: 'application/json' },
    body,
    ...(typeof body === 'string' ? {} : { duplex: 'half' }),
    signal: AbortSignal.timeout(120_000),
  });
  return { status: res.status, body: (await res.json()) as T };
}

const codesOf = async (brandId: string) => (await stack.db()).collection('codes').find({ brandId }).toArray();

async function stats(brandId: string): Promise<BrandStats> {
  const res = await stack.genAdmin.get<BrandStats>(`/v1/brands/${brandId}/stats`);
  expect(res.status).toBe(200);
  return res.body;
}

describe('CSV import', () => {
  it('stores the valid lines and reports invalid ones and duplicates by line', async () => {
    const first = await importBody('acme', JSON.stringify(['EXISTING-1']), 'application/json');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ lines: 1, accepted: 1, rejected: 0 });

    const csv = [
      'code,expiresAt', // 1: header
      'ALPHA-0001', // 2
      `"BRAVO-0002",${FUTURE}`, // 3: quoted, with an expiry
      'no#hash', // 4: invalid character
      '', // 5: blank, ignored
      'ALPHA-0001', // 6: duplicate within the file
      'EXISTING-1', // 7: already stored
      'CHARLIE-3,2001-01-01T00:00:00Z', // 8: expired
      'DELTA-0004,not-a-date', // 9: bad expiry
      'abc', // 10: too short
      'ECHO_5.x~', // 11: every URL-safe kind of character
    ].join('\r\n');
    const res = await importBody('acme', `${csv}\r\n`, 'text/csv; charset=utf-8', acme.apiKey);

    expect(res.status).toBe(201);
    expect(res.body).toStrictEqual({
      importId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      brandId: 'acme',
      lines: 9,
      accepted: 3,
      rejected: 6,
      rejections: [
        { line: 4, code: 'no#hash', reason: expect.stringContaining('characters') as unknown },
        { line: 6, code: 'ALPHA-0001', reason: 'duplicate' },
        { line: 7, code: 'EXISTING-1', reason: 'duplicate' },
        { line: 8, code: 'CHARLIE-3', reason: 'expiresAt must be in the future' },
        { line: 9, code: 'DELTA-0004', reason: 'expiresAt must be an ISO 8601 date-time' },
        { line: 10, code: 'abc', reason: expect.stringContaining('characters') as unknown },
      ],
      truncated: false,
    });

    const imported = (await codesOf('acme')).filter((d) => d.batchId === res.body.importId);
    expect(imported.map((d) => String(d.code)).sort()).toEqual(['ALPHA-0001', 'BRAVO-0002', 'ECHO_5.x~']);
    const bravo = imported.find((d) => d.code === 'BRAVO-0002');
    expect((bravo?.expiresAt as Date).toISOString()).toBe(FUTURE);
    expect(imported.every((d) => d.status === 'available' && d.holder === `#${d.code}`)).toBe(true);
    expect(await stats('acme')).toMatchObject({ total: 4, available: 4, claimed: 0 });
  }, 60_000);

  it('imported codes are claimable through the provider', async () => {
    const stored = new Set((await codesOf('acme')).map((d) => d.code as string));
    const res = await claim(stack, 'acme', 'import-user-1');
    expect(res.status).toBe(201);
    expect(stored.has(res.body.code)).toBe(true);
    expect(await stats('acme')).toMatchObject({ total: 4, available: 3, claimed: 1 });
  }, 60_000);
});

describe('JSON and NDJSON import', () => {
  it('takes an array of codes and of { code, expiresAt }', async () => {
    const res = await importBody(
      'other',
      JSON.stringify(['JSON-0001', { code: 'JSON-0002', expiresAt: FUTURE }, 42, { code: 'JSON-0001' }]),
      'application/json',
      other.apiKey,
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      brandId: 'other',
      lines: 4,
      accepted: 2,
      rejected: 2,
      rejections: [
        { line: 3, reason: 'expected a code or { code, expiresAt }' },
        { line: 4, code: 'JSON-0001', reason: 'duplicate' },
      ],
    });
  }, 30_000);

  it('takes NDJSON, one code or object per line', async () => {
    const ndjson = [
      '"ND-0001"',
      '',
      `{"code":"ND-0002","expiresAt":"${FUTURE}"}`,
      '{oops',
      '"JSON-0002"',
    ].join('\n');
    const res = await importBody('other', ndjson, 'application/x-ndjson', other.apiKey);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      lines: 4,
      accepted: 2,
      rejected: 2,
      rejections: [
        { line: 4, reason: 'not valid JSON' },
        { line: 5, code: 'JSON-0002', reason: 'duplicate' },
      ],
    });
    expect((await stats('other')).total).toBe(4);
  }, 30_000);

  it('a JSON body that is not an array is a 400', async () => {
    const res = await importBody<ApiError>('other', '{"code":"X-12345"}', 'application/json');
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('array');
  }, 30_000);
});

describe('refusals change nothing', () => {
  it('415 for other content types, here and on other routes', async () => {
    const res = await importBody<ApiError>('acme', 'SOME-CODE', 'text/plain');
    expect(res.status).toBe(415);
    const elsewhere = await stack.genAdmin.request('/v1/brands', {
      method: 'POST',
      rawBody: 'code\nX',
      contentType: 'text/csv',
    });
    expect(elsewhere.status).toBe(415);
  }, 30_000);

  it("403 with another brand's key, 401 without one", async () => {
    const res = await importBody<ApiError>('acme', 'FORBIDDEN-1', 'text/csv', other.apiKey);
    expect(res.status).toBe(403);
    const anonymous = await fetch(`${stack.generator.url}/v1/brands/acme/codes/import`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'ANON-0001',
    });
    expect(anonymous.status).toBe(401);
    const codes = (await codesOf('acme')).map((d) => String(d.code));
    expect(codes).not.toContain('FORBIDDEN-1');
    expect(codes).not.toContain('ANON-0001');
  }, 30_000);

  it('404 for an unknown brand, nothing stored', async () => {
    const res = await importBody<ApiError>('ghost', 'GHOST-0001', 'text/csv');
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('brand_not_found');
    expect(await codesOf('ghost')).toHaveLength(0);
  }, 30_000);

  it('413 at once when the declared length is over IMPORT_MAX_BYTES', async () => {
    const res = await importBody<ApiError>('acme', 'A'.repeat(IMPORT_MAX_BYTES + 1), 'text/csv');
    expect(res.status).toBe(413);
    expect((await stats('acme')).total).toBe(4);
  }, 60_000);

  it('413 when a streamed body passes the limit: what was stored stays, and the report says so', async () => {
    const head = `${Array.from({ length: 500 }, (_, i) => `STREAM-${String(i).padStart(5, '0')}`).join('\n')}\n`;
    const padding = '\n'.repeat(64 * 1_024);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Blank lines after the codes: the body grows past the limit without more codes.
        const chunk = sent === 0 ? head : padding;
        sent += chunk.length;
        controller.enqueue(new TextEncoder().encode(chunk));
        if (sent > IMPORT_MAX_BYTES * 2) controller.close();
      },
    });
    const res = await importBody<ApiError & { details: { report: ImportReport } }>('acme', body, 'text/csv');
    expect(res.status).toBe(413);
    expect(res.body.error).toBe('payload_too_large');
    expect(res.body.details.report).toMatchObject({
      brandId: 'acme',
      lines: 500,
      accepted: 500,
      rejected: 0,
    });
    const stored = (await codesOf('acme')).filter((d) => d.batchId === res.body.details.report.importId);
    expect(stored).toHaveLength(500);
  }, 60_000);
});

describe('the API description', () => {
  it('/docs/json lists the route with the body types it takes', async () => {
    const res = await stack.gen.get<{
      paths: Record<string, { post?: { requestBody?: { content: Record<string, unknown> } } }>;
    }>('/docs/json');
    const content = res.body.paths['/v1/brands/{brandId}/codes/import']?.post?.requestBody?.content ?? {};
    expect(Object.keys(content).sort()).toEqual(['application/json', 'application/x-ndjson', 'text/csv']);
  }, 30_000);
});

describe('the count limit', () => {
  it('413 past GENERATION_MAX_COUNT entries: the codes before it stay and are reported', async () => {
    const small = await stack.startExtra('generator', { GENERATION_MAX_COUNT: '5' });
    const csv = Array.from({ length: 8 }, (_, i) => `LIMIT-000${i}`).join('\n');
    const res = await importBody<ApiError & { details: { report: ImportReport } }>(
      'acme',
      csv,
      'text/csv',
      GENERATOR_ADMIN_TOKEN,
      small.adminUrl!,
    );
    expect(res.status).toBe(413);
    expect(res.body.message).toContain('more than 5 codes');
    expect(res.body.details.report).toMatchObject({ lines: 5, accepted: 5, rejected: 0 });
    const stored = (await codesOf('acme')).filter((d) => String(d.code).startsWith('LIMIT-'));
    expect(stored.map((d) => String(d.code)).sort()).toEqual([
      'LIMIT-0000',
      'LIMIT-0001',
      'LIMIT-0002',
      'LIMIT-0003',
      'LIMIT-0004',
    ]);
  }, 120_000);
});

describe('large bodies', () => {
  it('streams a CSV far above the 64 KiB JSON body limit', async () => {
    const count = 20_000;
    // Long codes and an expiry per line: ~1.7 MB, 26 times the JSON body limit.
    const lines = Array.from(
      { length: count },
      (_, i) => `BULK-${String(i).padStart(6, '0')}-${'x'.repeat(48)},${FUTURE}`,
    );
    const csv = `code,expiresAt\n${lines.join('\n')}\n`;
    expect(csv.length).toBeGreaterThan(26 * 64 * 1_024);
    const res = await importBody('other', csv, 'text/csv', other.apiKey);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ lines: count, accepted: count, rejected: 0, truncated: false });
    expect((await stats('other')).total).toBe(4 + count);

    // The same file again: every line a duplicate, the first 100 listed.
    const again = await importBody('other', csv, 'text/csv', other.apiKey);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ lines: count, accepted: 0, rejected: count, truncated: true });
    expect(again.body.rejections).toHaveLength(100);
    expect(again.body.rejections[0]).toEqual({ line: 2, code: lines[0]!.split(',')[0], reason: 'duplicate' });
    expect((await stats('other')).total).toBe(4 + count);
  }, 300_000);
});
