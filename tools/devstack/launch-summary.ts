/** What make launch prints once everything runs, and the sample user it creates for it. */
import path from 'node:path';
import { httpRequest } from './net';
import { REPO_ROOT } from './paths';
import { LOG_DIR, STATE_FILE, type LaunchState } from './state';

export const rel = (p: string) => path.relative(REPO_ROOT, p) || '.';
export const log = (msg: string) => process.stderr.write(`launch: ${msg}\n`);

/** A user of the provider, so that the printed get_code call works as it is. */
export async function createSampleUser(
  providerUrl: string,
  providerAdminToken: string,
): Promise<{ userId: string; secret: string } | null> {
  const url = `${providerUrl}/v1/users`;
  try {
    const res = await httpRequest(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${providerAdminToken}` },
      body: {},
      timeoutMs: 10_000,
    });
    const body = JSON.parse(res.body || '{}') as { userId?: string; secret?: string };
    if (res.status === 201 && body.userId && body.secret) return { userId: body.userId, secret: body.secret };
    log(
      `warning: could not create the sample user: POST ${url} answered ${res.status} ${res.body.slice(0, 300)}`,
    );
  } catch (err) {
    log(`warning: could not create the sample user: POST ${url}: ${(err as Error).message}`);
  }
  return null;
}

/** A URI without its password, for printing. */
function redactUri(uri: string): string {
  try {
    const u = new URL(uri);
    if (u.password) u.password = 'xxxxx';
    return u.toString();
  } catch {
    return uri;
  }
}

const NATS_SOURCES = {
  NATS_URL: 'from NATS_URL',
  local: 'already running',
  started: 'started by this launch',
};

/** Where the data is, and for the dev server on which storage and why (launch-database.ts). */
function describeMongo(mongodb: NonNullable<LaunchState['mongodb']>): string {
  if (mongodb.source !== 'ferretdb') return 'from MONGODB_URI';
  const where = mongodb.postgresql
    ? `on PostgreSQL, database ${mongodb.postgresql}`
    : `on SQLite, data in ${mongodb.dataDir}`;
  // A launch recorded before the storage was chosen has no reason.
  const why = mongodb.reason ? `: ${mongodb.reason}` : '';
  return `FerretDB dev server ${where}${why}; how many codes it serves well: README, "How big the dev server goes"`;
}

export function printSummary(state: LaunchState): void {
  const { generator: g, provider: p, mongodb, nats, sampleUser: user } = state;
  if (!g || !p || !mongodb || !nats) throw new Error('the launch state is incomplete');
  const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const generated = (name: string) => (state.generated.includes(name) ? '  (generated)' : '');
  const lines = [
    '',
    'Discount codes platform is running.',
    '',
    `  generator    ${g.url}        API docs: ${g.url}/docs`,
    `  provider     ${p.url}        API docs: ${p.url}/docs`,
    `  MongoDB      ${redactUri(mongodb.uri)}  (${describeMongo(mongodb)})`,
    `  NATS         ${nats.url}  (${NATS_SOURCES[nats.source]})`,
    '',
    `  GENERATOR_ADMIN_TOKEN  ${state.generatorAdminToken}${generated('GENERATOR_ADMIN_TOKEN')}`,
    `  PROVIDER_ADMIN_TOKEN   ${state.providerAdminToken}${generated('PROVIDER_ADMIN_TOKEN')}`,
    `  JWT_SECRET             ${state.jwtSecret}${generated('JWT_SECRET')}`,
    user
      ? `  sample user            id ${user.userId}  secret ${user.secret}`
      : '  sample user            (not created, see the warning above; POST /v1/users on the provider with PROVIDER_ADMIN_TOKEN)',
    // Two tokens, so that a leaked provider token cannot create brands.
    '  (one admin token per app: the generator refuses the provider’s, and the other way round)',
    '',
    'Try:',
  ];
  const openApi = ['true', '1', 'yes'].includes(state.devOpenBrandApi);
  const authHeader = openApi ? '' : ` -H ${sq(`Authorization: Bearer ${state.generatorAdminToken}`)}`;
  lines.push(
    `  curl -X POST ${g.url}/discounts/api/v1.0/generate -H 'Content-Type: application/json'${authHeader} -d '{"brand_id": 1, "number_of_codes": 100}'`,
  );
  const userId = user ? encodeURIComponent(user.userId) : '<userId>';
  const userSecret = user ? encodeURIComponent(user.secret) : '<secret>';
  lines.push(`  curl ${sq(`${p.url}/discounts/api/v1.0/get_code/${userId}/${userSecret}/1`)}`);
  if (!openApi)
    lines.push(
      '  (DEV_OPEN_BRAND_API is off: the generate call needs a brand key or the generator admin token)',
    );
  lines.push('', `Logs: ${rel(LOG_DIR)}/   State: ${rel(STATE_FILE)}   Stop everything: make shutdown`, '');
  process.stdout.write(lines.join('\n'));
}
