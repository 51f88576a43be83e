import { UsageError } from './errors';

/** The root flags every command sees (commander's optsWithGlobals()). */
export interface GlobalFlags {
  url?: string;
  providerUrl?: string;
  token?: string;
  json?: boolean;
  timeout?: number;
}

export interface CliConfig {
  /** The generator's base URL (its admin port for admin-token commands). */
  generatorUrl: string;
  providerUrl: string;
  /** Admin token or a brand's API key; undefined sends no Authorization header. */
  token: string | undefined;
  json: boolean;
  /** Per request; streamed imports and exports are not cut by it. */
  timeoutMs: number;
}

export const ENV = {
  url: 'DISCOUNTS_URL',
  providerUrl: 'DISCOUNTS_PROVIDER_URL',
  token: 'DISCOUNTS_TOKEN',
  brand: 'DISCOUNTS_BRAND',
  userToken: 'DISCOUNTS_USER_TOKEN',
  jwtSecret: 'DISCOUNTS_JWT_SECRET',
} as const;

export const DEFAULTS = {
  generatorUrl: 'http://localhost:5001',
  providerUrl: 'http://localhost:5002',
  timeoutMs: 30_000,
} as const;

type Env = Readonly<Record<string, string | undefined>>;

/** A flag wins over its environment variable, which wins over the default. */
export function resolveConfig(flags: GlobalFlags, env: Env): CliConfig {
  return {
    generatorUrl: baseUrl(flags.url, env[ENV.url], DEFAULTS.generatorUrl, `--url / ${ENV.url}`),
    providerUrl: baseUrl(
      flags.providerUrl,
      env[ENV.providerUrl],
      DEFAULTS.providerUrl,
      `--provider-url / ${ENV.providerUrl}`,
    ),
    token: nonEmpty(flags.token) ?? nonEmpty(env[ENV.token]),
    json: flags.json === true,
    timeoutMs: flags.timeout ?? DEFAULTS.timeoutMs,
  };
}

function baseUrl(flag: string | undefined, env: string | undefined, fallback: string, name: string): string {
  const raw = nonEmpty(flag) ?? nonEmpty(env) ?? fallback;
  // A value with an @ may hold a password: it is never repeated in a message.
  const shown = raw.includes('@') ? 'the value' : `"${raw}"`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${name}: ${shown} is not a URL (e.g. ${fallback})`);
  }
  if (url.username !== '' || url.password !== '') {
    // It would show in `ps`, in shell history and in every error naming the address.
    throw new UsageError(`${name}: a user or password in the URL is not accepted; use ${ENV.token}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${name}: ${shown} must be http:// or https://`);
  }
  // Paths are appended to it: a trailing slash would double.
  return url.toString().replace(/\/+$/, '');
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value !== undefined && value.trim() !== '' ? value.trim() : undefined;

/** The brand a command acts on: --brand, else DISCOUNTS_BRAND. */
export function requireBrand(flag: string | undefined, env: Env): string {
  const brand = nonEmpty(flag) ?? nonEmpty(env[ENV.brand]);
  if (!brand) throw new UsageError(`which brand? Pass --brand <id> or set ${ENV.brand}`);
  return brand;
}

export function requireToken(config: CliConfig): string {
  if (!config.token) {
    throw new UsageError(`no credentials: pass --token or set ${ENV.token} (admin token or brand API key)`);
  }
  return config.token;
}
