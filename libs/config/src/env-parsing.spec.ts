import { z } from 'zod';
import { commonEnvSchema } from './common-config';
import {
  ConfigValidationError,
  envBoolean,
  envInt,
  envMongoUri,
  envOriginList,
  envPort,
  envRate,
  envSecret,
  envTrustProxy,
  envUrl,
  envUrlList,
  parseEnv,
  type Env,
} from './env-parsing';

const ADMIN_TOKEN = 'admin-token-0123456789';

/** The ConfigValidationError parseEnv throws for `env`; fails the test when it does not throw. */
function configErrorOf<S extends z.ZodObject>(schema: S, env: Env): ConfigValidationError {
  try {
    parseEnv(schema, env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigValidationError, parseEnv succeeded');
}

/**
 * Variable names the error's problems are reported against: "NAME: message", or "NAME.1: message"
 * for the second entry of a list variable.
 */
const namesIn = (error: ConfigValidationError) =>
  error.problems.map((problem) => problem.split(':')[0]!.split('.')[0]);

describe('parseEnv', () => {
  const schema = commonEnvSchema(5000);

  it('reports every bad variable by name in one error', () => {
    const error = configErrorOf(schema, {
      ADMIN_TOKEN: 'short',
      PORT: 'abc',
      MONGODB_URI: 'http://x',
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConfigValidationError');
    expect(new Set(namesIn(error))).toEqual(new Set(['ADMIN_TOKEN', 'PORT', 'MONGODB_URI']));
    for (const name of ['ADMIN_TOKEN', 'PORT', 'MONGODB_URI']) {
      expect(error.message).toContain(`- ${name}: `);
    }
    expect(error.message).toMatch(/^Invalid configuration:\n {2}- /);
    expect(error.message).toContain('must be at least 16 characters');
    expect(error.message).toContain('mongodb://');
  });

  it('names a missing required variable', () => {
    const error = configErrorOf(schema, {});
    expect(namesIn(error)).toEqual(['ADMIN_TOKEN']);
  });

  it('treats empty strings as unset: defaults apply, required ones are missing', () => {
    const error = configErrorOf(schema, { ADMIN_TOKEN: '', PORT: '', NATS_URL: '', LOG_LEVEL: '' });
    expect(namesIn(error)).toEqual(['ADMIN_TOKEN']);

    const parsed = parseEnv(schema, {
      ADMIN_TOKEN,
      PORT: '',
      SWAGGER_ENABLED: '',
      MONGODB_MAX_POOL_SIZE: '',
    });
    expect(parsed.PORT).toBe(5000);
    expect(parsed.SWAGGER_ENABLED).toBe(true);
    expect(parsed.MONGODB_MAX_POOL_SIZE).toBeUndefined();
  });

  it('treats undefined values as unset', () => {
    expect(parseEnv(schema, { ADMIN_TOKEN, PORT: undefined }).PORT).toBe(5000);
  });

  it('ignores variables the schema does not know (the real environment has many)', () => {
    const parsed = parseEnv(schema, { ADMIN_TOKEN, PATH: '/usr/bin', HOME: '/root' });
    expect(parsed).not.toHaveProperty('PATH');
  });

  it('returns typed values with defaults', () => {
    expect(parseEnv(schema, { ADMIN_TOKEN })).toStrictEqual({
      PORT: 5000,
      HOST: '0.0.0.0',
      HTTP_BODY_LIMIT_BYTES: 64 * 1024,
      LOG_LEVEL: 'info',
      MONGODB_URI: 'mongodb://127.0.0.1:27017/discounts',
      MONGODB_SERVER_SELECTION_TIMEOUT_MS: 5_000,
      NATS_URL: ['nats://127.0.0.1:4222'],
      ADMIN_TOKEN,
      SWAGGER_ENABLED: true,
      TRUST_PROXY: false,
      HTTP_MAX_HEADER_BYTES: 16_384,
      HTTP_REQUEST_TIMEOUT_MS: 30_000,
      HTTP_HEADERS_TIMEOUT_MS: 10_000,
      HTTP_KEEP_ALIVE_TIMEOUT_MS: 72_000,
      HTTP_CONNECTION_TIMEOUT_MS: 120_000,
      RATE_LIMIT_LEGACY_PER_IP: { limit: 120, windowMs: 60_000 },
      AUTH_FAILURES_PER_IP: { limit: 20, windowMs: 900_000 },
      AUTH_LOCKOUT_SECONDS: 60,
      AUTH_LOCKOUT_MAX_SECONDS: 3_600,
      RATE_LIMIT_STORE_TIMEOUT_MS: 500,
      EVENTS_STREAM_RETENTION: 'limits',
      EVENTS_STREAM_MAX_AGE_SECONDS: 604_800,
      EVENTS_STREAM_MAX_BYTES: 1_073_741_824,
      EVENTS_STREAM_DUPLICATE_WINDOW_SECONDS: 120,
      EVENTS_STREAM_REPLICAS: 1,
      SHUTDOWN_DELAY_MS: 5_000,
      SHUTDOWN_GRACE_MS: 20_000,
      READY_REQUIRES_NATS: true,
    });
  });

  it('reports an unknown log level by name', () => {
    expect(namesIn(configErrorOf(schema, { ADMIN_TOKEN, LOG_LEVEL: 'loud' }))).toEqual(['LOG_LEVEL']);
  });
});

describe('envBoolean', () => {
  const schema = z.object({ FLAG: envBoolean(false), ON: envBoolean(true) });

  it.each([
    ['true', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['no', false],
  ])('accepts %j as %s', (value, expected) => {
    expect(parseEnv(schema, { FLAG: value }).FLAG).toBe(expected);
    expect(parseEnv(schema, { ON: value }).ON).toBe(expected);
  });

  it('falls back to its default when unset', () => {
    expect(parseEnv(schema, {})).toStrictEqual({ FLAG: false, ON: true });
  });

  it.each(['on', 'off', 'y', 'n', '2', '-1', 'maybe', ' true'])(
    'rejects %j, naming the variable',
    (value) => {
      const error = configErrorOf(schema, { FLAG: value });
      expect(namesIn(error)).toEqual(['FLAG']);
      expect(error.message).toContain('FLAG: expected true or false');
    },
  );
});

describe('envInt / envPort', () => {
  const schema = z.object({ PORT: envPort(5001), N: envInt(10, 20).optional() });

  it('parses decimal integers in range', () => {
    expect(parseEnv(schema, { PORT: '8080', N: '10' })).toStrictEqual({ PORT: 8080, N: 10 });
    expect(parseEnv(schema, { PORT: '65535', N: '20' })).toStrictEqual({ PORT: 65535, N: 20 });
    expect(parseEnv(schema, { PORT: '1' }).PORT).toBe(1);
  });

  it.each(['abc', '0', '65536', '-1', '80.5', 'NaN', 'Infinity'])('rejects PORT=%j', (value) => {
    expect(namesIn(configErrorOf(schema, { PORT: value }))).toEqual(['PORT']);
  });

  it.each(['0x1F90', '1e3', '0b101'])('rejects the non-decimal PORT=%j', (value) => {
    expect(namesIn(configErrorOf(schema, { PORT: value }))).toEqual(['PORT']);
  });

  it.each(['9', '21'])('rejects N=%j outside [10, 20]', (value) => {
    expect(namesIn(configErrorOf(schema, { N: value }))).toEqual(['N']);
  });
});

describe('envUrl', () => {
  const schema = z.object({ URI: envUrl(['mongodb:', 'mongodb+srv:']) });

  it.each([
    'mongodb://127.0.0.1:27017/db',
    'mongodb://user:pw@db.example.com/x?tls=true',
    'mongodb+srv://c.example.com/db',
  ])('accepts %s', (value) => {
    expect(parseEnv(schema, { URI: value }).URI).toBe(value);
  });

  it.each(['http://x', 'x', 'mongodb', '127.0.0.1:27017', 'postgres://h/db'])(
    'rejects %j with the allowed schemes',
    (value) => {
      const error = configErrorOf(schema, { URI: value });
      expect(namesIn(error)).toEqual(['URI']);
      expect(error.message).toContain('expected a URL starting with mongodb:// or mongodb+srv://');
    },
  );
});

describe('envMongoUri', () => {
  const schema = z.object({ URI: envMongoUri() });

  it.each([
    'mongodb://127.0.0.1:27017/db',
    'mongodb://m1:27017,m2:27017,m3:27017/discounts?replicaSet=rs0',
    'mongodb+srv://c.example.com/db',
  ])('accepts %s', (value) => {
    expect(parseEnv(schema, { URI: value }).URI).toBe(value);
  });

  it.each(['http://x', 'mongodb://', 'mongodb', '127.0.0.1:27017'])('rejects %j', (value) => {
    expect(namesIn(configErrorOf(schema, { URI: value }))).toEqual(['URI']);
  });
});

describe('envUrlList (NATS_URL)', () => {
  const schema = z.object({ NATS_URL: envUrlList(['nats:', 'tls:']) });

  it('splits a comma list and trims each URL', () => {
    expect(parseEnv(schema, { NATS_URL: 'nats://a:4222, nats://b:4222 ,tls://c:4443' }).NATS_URL).toEqual([
      'nats://a:4222',
      'nats://b:4222',
      'tls://c:4443',
    ]);
  });

  it('accepts one URL as a list of one', () => {
    expect(parseEnv(schema, { NATS_URL: 'nats://127.0.0.1:4222' }).NATS_URL).toEqual([
      'nats://127.0.0.1:4222',
    ]);
  });

  it.each(['nats://a:4222,http://b', 'nats://a:4222,', 'nats://a:4222,,nats://b:4222', 'a:4222'])(
    'rejects %j by name',
    (value) => {
      const error = configErrorOf(schema, { NATS_URL: value });
      expect(namesIn(error)).toEqual(['NATS_URL']);
      expect(error.message).toContain('expected a URL starting with nats:// or tls://');
    },
  );
});

describe('envSecret', () => {
  const schema = z.object({ TOKEN: envSecret(16) });

  it('accepts a secret of the minimum length', () => {
    expect(parseEnv(schema, { TOKEN: 'x'.repeat(16) }).TOKEN).toBe('x'.repeat(16));
  });

  it('rejects a shorter one and says how long it must be, without echoing it', () => {
    const error = configErrorOf(schema, { TOKEN: 'secret-15-chars' });
    expect(error.problems).toEqual(['TOKEN: must be at least 16 characters']);
    expect(error.message).not.toContain('secret-15-chars');
  });
});

describe('envRate', () => {
  const schema = z.object({ RATE: envRate().prefault('10/1m') });

  it.each([
    ['10/1m', { limit: 10, windowMs: 60_000 }],
    ['120/30s', { limit: 120, windowMs: 30_000 }],
    ['1000/1h', { limit: 1000, windowMs: 3_600_000 }],
    ['5/15m', { limit: 5, windowMs: 900_000 }],
    ['1000000/24h', { limit: 1_000_000, windowMs: 86_400_000 }],
    ['off', null],
  ])('reads %j', (value, expected) => {
    expect(parseEnv(schema, { RATE: value }).RATE).toEqual(expected);
  });

  it('applies its default when unset', () => {
    expect(parseEnv(schema, {}).RATE).toEqual({ limit: 10, windowMs: 60_000 });
  });

  it.each(['10', '10/m', '10/1d', '1.5/1m', '-1/1m', 'ten/1m', '10 / 1m', 'OFF', '10/1m/2', '10/1ms'])(
    'rejects the malformed %j, naming the variable and the format',
    (value) => {
      const error = configErrorOf(schema, { RATE: value });
      expect(namesIn(error)).toEqual(['RATE']);
      expect(error.message).toContain('<count>/<duration>');
    },
  );

  it.each(['0/1m', '1000001/1h', '10/0s', '10/25h'])('rejects %j as out of range', (value) => {
    const error = configErrorOf(schema, { RATE: value });
    expect(namesIn(error)).toEqual(['RATE']);
    expect(error.message).toContain('duration 1s–24h');
  });
});

describe('envTrustProxy', () => {
  const schema = z.object({ TRUST_PROXY: envTrustProxy() });

  it.each<[string | undefined, unknown]>([
    [undefined, false],
    ['false', false],
    ['0', false],
    ['true', true],
    ['2', 2],
    ['10.0.0.1', ['10.0.0.1']],
    ['10.0.0.0/8, 192.168.0.0/16', ['10.0.0.0/8', '192.168.0.0/16']],
    ['loopback,uniquelocal,linklocal', ['loopback', 'uniquelocal', 'linklocal']],
    ['::1,fd00::/8', ['::1', 'fd00::/8']],
  ])('reads %j', (value, expected) => {
    expect(parseEnv(schema, { TRUST_PROXY: value }).TRUST_PROXY).toEqual(expected);
  });

  it.each([
    'yes',
    '10.0.0.0/33',
    'fd00::/129',
    '10.0.0.300',
    'proxy.example.com',
    '10.0.0.0/8/1',
    '10.0.0.1,',
  ])('rejects %j, naming the variable and what was wrong', (value) => {
    const error = configErrorOf(schema, { TRUST_PROXY: value });
    expect(namesIn(error)).toEqual(['TRUST_PROXY']);
    expect(error.message).toContain('expected false, true, a hop count');
  });
});

describe('envOriginList (CORS_ORIGINS)', () => {
  const schema = z.object({ CORS_ORIGINS: envOriginList() });

  it('reads a comma-separated list of origins', () => {
    expect(
      parseEnv(schema, { CORS_ORIGINS: 'https://shop.example.com, http://localhost:3000' }).CORS_ORIGINS,
    ).toEqual(['https://shop.example.com', 'http://localhost:3000']);
    expect(parseEnv(schema, { CORS_ORIGINS: '*' }).CORS_ORIGINS).toEqual(['*']);
  });

  it.each([
    'https://shop.example.com/',
    'https://shop.example.com/path',
    'shop.example.com',
    'ftp://shop.example.com',
    'https://shop.example.com,',
    'HTTPS://SHOP.EXAMPLE.COM',
  ])('rejects %j: an origin is exactly scheme://host[:port]', (value) => {
    expect(namesIn(configErrorOf(schema, { CORS_ORIGINS: value }))).toEqual(['CORS_ORIGINS']);
  });
});
