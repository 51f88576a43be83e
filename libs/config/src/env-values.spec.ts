import { z } from 'zod';
import {
  envMongoUri,
  envOriginList,
  envPortRanges,
  envRate,
  envSecret,
  envTrustProxy,
  envUrl,
  envUrlList,
  parseEnv,
} from './env-parsing';
import { configErrorOf, namesIn } from '../../../test/support/config-errors';

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

describe('envPortRanges (WEBHOOK_ALLOWED_PORTS)', () => {
  const schema = z.object({ PORTS: envPortRanges() });

  it('reads ports and ranges', () => {
    expect(parseEnv(schema, { PORTS: '443, 8000-8999,65535' }).PORTS).toEqual([
      { from: 443, to: 443 },
      { from: 8000, to: 8999 },
      { from: 65_535, to: 65_535 },
    ]);
  });

  it.each(['0', '65536', '9000-8000', 'https', '1-2-3', ','])('rejects %j', (value) => {
    const error = configErrorOf(schema, { PORTS: value });
    expect(namesIn(error)).toEqual(['PORTS']);
    expect(error.message).toMatch(/expected (ports 1–65535|at least one port)/);
  });
});
