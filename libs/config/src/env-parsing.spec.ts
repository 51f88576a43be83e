import { z } from 'zod';
import { commonEnvSchema } from './common-config';
import { envBoolean, envInt, envPort, parseEnv } from './env-parsing';
import { configErrorOf, namesIn } from '../../../test/support/config-errors';

const ADMIN_TOKEN = 'admin-token-0123456789';

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
      MONGODB_ALLOW_WEAK_DURABILITY: false,
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
      RATE_LIMIT_SYNC_MS: 100,
      RATE_LIMIT_STORE_MAX_BYTES: 16 * 1024 ** 2,
      EVENTS_STREAM_RETENTION: 'limits',
      EVENTS_STREAM_MAX_AGE_SECONDS: 604_800,
      EVENTS_STREAM_MAX_BYTES: 1_073_741_824,
      EVENTS_STREAM_DUPLICATE_WINDOW_SECONDS: 120,
      EVENTS_STREAM_REPLICAS: 1,
      SHUTDOWN_DELAY_MS: 5_000,
      SHUTDOWN_GRACE_MS: 20_000,
      READY_REQUIRES_NATS: true,
      LOAD_SHED_ENABLED: true,
      LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: 200,
      LOAD_SHED_MAX_EVENT_LOOP_UTILIZATION: null,
      LOAD_SHED_MAX_HEAP_BYTES: 'auto',
      LOAD_SHED_MAX_RSS_BYTES: 'auto',
      LOAD_SHED_MAX_IN_FLIGHT: 1024,
      LOAD_SHED_RETRY_AFTER_SECONDS: 5,
      LOAD_SHED_FAILS_READINESS: false,
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
