import { z } from 'zod';
import { parseCidr, type AddressRange } from './cidr';

/**
 * Raised when environment variables are missing or malformed. The message names every bad
 * variable so an operator can fix them all in one go.
 */
export class ConfigValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Parses `env` with a schema whose keys are variable names, so each issue is reported against
 * the variable that caused it. Empty strings count as unset: `FOO= make launch` must not turn
 * into an empty token.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: Env): z.infer<S> {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = schema.safeParse(present);
  if (!result.success) {
    throw new ConfigValidationError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return result.data;
}

export const envBoolean = (defaultValue: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], {
      message: 'expected true or false',
    })
    .default(defaultValue ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** Plain decimal only: `Number()` would also take 0x1F90, 1e3 or 0b101. */
export const envInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,15}$/, { message: 'expected a whole number in decimal digits' })
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

export const envPort = (defaultPort: number) => envInt(1, 65535).default(defaultPort);

/**
 * MongoDB connection strings may list several hosts (a replica-set seed list), which WHATWG URL
 * parsing rejects, so only the scheme and the presence of a host are checked here; the driver
 * reports anything finer at start-up.
 */
export const envMongoUri = () =>
  z.string().regex(/^mongodb(\+srv)?:\/\/[^/?#\s]+/, {
    message: 'expected a MongoDB connection string (mongodb:// or mongodb+srv://)',
  });

export const envUrl = (protocols: readonly string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    {
      message: `expected a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    },
  );

/** A list of URLs separated by commas, as NATS clients accept for clusters. */
export const envUrlList = (protocols: readonly string[]) =>
  z
    .string()
    .transform((value) => value.split(',').map((part) => part.trim()))
    .pipe(z.array(envUrl(protocols)).min(1));

export const envSecret = (minLength: number) =>
  z.string().min(minLength, { message: `must be at least ${minLength} characters` });

/** A request rate: `<count>/<duration>` such as `10/1m`, `120/30s`, `1000/1h`; `off` switches it off. */
export interface RateSetting {
  readonly limit: number;
  readonly windowMs: number;
}

const DURATION_MS = { s: 1_000, m: 60_000, h: 3_600_000 } as const;
const MAX_RATE_WINDOW_MS = 24 * 3_600_000;
const MAX_RATE_LIMIT = 1_000_000;

export const envRate = () =>
  z
    .string()
    .regex(/^(off|\d{1,7}\/\d{1,5}[smh])$/, {
      message: 'expected <count>/<duration> such as 10/1m, 120/30s or 1000/1h, or off',
    })
    .transform((value, ctx): RateSetting | null => {
      if (value === 'off') return null;
      const [count = '', duration = ''] = value.split('/');
      const unit = duration.slice(-1) as keyof typeof DURATION_MS;
      const windowMs = Number(duration.slice(0, -1)) * DURATION_MS[unit];
      const limit = Number(count);
      if (limit < 1 || limit > MAX_RATE_LIMIT || windowMs < 1_000 || windowMs > MAX_RATE_WINDOW_MS) {
        ctx.addIssue({
          code: 'custom',
          message: `count must be 1–${MAX_RATE_LIMIT.toLocaleString('en')} and the duration 1s–24h`,
        });
        return z.NEVER;
      }
      return { limit, windowMs };
    });

/**
 * Which proxies may set X-Forwarded-For: `false` (none: the socket peer is the client), `true`
 * (any: only behind a proxy that overwrites the header), a hop count, or a comma-separated list of
 * addresses, CIDR ranges and the names loopback, linklocal, uniquelocal (Fastify's trustProxy).
 */
export type TrustProxySetting = boolean | number | readonly string[];

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  try {
    parseCidr(entry);
    return true;
  } catch {
    return false;
  }
}

export const envTrustProxy = () =>
  z
    .string()
    .default('false')
    .transform((value, ctx): TrustProxySetting => {
      if (value === 'false' || value === '0') return false;
      if (value === 'true') return true;
      if (/^\d{1,2}$/.test(value)) return Number(value);
      const entries = value.split(',').map((part) => part.trim());
      const bad = entries.filter((entry) => !isProxyAddress(entry));
      if (bad.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message:
            'expected false, true, a hop count, or a comma-separated list of IP addresses, CIDR ranges, ' +
            `loopback, linklocal, uniquelocal (not: ${bad.join(', ')})`,
        });
        return z.NEVER;
      }
      return entries;
    });

/** Browser origins allowed by CORS: exact `scheme://host[:port]` values, comma-separated, or `*`. */
export const envOriginList = () =>
  z
    .string()
    .transform((value) => value.split(',').map((part) => part.trim()))
    .pipe(
      z.array(
        z.string().refine(
          (origin) => {
            if (origin === '*') return true;
            try {
              const url = new URL(origin);
              return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === origin;
            } catch {
              return false;
            }
          },
          {
            message: 'expected origins such as https://shop.example.com (scheme, host, port; no path), or *',
          },
        ),
      ),
    );

/** Comma-separated IP addresses or CIDR blocks, e.g. "127.0.0.1,10.1.0.0/16". */
export const envCidrList = () =>
  z.string().transform((value, ctx) => {
    const ranges: AddressRange[] = [];
    for (const part of value
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      try {
        ranges.push(parseCidr(part));
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }
    return ranges;
  });

/** A TCP port or an inclusive range of them. */
export interface PortRange {
  readonly from: number;
  readonly to: number;
}

/** Comma-separated ports or ranges, e.g. "443, 8443, 10000-10100". */
export const envPortRanges = () =>
  z.string().transform((value, ctx) => {
    const ranges: PortRange[] = [];
    for (const part of value
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
      const from = Number(match?.[1]);
      const to = match?.[2] === undefined ? from : Number(match[2]);
      if (!match || from < 1 || to > 65_535 || from > to) {
        ctx.addIssue({
          code: 'custom',
          message: `expected ports 1–65535 or ranges such as 8000-8999 (not: ${part})`,
        });
        return z.NEVER;
      }
      ranges.push({ from, to });
    }
    if (ranges.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'expected at least one port' });
      return z.NEVER;
    }
    return ranges;
  });

/** A named 256-bit key, e.g. of WEBHOOK_SECRET_KEYS. */
export interface NamedKey {
  readonly id: string;
  readonly key: Buffer;
}

/**
 * Comma-separated `<id>:<base64 of 32 bytes>` (e.g. `k2:…,k1:…`), the first being the current
 * key; `openssl rand -base64 32` makes one.
 */
export const envKeyList = () =>
  z.string().transform((value, ctx) => {
    const keys: NamedKey[] = [];
    for (const part of value
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const [id = '', encoded = '', ...rest] = part.split(':');
      const key = Buffer.from(encoded, 'base64');
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(id) || rest.length > 0 || key.length !== 32) {
        // The value is a secret: the message names the entry by its id only.
        ctx.addIssue({
          code: 'custom',
          message: `expected <id>:<base64 of 32 bytes> entries, comma-separated (entry ${keys.length + 1} is not)`,
        });
        return z.NEVER;
      }
      if (keys.some((k) => k.id === id)) {
        ctx.addIssue({ code: 'custom', message: `key id ${id} is listed twice` });
        return z.NEVER;
      }
      keys.push({ id, key });
    }
    if (keys.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'expected at least one key' });
      return z.NEVER;
    }
    return keys;
  });
