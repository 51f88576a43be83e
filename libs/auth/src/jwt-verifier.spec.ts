import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { DomainError } from '@app/contracts';
import { JwtVerifier, TokenNotCurrentError, type JwtConfig } from './jwt-verifier';

const SECRET = 'unit-test-jwt-secret-0123456789abcdef';
const key = new TextEncoder().encode(SECRET);
const HS256: JwtConfig = {
  secret: SECRET,
  jwksUrl: undefined,
  issuer: undefined,
  audience: undefined,
  clockToleranceSeconds: 0,
  maxTokenAgeSeconds: 3_600,
};
const now = () => Math.floor(Date.now() / 1000);

function sign(
  claims: JWTPayload,
  { alg = 'HS256', signingKey = key }: { alg?: string; signingKey?: Uint8Array } = {},
): Promise<string> {
  // A minute of validity unless the test sets exp itself (exp: undefined leaves it out).
  return new SignJWT({ exp: now() + 60, ...claims }).setProtectedHeader({ alg, typ: 'JWT' }).sign(signingKey);
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The DomainError `promise` rejects with; fails when it resolves or rejects with anything else. */
async function domainErrorOf(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, the promise resolved');
}

async function expectUnauthorized(verifier: JwtVerifier, token: string): Promise<DomainError> {
  const error = await domainErrorOf(verifier.userIdOf(token));
  expect(error.code).toBe('unauthorized');
  return error;
}

describe('JwtVerifier (HS256)', () => {
  const verifier = new JwtVerifier(HS256);

  it('returns the sub of a valid token', async () => {
    await expect(verifier.userIdOf(await sign({ sub: 'user-1', exp: now() + 60 }))).resolves.toBe('user-1');
  });

  it('accepts a token with nbf in the past and iat now', async () => {
    const token = await sign({ sub: 'u.2_x-y', iat: now(), nbf: now() - 10, exp: now() + 60 });
    await expect(verifier.userIdOf(token)).resolves.toBe('u.2_x-y');
  });

  it('refuses an expired token, as a token out of its time (not a wrong credential)', async () => {
    const error = await expectUnauthorized(verifier, await sign({ sub: 'user-1', exp: now() - 10 }));
    expect(error.message).toBe('The token has expired');
    expect(error).toBeInstanceOf(TokenNotCurrentError);
  });

  it('refuses a token without exp: a token must not be valid forever', async () => {
    const error = await expectUnauthorized(verifier, await sign({ sub: 'user-1', exp: undefined }));
    expect(error.message).toBe('Invalid bearer token (ERR_JWT_CLAIM_VALIDATION_FAILED)');
  });

  it('refuses a token that is not valid yet (nbf in the future), as a token out of its time', async () => {
    const error = await expectUnauthorized(verifier, await sign({ sub: 'user-1', nbf: now() + 3600 }));
    expect(error.message).toBe('The token is not valid yet');
    expect(error).toBeInstanceOf(TokenNotCurrentError);
  });

  it('refuses a token signed with another secret', async () => {
    const other = new TextEncoder().encode('another-secret-0123456789abcdef-xyz');
    const error = await expectUnauthorized(verifier, await sign({ sub: 'user-1' }, { signingKey: other }));
    expect(error.message).toBe('Invalid bearer token (ERR_JWS_SIGNATURE_VERIFICATION_FAILED)');
    expect(error).not.toBeInstanceOf(TokenNotCurrentError);
  });

  it('refuses alg "none" (an unsigned token crafted by hand)', async () => {
    const token = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: 'admin', exp: now() + 60 })}.`;
    await expectUnauthorized(verifier, token);
  });

  it('refuses alg "none" even with a signature part copied from a valid token', async () => {
    const valid = await sign({ sub: 'user-1' });
    const token = `${b64url({ alg: 'none' })}.${b64url({ sub: 'user-1' })}.${valid.split('.')[2]}`;
    await expectUnauthorized(verifier, token);
  });

  it('refuses HS512 with the same secret: only HS256 is allowed', async () => {
    const error = await expectUnauthorized(verifier, await sign({ sub: 'user-1' }, { alg: 'HS512' }));
    expect(error.message).toBe('Invalid bearer token (ERR_JOSE_ALG_NOT_ALLOWED)');
  });

  it('refuses an RS256 token when configured for HS256', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT({ sub: 'user-1' }).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    await expectUnauthorized(verifier, token);
  });

  it('refuses a payload changed after signing', async () => {
    const [header, , signature] = (await sign({ sub: 'user-1' })).split('.');
    await expectUnauthorized(verifier, `${header}.${b64url({ sub: 'user-2' })}.${signature}`);
  });

  it('refuses a token without sub, naming the claim', async () => {
    const error = await expectUnauthorized(verifier, await sign({ exp: now() + 60 }));
    expect(error.message).toBe('The token has no usable "sub" (user id) claim');
  });

  it.each([
    ['an empty sub', ''],
    ['a sub with a space', 'user 1'],
    ['a sub with "#"', '#acme'],
    ['a sub with "/"', 'a/b'],
    ['a sub with "$"', '$where'],
    ['a sub starting with "-"', '-user'],
    ['a sub of 65 characters', 'u'.repeat(65)],
    ['a non-ASCII sub', 'üser'],
  ])('refuses %s', async (_, sub) => {
    const error = await expectUnauthorized(verifier, await sign({ sub }));
    expect(error.message).toContain('"sub"');
  });

  it('refuses a non-string sub', async () => {
    // jose's SignJWT does not check claim types; a hand-built payload with sub: 42 is signed as is.
    await expectUnauthorized(verifier, await sign({ sub: 42 } as unknown as JWTPayload));
  });

  it.each(['', 'abc', 'a.b.c', 'a.b', '...', 'eyJhbGciOiJIUzI1NiJ9..'])(
    'refuses the malformed token %j',
    async (token) => {
      await expectUnauthorized(verifier, token);
    },
  );

  it('answers any garbage shaped like a JWT with unauthorized, never another error', async () => {
    const part = fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/);
    await fc.assert(
      fc.asyncProperty(part, part, part, async (h, p, s) => {
        await expectUnauthorized(verifier, `${h}.${p}.${s}`);
      }),
      { numRuns: 200 },
    );
  });

  it('answers garbage JSON headers and payloads with unauthorized', async () => {
    const json = fc
      .jsonValue()
      .map((value) => Buffer.from(JSON.stringify(value) ?? 'null').toString('base64url'));
    await fc.assert(
      fc.asyncProperty(json, json, async (h, p) => {
        await expectUnauthorized(verifier, `${h}.${p}.c2ln`);
      }),
      { numRuns: 200 },
    );
  });
});

describe('JwtVerifier token lifetime (JWT_MAX_TOKEN_AGE_SECONDS)', () => {
  const verifier = new JwtVerifier(HS256);

  it('accepts a token expiring within the bound, and refuses one expiring further out, as no guess', async () => {
    await expect(verifier.userIdOf(await sign({ sub: 'user-1', exp: now() + 3_500 }))).resolves.toBe(
      'user-1',
    );
    const error = await expectUnauthorized(
      verifier,
      await sign({ sub: 'user-1', exp: now() + 365 * 86_400 }),
    );
    expect(error.message).toBe('The token expires too far in the future (at most 3600 s from now)');
    expect(error).toBeInstanceOf(TokenNotCurrentError);
  });
});

describe('JwtVerifier clock tolerance', () => {
  const tolerant = new JwtVerifier({ ...HS256, clockToleranceSeconds: 30 });

  it('accepts exp and nbf within the tolerance (clocks drift)', async () => {
    await expect(tolerant.userIdOf(await sign({ sub: 'user-1', exp: now() - 10 }))).resolves.toBe('user-1');
    await expect(tolerant.userIdOf(await sign({ sub: 'user-1', nbf: now() + 10 }))).resolves.toBe('user-1');
  });

  it('refuses exp and nbf beyond the tolerance', async () => {
    const expired = await expectUnauthorized(tolerant, await sign({ sub: 'user-1', exp: now() - 60 }));
    expect(expired.message).toBe('The token has expired');
    await expectUnauthorized(tolerant, await sign({ sub: 'user-1', nbf: now() + 60 }));
  });
});

describe('JwtVerifier with issuer and audience', () => {
  const verifier = new JwtVerifier({ ...HS256, issuer: 'https://auth.example.com/', audience: 'discounts' });
  const good = { sub: 'user-1', iss: 'https://auth.example.com/', aud: 'discounts' };

  it('accepts the configured issuer and audience (also in an audience list)', async () => {
    await expect(verifier.userIdOf(await sign(good))).resolves.toBe('user-1');
    await expect(verifier.userIdOf(await sign({ ...good, aud: ['other', 'discounts'] }))).resolves.toBe(
      'user-1',
    );
  });

  it.each<[string, JWTPayload]>([
    ['a wrong issuer', { ...good, iss: 'https://evil.example.com/' }],
    ['no issuer', { sub: 'user-1', aud: 'discounts' }],
    ['a wrong audience', { ...good, aud: 'other-service' }],
    ['no audience', { sub: 'user-1', iss: 'https://auth.example.com/' }],
  ])('refuses %s', async (_, claims) => {
    const error = await expectUnauthorized(verifier, await sign(claims));
    expect(error.message).toBe('Invalid bearer token (ERR_JWT_CLAIM_VALIDATION_FAILED)');
  });

  it('ignores issuer and audience when they are not configured', async () => {
    const open = new JwtVerifier(HS256);
    await expect(open.userIdOf(await sign({ sub: 'user-1', iss: 'anyone', aud: 'anything' }))).resolves.toBe(
      'user-1',
    );
  });
});

describe('JwtVerifier configuration', () => {
  it('needs a secret or a JWKS URL', () => {
    expect(() => new JwtVerifier({ ...HS256, secret: undefined })).toThrow(
      'JwtVerifier needs a secret or a JWKS URL',
    );
  });

  it('prefers the secret when both are given (HS256 tokens verify)', async () => {
    const verifier = new JwtVerifier({ ...HS256, jwksUrl: 'https://auth.example.com/jwks.json' });
    await expect(verifier.userIdOf(await sign({ sub: 'user-1' }))).resolves.toBe('user-1');
  });
});

describe('JwtVerifier with a JWKS that cannot be fetched', () => {
  let server: Server;
  let answer: { status: number; body: string } = { status: 503, body: '{}' };
  let url: string;

  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(answer.status).end(answer.body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const token = async () => {
    const { privateKey } = await generateKeyPair('ES256');
    return new SignJWT({ sub: 'user-1', exp: now() + 60 })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .sign(privateKey);
  };

  it.each([
    ['answers 503', { status: 503, body: '{}' }],
    ['answers something that is not a key set', { status: 200, body: '{"keys": "none"}' }],
  ])('is service_unavailable, not a wrong token, when it %s', async (_what, given) => {
    answer = given;
    const error = await domainErrorOf(
      new JwtVerifier({ ...HS256, secret: undefined, jwksUrl: url }).userIdOf(await token()),
    );
    expect(error.code).toBe('service_unavailable');
  });

  it('is service_unavailable when nothing listens there', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const verifier = new JwtVerifier({
      ...HS256,
      secret: undefined,
      jwksUrl: `http://127.0.0.1:${port}/jwks.json`,
    });
    expect((await domainErrorOf(verifier.userIdOf(await token()))).code).toBe('service_unavailable');
  });

  it('is unauthorized when the keys are there and none matches the token', async () => {
    const { publicKey } = await generateKeyPair('ES256');
    answer = {
      status: 200,
      body: JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'other' }] }),
    };
    const error = await domainErrorOf(
      new JwtVerifier({ ...HS256, secret: undefined, jwksUrl: url }).userIdOf(await token()),
    );
    expect(error.code).toBe('unauthorized');
  });
});
