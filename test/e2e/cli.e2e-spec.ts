/**
 * The built `discounts` CLI against running apps, as a script uses it: brands, claims, and how it
 * fails (exit codes and the one-line messages on stderr). Codes, jobs, import and export are in
 * cli-codes.e2e-spec.ts; the progress bar in a terminal in cli-progress.e2e-spec.ts.
 */
import { freePort, TEST_JWT_SECRET } from '../support/stack';
import { jsonOf, runCli } from './support/cli';
import { GENERATOR_ADMIN_TOKEN, startE2eStack, type E2eStack } from './support/e2e-stack';
import { userToken } from './support/jwt';

interface Brand {
  brandId: string;
  name: string;
  apiKey?: string;
}

let stack: E2eStack;
let acmeKey: string;

/** As an operator: the generator's admin port and its admin token. */
const admin = () => ['--url', stack.generator.adminUrl!, '--token', GENERATOR_ADMIN_TOKEN];
/** As the brand: the public port and its key. */
const asBrand = (key = acmeKey) => ['--url', stack.generator.url, '--token', key];

beforeAll(async () => {
  stack = await startE2eStack({ label: 'cli' });
  const created = jsonOf<Brand>(
    await runCli([...admin(), '--json', 'brands', 'create', '--id', 'acme', '--name', 'Acme']),
  );
  acmeKey = created.apiKey!;
  const batch = await stack.genAdmin.post('/v1/brands/acme/codes', { count: 20 });
  expect(batch.status).toBe(201);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

describe('brands', () => {
  it('create prints the brand and its key once; --json keeps stderr quiet', async () => {
    const run = await runCli([
      ...admin(),
      '--json',
      'brands',
      'create',
      '--id',
      'beta',
      '--name',
      'Beta Shop',
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({
      brandId: 'beta',
      name: 'Beta Shop',
      apiKey: expect.stringMatching(/^dk_/) as unknown,
    });
  });

  it('create without --json is text for a person, with the warning about the key on stderr', async () => {
    const run = await runCli([...admin(), 'brands', 'create', '--id', 'gamma', '--name', 'Gamma']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^brandId: +gamma$/m);
    expect(run.stdout).toMatch(/^apiKey: +dk_/m);
    expect(run.stderr).toContain('not shown again');
  });

  it('list pages through the brands with --limit and follows them all with --all', async () => {
    const page = jsonOf<{ items: Brand[]; nextCursor: string | null }>(
      await runCli([...admin(), '--json', 'brands', 'list', '--limit', '1']),
    );
    expect(page.items.map((b) => b.brandId)).toEqual(['acme']);
    expect(page.nextCursor).toEqual(expect.any(String));
    const all = jsonOf<{ items: Brand[]; nextCursor: string | null }>(
      await runCli([...admin(), '--json', 'brands', 'list', '--limit', '1', '--all']),
    );
    expect(all.items.map((b) => b.brandId)).toEqual(['acme', 'beta', 'gamma']);
    expect(all.nextCursor).toBeNull();
    const table = await runCli([...admin(), 'brands', 'list']);
    expect(table.stdout.split('\n')[0]).toMatch(/^BRANDID +NAME +CREATEDAT$/);
    expect(table.stdout).toMatch(/^beta +Beta Shop +\d{4}-/m);
  });

  it('get reads the brand with its own key, from DISCOUNTS_URL and DISCOUNTS_TOKEN', async () => {
    const run = await runCli(['--json', 'brands', 'get', 'acme'], {
      env: { DISCOUNTS_URL: stack.generator.url, DISCOUNTS_TOKEN: acmeKey },
    });
    const brand = jsonOf<Brand>(run);
    expect(brand).toMatchObject({ brandId: 'acme', name: 'Acme' });
    expect(brand.apiKey).toBeUndefined();
  });

  it('rotate-key gives a new key that works at once', async () => {
    const rotated = jsonOf<{ apiKey: string; previousKeyId: string }>(
      await runCli([...asBrand(), '--json', 'brands', 'rotate-key', 'acme']),
    );
    expect(rotated.apiKey).toMatch(/^dk_/);
    expect(rotated.apiKey).not.toBe(acmeKey);
    acmeKey = rotated.apiKey;
    expect(jsonOf<Brand>(await runCli([...asBrand(), '--json', 'brands', 'get', 'acme'])).brandId).toBe(
      'acme',
    );
  });
});

describe('claims', () => {
  const provider = () => ['--provider-url', stack.provider.url];

  it('claims a code for a user whose token it signs, and the same code again', async () => {
    const args = [...provider(), '--json', 'claims', 'create', '--brand', 'acme', '--user', 'alice'];
    const env = { DISCOUNTS_JWT_SECRET: TEST_JWT_SECRET };
    const first = jsonOf<{ code: string; brandId: string; new: boolean }>(await runCli(args, { env }));
    expect(first).toMatchObject({ brandId: 'acme', new: true, code: expect.any(String) as unknown });
    const again = jsonOf<{ code: string; new: boolean }>(await runCli(args, { env }));
    expect(again).toMatchObject({ code: first.code, new: false });
  });

  it('takes a token made elsewhere from DISCOUNTS_USER_TOKEN, and the brand from DISCOUNTS_BRAND', async () => {
    const run = await runCli([...provider(), '--json', 'claims', 'create'], {
      env: { DISCOUNTS_USER_TOKEN: await userToken('bob'), DISCOUNTS_BRAND: 'acme' },
    });
    expect(jsonOf(run)).toMatchObject({ brandId: 'acme', new: true });
  });

  it('a token signed with the wrong secret is the API’s 401', async () => {
    const run = await runCli([
      ...provider(),
      'claims',
      'create',
      '--brand',
      'acme',
      '--user',
      'eve',
      '--jwt-secret',
      'wrong-secret-0123456789abcdef0123456789',
    ]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^discounts: 401 unauthorized: .+\n$/);
  });
});

describe('errors', () => {
  it('a wrong token: exit 3 and the API’s error on one line of stderr, nothing on stdout', async () => {
    const run = await runCli([...asBrand('dk_not-a-real-key'), '--json', 'brands', 'get', 'acme']);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^discounts: 401 unauthorized: [^\n]+\[request [^\]]+\]\n$/);
  });

  it('the admin token on the public port: 403 admin_port_only', async () => {
    const run = await runCli([
      '--url',
      stack.generator.url,
      '--token',
      GENERATOR_ADMIN_TOKEN,
      'brands',
      'list',
    ]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^discounts: 403 admin_port_only: /);
  });

  it('another brand’s resources: 403; an unknown job: 404', async () => {
    const other = await runCli([...asBrand(), 'brands', 'get', 'beta']);
    expect(other.code).toBe(3);
    expect(other.stderr).toMatch(/^discounts: 403 forbidden: /);
    const job = await runCli([...asBrand(), 'jobs', 'get', '00000000-0000-4000-8000-000000000000']);
    expect(job.code).toBe(3);
    expect(job.stderr).toMatch(/^discounts: 404 not_found: /);
  });

  it('nothing listening: exit 4, naming the address and the reason', async () => {
    const port = await freePort();
    const run = await runCli(['--url', `http://127.0.0.1:${port}`, '--token', 'x', 'brands', 'get', 'acme']);
    expect(run.code).toBe(4);
    expect(run.stderr).toBe(
      `discounts: cannot reach the generator at http://127.0.0.1:${port}: connection refused (ECONNREFUSED)\n`,
    );
  });

  it('usage errors: exit 2 before anything is sent', async () => {
    const missing = await runCli([...asBrand(), 'codes', 'generate', '--brand', 'acme']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--count <n>' not specified");
    const zero = await runCli([...asBrand(), 'codes', 'generate', '--brand', 'acme', '--count', '0']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('expected a whole number ≥ 1, got "0"');
    const noToken = await runCli(['--url', stack.generator.url, 'brands', 'get', 'acme']);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toBe(
      'discounts: no credentials: pass --token or set DISCOUNTS_TOKEN (admin token or brand API key)\n',
    );
    const badUrl = await runCli(['--url', 'localhost:5001', '--token', 'x', 'brands', 'get', 'acme']);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('--url / DISCOUNTS_URL: "localhost:5001"');
    const withPassword = await runCli(['--url', 'http://admin:s3cret@127.0.0.1:1', 'brands', 'get', 'acme']);
    expect(withPassword.code).toBe(2);
    expect(withPassword.stderr).toBe(
      'discounts: --url / DISCOUNTS_URL: a user or password in the URL is not accepted; use DISCOUNTS_TOKEN\n',
    );
    const unknown = await runCli(['brands', 'delete', 'acme']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'delete'");
  });

  it('--help for each command, exit 0', async () => {
    for (const command of [
      [],
      ['brands', 'create'],
      ['codes', 'generate'],
      ['codes', 'import'],
      ['codes', 'export'],
      ['jobs', 'watch'],
      ['claims', 'create'],
    ]) {
      const run = await runCli([...command, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Usage: discounts ${command.join(' ')}`.trimEnd());
    }
  });
});
