/**
 * Which storage the FerretDB dev server runs on. FerretDB v1 uses no index: on SQLite a claim reads
 * every code of every brand, on PostgreSQL only the claiming brand's available codes (the claim's
 * filter runs in SQL), so with many brands claims are many times faster there (the measured
 * numbers are in libs/persistence/src/dev-server/slow-claims.ts). A PostgreSQL is therefore used
 * whenever one is there, and SQLite, which needs nothing, else.
 *
 *   <variable> set to a URL   PostgreSQL there; a failure to start on it is an error
 *   <variable> = off          SQLite
 *   unset                     PostgreSQL on 127.0.0.1:5432 (user postgres) when something answers
 *                             there, else SQLite; a PostgreSQL found that way that refuses the
 *                             dev server is reported and SQLite used instead (fallbackOk)
 *
 * make launch reads DEV_POSTGRESQL_URL, the test tiers TEST_POSTGRESQL_URL.
 */
import { canConnect, hostPort } from './net';

export const LOCAL_POSTGRESQL_URL = 'postgres://postgres@127.0.0.1:5432/';

export type DevServerStorage =
  | { readonly handler: 'sqlite'; readonly reason: string }
  | {
      readonly handler: 'postgresql';
      /** The server (and credentials): callers choose the database with postgresqlUrlFor(). */
      readonly url: string;
      readonly reason: string;
      /** Found by probing rather than asked for: SQLite may stand in when it refuses the dev server. */
      readonly fallbackOk: boolean;
    };

export interface StorageChoiceOptions {
  /** The variable's name, for the reasons given. */
  readonly variable: string;
  /** Its value (undefined or empty: unset). */
  readonly value: string | undefined;
  /** Whether something accepts connections at host:port (replaced by tests). */
  readonly probe?: (host: string, port: number) => Promise<boolean>;
}

export async function chooseDevServerStorage({
  variable,
  value,
  probe = (host, port) => canConnect(host, port, 1_000),
}: StorageChoiceOptions): Promise<DevServerStorage> {
  const given = value?.trim();
  if (given === 'off') return { handler: 'sqlite', reason: `${variable}=off` };
  if (given) {
    if (!/^postgres(ql)?:\/\//.test(given))
      throw new Error(`${variable} must be a postgres:// URL or off (got "${redactUrl(given)}")`);
    return { handler: 'postgresql', url: given, reason: `${variable} is set`, fallbackOk: false };
  }
  const { host, port } = hostPort(LOCAL_POSTGRESQL_URL, 5432);
  if (await probe(host, port)) {
    return {
      handler: 'postgresql',
      url: LOCAL_POSTGRESQL_URL,
      reason: `a PostgreSQL answers on ${host}:${port} (${variable} unset)`,
      fallbackOk: true,
    };
  }
  return { handler: 'sqlite', reason: `${variable} is unset and no PostgreSQL answers on ${host}:${port}` };
}

/** The database a postgres:// URL names, or undefined when it names none. */
export function databaseOf(url: string): string | undefined {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  return name || undefined;
}

/** The same server and credentials, another database. */
export function postgresqlUrlFor(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** A URL without its credentials (user and password), for printing. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '(a URL that does not parse)';
  }
}
