/**
 * The built `discounts` CLI against running apps: generating codes (inline and as jobs), following
 * and cancelling jobs, and an import → export round trip through files. Run with pipes, so stderr
 * is not a terminal: progress comes as plain lines, and not at all with --json.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { jsonOf, runCli, stderrShows } from './support/cli';
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import { createBrand } from './support/flows';
import { eventually } from './support/poll';

interface Job {
  jobId: string;
  status: string;
  requested: number;
  generated: number;
}

const INLINE_MAX = 1_000;
const CHUNK = 1_000;

let stack: E2eStack;
let dir: string;
let key: string;
let importsKey: string;
/** As the brand acme: its key on the public port; `--brand acme` after the command's words. */
const acme = (...command: string[]) => [
  '--url',
  stack.generator.url,
  '--token',
  key,
  ...command,
  '--brand',
  'acme',
];
/** As acme, for commands that take no --brand (jobs). */
const acmeJobs = (...command: string[]) => ['--url', stack.generator.url, '--token', key, ...command];

beforeAll(async () => {
  stack = await startE2eStack({
    label: 'cli-codes',
    generatorEnv: {
      GENERATION_INLINE_MAX_COUNT: String(INLINE_MAX),
      GENERATION_JOB_CHUNK_SIZE: String(CHUNK),
    },
  });
  key = (await createBrand(stack, { id: 'acme', name: 'Acme' })).apiKey;
  importsKey = (await createBrand(stack, { id: 'imports', name: 'Imports' })).apiKey;
  dir = mkdtempSync(join(tmpdir(), 'cli-codes-'));
}, 120_000);

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await stack?.stop();
}, 60_000);

describe('codes generate', () => {
  it('up to the inline limit: the batch itself', async () => {
    const batch = jsonOf(
      await runCli(acme('--json', 'codes', 'generate', '--count', '50', '--prefix', 'CLI-')),
    );
    expect(batch).toMatchObject({
      brandId: 'acme',
      requested: 50,
      generated: 50,
      format: { prefix: 'CLI-' },
    });
  });

  it('above it: a job, followed by `jobs get` and `jobs watch` until completed', async () => {
    const queued = jsonOf<Job>(await runCli(acme('--json', 'codes', 'generate', '--count', '3000')));
    expect(queued).toMatchObject({
      requested: 3_000,
      status: expect.stringMatching(/^(queued|running|completed)$/) as unknown,
    });
    const got = jsonOf<Job>(await runCli(acmeJobs('--json', 'jobs', 'get', queued.jobId)));
    expect(got.jobId).toBe(queued.jobId);
    const watched = await runCli(acmeJobs('--json', 'jobs', 'watch', queued.jobId, '--interval', '200'));
    expect(watched.code).toBe(0);
    expect(watched.stderr).toBe('');
    expect(JSON.parse(watched.stdout)).toMatchObject({
      jobId: queued.jobId,
      status: 'completed',
      generated: 3_000,
    });
  }, 120_000);

  it('--wait without a terminal: plain progress lines on stderr, the finished job on stdout', async () => {
    const run = await runCli(acme('codes', 'generate', '--count', '2000', '--wait', '--interval', '200'), {
      timeoutMs: 110_000,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^status: +completed$/m);
    expect(run.stdout).toMatch(/^generated: +2000\/2000$/m);
    expect(run.stderr).not.toContain('\r');
    expect(run.stderr.trimEnd().split('\n').at(-1)).toMatch(
      /^job \w{8} \[#+\] 100% 2000\/2000 codes [\d.]+\/s ETA 0s$/,
    );
  }, 120_000);

  it('a cancelled job: `jobs watch` ends with exit 5, and cancelling again is the API’s 409', async () => {
    const queued = jsonOf<Job>(await runCli(acme('--json', 'codes', 'generate', '--count', '200000')));
    const watching = runCli(acmeJobs('jobs', 'watch', queued.jobId, '--interval', '200'), {
      timeoutMs: 110_000,
    });
    // Cancel once the job has visibly started, so the watch saw it running first.
    await eventually(
      async () => {
        const job = await stack.gen.get<Job>(`/v1/jobs/${queued.jobId}`, { token: key });
        expect(job.body.generated).toBeGreaterThan(0);
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    const cancelled = jsonOf<Job>(await runCli(acmeJobs('--json', 'jobs', 'cancel', queued.jobId)));
    expect(cancelled.status).toBe('cancelled');
    const watched = await watching;
    expect(watched.code).toBe(5);
    expect(watched.stderr).toContain(`discounts: job ${queued.jobId} ended cancelled`);
    expect(watched.stdout).toMatch(/^status: +cancelled$/m);
    const again = await runCli(acmeJobs('jobs', 'cancel', queued.jobId));
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(/^discounts: 409 invalid_state: /);
  }, 120_000);
  it('Ctrl-C while waiting stops watching (exit 130) and leaves the job running', async () => {
    const queued = jsonOf<Job>(await runCli(acme('--json', 'codes', 'generate', '--count', '200000')));
    let watcher: ChildProcess | undefined;
    let drawn: Promise<void> | undefined;
    const watching = runCli(acmeJobs('jobs', 'watch', queued.jobId, '--interval', '200'), {
      timeoutMs: 110_000,
      onSpawn: (child) => {
        watcher = child;
        drawn = stderrShows(child, /job \w{8} /);
      },
    });
    // Interrupt once the watch has drawn its first line, as a person would: main.js installed its
    // SIGINT handler before that (without a TTY the first line comes before the first sleep).
    await drawn;
    watcher!.kill('SIGINT');
    const watched = await watching;
    expect(watched.code).toBe(130);
    expect(watched.stderr).toContain(
      `discounts: stopped watching; job ${queued.jobId} goes on (discounts jobs watch ${queued.jobId})`,
    );
    const job = await stack.gen.get<Job>(`/v1/jobs/${queued.jobId}`, { token: key });
    expect(job.body.status).toMatch(/^(queued|running|completed)$/);
    // Not needed any longer: free the machine for the tests after this one.
    await stack.gen.request(`/v1/jobs/${queued.jobId}`, { method: 'DELETE', token: key });
  }, 120_000);
});

describe('import and export', () => {
  const csvCodes = Array.from({ length: 2_000 }, (_, i) => `RT-${String(i).padStart(5, '0')}`);
  const ndjsonCodes = Array.from({ length: 10 }, (_, i) => `ND-${i}`);
  const imports = (...command: string[]) => [
    '--url',
    stack.generator.url,
    '--token',
    importsKey,
    ...command,
    '--brand',
    'imports',
  ];
  const codesOf = (csv: string) =>
    csv
      .trimEnd()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(',')[0]);

  it('another brand’s key cannot import (403), and nothing is stored', async () => {
    const file = join(dir, 'one.csv');
    writeFileSync(file, 'code\nNOPE-0001\n');
    const run = await runCli([
      '--url',
      stack.generator.url,
      '--token',
      key,
      'codes',
      'import',
      file,
      '--brand',
      'imports',
    ]);
    expect(run.code).toBe(3);
    // The upload starts before the answer: the 403 is the last line.
    expect(run.stderr.trimEnd().split('\n').at(-1)).toMatch(/^discounts: 403 forbidden: /);
    const stats = await stack.gen.get('/v1/brands/imports/stats', { token: importsKey });
    expect(stats.body).toMatchObject({ total: 0 });
  });

  it('a file that fails to read is exit 1 naming the file, not "cannot reach" (exit 4)', async () => {
    // /proc/self/mem opens as a file and fails on its first read (EIO), even for root.
    const run = await runCli(imports('--json', 'codes', 'import', '/proc/self/mem', '--format', 'csv'));
    expect(run.stderr).toBe('discounts: cannot read /proc/self/mem: EIO: i/o error, read\n');
    expect(run.code).toBe(1);
  });

  it('imports a CSV file, reporting the rejected lines by their number', async () => {
    const file = join(dir, 'codes.csv');
    writeFileSync(file, ['code', ...csvCodes, 'no#hash', csvCodes[0]].join('\n') + '\n');
    const run = await runCli(imports('--json', 'codes', 'import', file));
    expect(run.stderr).toBe('');
    expect(jsonOf(run)).toMatchObject({
      lines: 2_002,
      accepted: 2_000,
      rejected: 2,
      rejections: [
        { line: 2_002, code: 'no#hash' },
        { line: 2_003, code: csvCodes[0], reason: 'duplicate' },
      ],
    });
  });

  it('imports NDJSON (by the file’s extension), with a progress line of the bytes sent', async () => {
    const file = join(dir, 'more.ndjson');
    writeFileSync(file, ndjsonCodes.map((code) => JSON.stringify({ code })).join('\n') + '\n');
    const size = readFileSync(file).length;
    const run = await runCli(imports('codes', 'import', file));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^accepted: +10$/m);
    expect(run.stderr.match(/100%/g)).toHaveLength(1);
    expect(run.stderr.trimEnd().split('\n').at(-1)).toMatch(
      new RegExp(`^upload \\[#{30}\\] 100% ${size} B/${size} B [\\d.]+ [kM]?B/s ETA 0s$`),
    );
  });

  it('exports every code to a file: the round trip gives back exactly what was imported', async () => {
    const out = join(dir, 'export.csv');
    const run = await runCli(imports('--json', 'codes', 'export', '--out', out));
    expect(run.stderr).toBe('');
    expect(jsonOf(run)).toEqual({ brandId: 'imports', out, rows: 2_010 });
    const csv = readFileSync(out, 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^code,status,/);
    expect(codesOf(csv).sort()).toEqual([...csvCodes, ...ndjsonCodes].sort());
    expect(() => readFileSync(`${out}.partial`)).toThrow(/ENOENT/);
  });

  it('without --json: a progress line of rows against the brand’s stats, and a summary', async () => {
    const out = join(dir, 'export-2.csv');
    const run = await runCli(imports('codes', 'export', '--out', out));
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`2010 rows written to ${out}\n`);
    expect(run.stderr.trimEnd().split('\n').at(-1)).toMatch(
      /^export \[#{30}\] 100% 2010\/2010 rows [\d.]+\/s ETA 0s$/,
    );
  });

  it('--out - streams the CSV to stdout; --status filters', async () => {
    const run = await runCli(imports('codes', 'export', '--out', '-'));
    expect(run.code).toBe(0);
    expect(codesOf(run.stdout)).toHaveLength(2_010);
    expect(run.stderr).toContain('2010 rows written to stdout');
    const claimed = await runCli(imports('codes', 'export', '--out', '-', '--status', 'claimed'));
    expect(claimed.stdout.trimEnd().split('\r\n')).toHaveLength(1);
    const bad = await runCli(imports('codes', 'export', '--out', '-', '--status', 'gone'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("argument 'gone' is invalid");
  });
});
