import type { ExecutionContext } from '@nestjs/common';
import { DomainError } from '@app/contracts';
import type { BrandApiKeysRepository } from '@app/persistence';
import { AuthFailureLockout, MemoryCounterStore } from '@app/ratelimit';
import type { AuthOptions } from './auth-options';
import { AdminGuard, AUTH_FAILURES_PER_IP, BrandGuard } from './guards';

const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
const PUBLIC_PORT = 5001;
const ADMIN_PORT = 8081;

const lockout = () =>
  new AuthFailureLockout(
    {
      namespace: 'guards-spec',
      rates: {},
      lockouts: {
        [AUTH_FAILURES_PER_IP]: { maxFailures: 3, windowMs: 60_000, lockoutMs: 60_000, maxLockoutMs: 60_000 },
      },
      store: { timeoutMs: 500, retryAfterMs: 1_000 },
    },
    new MemoryCounterStore(),
  );

/** No brand has a key: only the admin token gets through BrandGuard here. */
const noBrands = { findByApiKeyHash: () => Promise.resolve(null) } as unknown as BrandApiKeysRepository;

function contextOf(token: string, localPort: number): ExecutionContext {
  const request = {
    headers: { authorization: `Bearer ${token}` },
    socket: { localPort },
    ip: '192.0.2.7',
    params: {},
  };
  return { switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
}

async function codeOf(attempt: Promise<boolean>): Promise<string> {
  try {
    await attempt;
    return 'ok';
  } catch (error) {
    return error instanceof DomainError ? error.code : String(error);
  }
}

describe.each([
  ['AdminGuard', (options: AuthOptions, l: AuthFailureLockout) => new AdminGuard(options, l)],
  ['BrandGuard', (options: AuthOptions, l: AuthFailureLockout) => new BrandGuard(options, noBrands, l)],
])('%s with an admin port', (_, guardOf) => {
  const options: AuthOptions = { adminToken: ADMIN_TOKEN, adminPort: ADMIN_PORT };

  it('takes the admin token on the admin port only', async () => {
    const guard = guardOf(options, lockout());
    expect(await codeOf(guard.canActivate(contextOf(ADMIN_TOKEN, ADMIN_PORT)))).toBe('ok');
    expect(await codeOf(guard.canActivate(contextOf(ADMIN_TOKEN, PUBLIC_PORT)))).toBe('admin_port_only');
  });

  it('does not count the admin token on the public port as a wrong credential', async () => {
    const guard = guardOf(options, lockout());
    for (let i = 0; i < 10; i++) {
      expect(await codeOf(guard.canActivate(contextOf(ADMIN_TOKEN, PUBLIC_PORT)))).toBe('admin_port_only');
    }
    expect(await codeOf(guard.canActivate(contextOf(ADMIN_TOKEN, ADMIN_PORT)))).toBe('ok');
  });

  it('still counts wrong tokens, on either port', async () => {
    const guard = guardOf(options, lockout());
    for (const port of [PUBLIC_PORT, ADMIN_PORT, PUBLIC_PORT]) {
      expect(await codeOf(guard.canActivate(contextOf(`${ADMIN_TOKEN}x`, port)))).toBe('unauthorized');
    }
    expect(await codeOf(guard.canActivate(contextOf(ADMIN_TOKEN, ADMIN_PORT)))).toBe('rate_limited');
  });

  it('takes the admin token on any port without an admin port', async () => {
    const guard = guardOf({ adminToken: ADMIN_TOKEN }, lockout());
    expect(await codeOf(guard.canActivate(contextOf(ADMIN_TOKEN, PUBLIC_PORT)))).toBe('ok');
  });
});
