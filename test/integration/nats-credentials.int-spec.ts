/**
 * NATS that wants credentials: a nats-server of the test's own that only lets in one NKey user.
 * The services' connection options, built from the environment as at start-up, get in with the
 * seed from NATS_NKEY_SEED_FILE, and are turned away without it or with another user's seed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import { createUser } from 'nkeys.js';
import { commonEnvSchema, parseEnv, toCommonConfig } from '@app/config';
import { natsConnectionOptions } from '@app/messaging';
import { startNats, stopPid, type StartedNats } from '../support/stack';

const ADMIN_TOKEN = 'nats-credentials-int-spec-token';
const user = createUser();
const stranger = createUser();

let tempDir: string;
let nats: StartedNats;

beforeAll(async () => {
  tempDir = mkdtempSync(join(tmpdir(), 'nats-credentials-int-spec-'));
  const configFile = join(tempDir, 'nats.conf');
  writeFileSync(configFile, `authorization { users = [ { nkey: "${user.getPublicKey()}" } ] }\n`);
  nats = await startNats({ dataDir: join(tempDir, 'data'), configFile });
});

afterAll(async () => {
  if (nats) await stopPid(nats.record, 5_000);
  rmSync(tempDir, { recursive: true, force: true });
});

function optionsWith(env: Record<string, string>) {
  const config = toCommonConfig(
    'nats-credentials-int-spec',
    parseEnv(commonEnvSchema(5000), { ADMIN_TOKEN, ...env }),
  );
  return { ...natsConnectionOptions(config.nats, 'nats-credentials-int-spec'), maxReconnectAttempts: 0 };
}

function seedFile(name: string, seed: Uint8Array): string {
  const file = join(tempDir, name);
  // As a Kubernetes Secret mounts it: the seed and a newline.
  writeFileSync(file, `${new TextDecoder().decode(seed)}\n`, { mode: 0o600 });
  return file;
}

it('connects with the NKey seed file and uses JetStream', async () => {
  const connection = await connect(
    optionsWith({ NATS_URL: nats.url, NATS_NKEY_SEED_FILE: seedFile('user.nk', user.getSeed()) }),
  );
  try {
    const account = await (await connection.jetstreamManager()).getAccountInfo();
    expect(account.streams).toBe(0);
  } finally {
    await connection.close();
  }
});

it.each([
  ['without credentials', () => ({})],
  ['with another user’s seed', () => ({ NATS_NKEY_SEED_FILE: seedFile('stranger.nk', stranger.getSeed()) })],
])('is refused %s', async (_what, extra) => {
  await expect(connect(optionsWith({ NATS_URL: nats.url, ...extra() }))).rejects.toThrow(
    /authorization violation/i,
  );
});
