import { hashedKey } from './hashed-key';
import { KnownLockouts } from './known-lockouts';

describe('KnownLockouts', () => {
  let now = 1_000_000;
  const clock = () => now;

  it('knows a lockout until it ends, per policy and key', () => {
    const known = new KnownLockouts(10, clock);
    known.note('ip', '10.0.0.1', now + 5_000);
    expect(known.retryAfterMs('ip', '10.0.0.1')).toBe(5_000);
    expect(known.retryAfterMs('ip', '10.0.0.2')).toBe(0);
    expect(known.retryAfterMs('user-ip', '10.0.0.1')).toBe(0);
    now += 5_000;
    expect(known.retryAfterMs('ip', '10.0.0.1')).toBe(0);
    expect(known.size).toBe(0);
  });

  it('takes states by hashed key (as the watch sees them) and forgets cleared ones', () => {
    const known = new KnownLockouts(10, clock);
    known.noteHashed('ip', hashedKey('10.0.0.3'), now + 1_000);
    expect(known.retryAfterMs('ip', '10.0.0.3')).toBe(1_000);
    known.note('ip', '10.0.0.3', 0);
    expect(known.retryAfterMs('ip', '10.0.0.3')).toBe(0);
    expect(known.size).toBe(0);
  });

  it('keeps at most maxEntries, the least recently noted going first', () => {
    const known = new KnownLockouts(3, clock);
    for (let i = 0; i < 5; i++) known.note('ip', `10.0.1.${i}`, now + 60_000);
    expect(known.size).toBe(3);
    expect(known.retryAfterMs('ip', '10.0.1.1')).toBe(0);
    expect(known.retryAfterMs('ip', '10.0.1.4')).toBe(60_000);
  });

  it('tells when it learns of a lockout, once per lockout', () => {
    const learned: string[] = [];
    const known = new KnownLockouts(10, clock, (policy) => learned.push(policy));
    known.note('ip', '10.0.2.1', now + 1_000);
    known.note('ip', '10.0.2.1', now + 1_000);
    known.note('user-ip', '10.0.2.1', now + 1_000);
    known.note('ip', '10.0.2.2', 0);
    expect(learned).toEqual(['ip', 'user-ip']);
    now += 1_000;
    known.note('ip', '10.0.2.1', now + 2_000);
    expect(learned).toEqual(['ip', 'user-ip', 'ip']);
  });
});
