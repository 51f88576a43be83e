/**
 * npm run bench:dev-server — not part of make test. What the dev server's serializing front costs
 * per command: two fresh dev servers side by side, one with the front and one without (-direct),
 * the same commands sent to each one at a time from one connection, interleaved in rounds so that
 * the machine's noise falls on both alike. Prints a table and writes bench/results/dev-server-*.json.
 * Options: --commands N per kind and server (default 2,000).
 *
 * With --claims it measures instead what one claim costs as the codes collection grows, on each
 * handler (claim-scaling.ts), and writes bench/results/dev-server-claims-*.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mongo } from 'mongoose';
import { devstack, repoRoot } from '../claim/bench-stack';
import { runClaimScaling } from './claim-scaling';

const ROUNDS = 10;
const log = (line: string) => process.stderr.write(`[bench:dev-server] ${line}\n`);

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isSafeInteger(value) || value < ROUNDS)
    throw new Error(`--${name} must be an integer ≥ ${ROUNDS}`);
  return value;
}

type Kind = 'findOne by _id' | 'findOneAndUpdate (a claim)';
const KINDS: readonly Kind[] = ['findOne by _id', 'findOneAndUpdate (a claim)'];

/** One command of `kind` against a collection of 100 small documents. */
function command(db: mongo.Db, kind: Kind, i: number): Promise<unknown> {
  const codes = db.collection<{ _id: number; n: number }>('codes');
  return kind === 'findOne by _id'
    ? codes.findOne({ _id: i % 100 })
    : codes.findOneAndUpdate({ _id: i % 100 }, { $inc: { n: 1 } });
}

/** The claim-cost-by-size run: prints its table and writes its JSON beside the others. */
async function claims() {
  const { results, lines } = await runClaimScaling();
  process.stdout.write(`\n${machine()}\n${lines.join('\n')}\n`);
  const file = join(resultsDir(), `dev-server-claims-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify({ machine: { cpus: cpus().length, loadavg: loadavg() }, results }, null, 2),
  );
  log(`wrote ${file}`);
}

const machine = () =>
  `${cpus().length} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;

function resultsDir(): string {
  const dir = join(repoRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function main() {
  if (process.argv.includes('--claims')) return claims();
  const commands = option('commands', 2_000);
  const tempDir = mkdtempSync(join(tmpdir(), 'bench-dev-server-'));
  const servers: Array<{
    name: 'front' | 'direct';
    record: devstack.ProcessRecord;
    db: mongo.Db;
    client: mongo.MongoClient;
  }> = [];
  try {
    for (const name of ['front', 'direct'] as const) {
      const server = await devstack.startFerretDb({
        dataDir: join(tempDir, name),
        direct: name === 'direct',
      });
      const client = new mongo.MongoClient(server.uri, { maxPoolSize: 1 });
      await client.connect();
      servers.push({ name, record: server.record, db: client.db(), client });
      await client
        .db()
        .collection<{ _id: number; n: number }>('codes')
        .insertMany(Array.from({ length: 100 }, (_, i) => ({ _id: i, n: 0 })));
    }
    log(`${commands} commands of each kind per server, in ${ROUNDS} interleaved rounds`);
    const elapsed = new Map<string, number>();
    const perRound = commands / ROUNDS;
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of KINDS) {
        for (const server of servers) {
          const start = performance.now();
          for (let i = 0; i < perRound; i++) await command(server.db, kind, i);
          const key = `${kind}|${server.name}`;
          elapsed.set(key, (elapsed.get(key) ?? 0) + performance.now() - start);
        }
      }
    }
    const rows = KINDS.map((kind) => {
      const front = (elapsed.get(`${kind}|front`)! / commands) * 1_000;
      const direct = (elapsed.get(`${kind}|direct`)! / commands) * 1_000;
      return {
        kind,
        directMicros: Math.round(direct),
        frontMicros: Math.round(front),
        addedMicros: Math.round(front - direct),
        ratio: front / direct,
      };
    });
    const lines = [
      machine(),
      'command                       direct µs  front µs  added µs  front ÷ direct',
      ...rows.map(
        (r) =>
          `${r.kind.padEnd(28)} ${String(r.directMicros).padStart(10)} ${String(r.frontMicros).padStart(9)} ` +
          `${String(r.addedMicros).padStart(9)} ${r.ratio.toFixed(2).padStart(15)}`,
      ),
    ];
    process.stdout.write(`\n${lines.join('\n')}\n`);
    const file = join(resultsDir(), `dev-server-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(
      file,
      JSON.stringify({ machine: { cpus: cpus().length, loadavg: loadavg() }, commands, rows }, null, 2),
    );
    log(`wrote ${file}`);
  } finally {
    for (const server of servers) {
      await server.client.close();
      await devstack.stopPid(server.record, { timeoutMs: 10_000 });
    }
    rmSync(tempDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
