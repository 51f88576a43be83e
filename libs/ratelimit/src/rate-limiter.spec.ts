import { DomainError } from '@app/contracts';
import { RateLedger } from './rate-ledger';
import type { RateLimitOptions } from './rate-limit-options';
import { RateLimiter } from './rate-limiter';

const T0 = 1_700_000_000_000;

function limiter(now: { t: number }): RateLimiter {
  const rates = { claims: { limit: 2, windowMs: 60_000 }, off: null };
  const options: RateLimitOptions = {
    namespace: 'test',
    rates,
    lockouts: {},
    store: { timeoutMs: 100, retryAfterMs: 1_000 },
  };
  return new RateLimiter(options, new RateLedger(rates, { clock: () => now.t }));
}

describe('RateLimiter.decide', () => {
  it('gives the response fields of every counted request, and the refusal over the limit', () => {
    const now = { t: T0 };
    const limits = limiter(now);
    expect(limits.decide('claims', 'u1')).toStrictEqual({
      policyField: '"claims";q=2;w=60',
      limitField: '"claims";r=1;t=30',
      refusal: undefined,
    });
    now.t += 10_000;
    expect(limits.decide('claims', 'u1')?.limitField).toBe('"claims";r=0;t=20');
    const over = limits.decide('claims', 'u1');
    expect(over?.limitField).toBe('"claims";r=0;t=20');
    expect(over?.refusal).toBeInstanceOf(DomainError);
    expect(over?.refusal).toMatchObject({ code: 'rate_limited', details: { retryAfterSeconds: 20 } });
    expect(() => limits.take('claims', 'u1')).toThrow(/Too many requests \(claims\)/);
    expect(limits.decide('claims', 'u2')?.refusal).toBeUndefined();
  });

  it('gives nothing for a policy that is switched off', () => {
    expect(limiter({ t: T0 }).decide('off', 'u1')).toBeUndefined();
  });
});
