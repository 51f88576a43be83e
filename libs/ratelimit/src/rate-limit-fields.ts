import type { RatePolicy, TakeDecision } from './token-bucket';

/**
 * The RateLimit-Policy and RateLimit response fields of the IETF httpapi draft
 * (draft-ietf-httpapi-ratelimit-headers-11, §3 and §4): Structured Field lists whose members
 * are the policy's name as an sf-string with parameters, e.g.
 *
 *   RateLimit-Policy: "claimsPerUser";q=10;w=60
 *   RateLimit: "claimsPerUser";r=9;t=6
 *
 * q is the quota in requests, w its window in seconds; r what is left of it, t the seconds
 * within which the client can use no more than r (for a token bucket: until one more request
 * comes back). No pk (partition key): it would echo a hash of the user id or IP for nothing.
 */
export const RATELIMIT_POLICY_HEADER = 'ratelimit-policy';
export const RATELIMIT_HEADER = 'ratelimit';

/** An sf-string (RFC 9651 §3.3.3): printable ASCII, with `\` and `"` escaped. */
export function sfString(value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value))
    throw new Error(`Not a Structured Field string: ${JSON.stringify(value)}`);
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Whole seconds, rounded up as Retry-After is: a client waiting that long is not early. */
const wholeSeconds = (ms: number) => Math.ceil(ms / 1000);

/** The policy's member of RateLimit-Policy: `"<name>";q=<limit>;w=<window seconds>`. */
export function rateLimitPolicyItem(name: string, policy: RatePolicy): string {
  return `${sfString(name)};q=${policy.limit};w=${Math.max(1, wholeSeconds(policy.windowMs))}`;
}

/**
 * The policy's member of RateLimit after a decision: on a refusal r=0 and t the Retry-After
 * (at least 1 s, as rateLimitedError rounds it), so that Retry-After never points before the
 * end of the effective window (draft §6).
 */
export function rateLimitItem(name: string, decision: TakeDecision): string {
  const [remaining, seconds] = decision.allowed
    ? [decision.remaining, wholeSeconds(decision.refillMs)]
    : [0, Math.max(1, wholeSeconds(decision.retryAfterMs))];
  return `${sfString(name)};r=${remaining};t=${seconds}`;
}

/** A list field with one more member: routes limited by two policies name both (SF §3.1). */
export function withListMember(current: string | undefined, member: string): string {
  return current ? `${current}, ${member}` : member;
}
