import { rateLimitItem, rateLimitPolicyItem, sfString, withListMember } from './rate-limit-fields';
import { takeToken } from './token-bucket';

describe('RateLimit header fields (draft-ietf-httpapi-ratelimit-headers-11)', () => {
  it('describes a policy by quota and window in seconds', () => {
    expect(rateLimitPolicyItem('claimsPerUser', { limit: 10, windowMs: 60_000 })).toBe(
      '"claimsPerUser";q=10;w=60',
    );
    expect(rateLimitPolicyItem('legacyPerIp', { limit: 6000, windowMs: 3_600_000 })).toBe(
      '"legacyPerIp";q=6000;w=3600',
    );
  });

  it('states what is left and until when after an admission', () => {
    const { decision } = takeToken(undefined, 1_000_000, { limit: 10, windowMs: 60_000 });
    expect(rateLimitItem('claimsPerUser', decision)).toBe('"claimsPerUser";r=9;t=6');
    expect(rateLimitItem('p', { allowed: true, remaining: 0, refillMs: 1_500.25 })).toBe('"p";r=0;t=2');
  });

  it('states r=0 and the Retry-After on a refusal, never t=0', () => {
    expect(rateLimitItem('p', { allowed: false, retryAfterMs: 19_001 })).toBe('"p";r=0;t=20');
    expect(rateLimitItem('p', { allowed: false, retryAfterMs: 3 })).toBe('"p";r=0;t=1');
  });

  it('serializes names as Structured Field strings and refuses what cannot be one', () => {
    expect(sfString('a "b" \\c')).toBe('"a \\"b\\" \\\\c"');
    expect(() => sfString('naïve')).toThrow(/Structured Field/);
    expect(() => sfString('line\nbreak')).toThrow(/Structured Field/);
  });

  it('joins the members of two policies into one list', () => {
    expect(withListMember(undefined, '"a";r=1;t=2')).toBe('"a";r=1;t=2');
    expect(withListMember('"a";r=1;t=2', '"b";r=0;t=5')).toBe('"a";r=1;t=2, "b";r=0;t=5');
  });
});
