import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { SecretBox } from './secret-box';

const key = (id: string) => ({ id, key: randomBytes(32) });

describe('SecretBox', () => {
  const k1 = key('k1');
  const box = new SecretBox([k1]);

  it('opens what it sealed, and the stored value shows nothing of the secret', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 24, maxLength: 256 }), (secret) => {
        const sealed = box.seal(secret);
        expect(box.open(sealed)).toBe(secret);
        expect(sealed).not.toContain(secret);
        expect(sealed.startsWith('v1.k1.')).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('seals the same secret differently each time (a fresh IV)', () => {
    expect(box.seal('whsec_same_0123456789abcdefghij')).not.toBe(box.seal('whsec_same_0123456789abcdefghij'));
  });

  it('refuses a value whose ciphertext, tag or key id was changed', () => {
    const [v, id, iv, tag, ct] = box.seal('whsec_tamper_0123456789abcdefghij').split('.');
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    expect(() => box.open([v, id, iv, tag, flip(ct!)].join('.'))).toThrow();
    expect(() => box.open([v, id, iv, flip(tag!), ct].join('.'))).toThrow();
    const twoKeys = new SecretBox([k1, key('k2')]);
    expect(() => twoKeys.open([v, 'k2', iv, tag, ct].join('.'))).toThrow();
  });

  it('after a rotation seals under the new key and still opens the old key’s values', () => {
    const old = box.seal('whsec_rotate_0123456789abcdefghij');
    const rotated = new SecretBox([key('k2'), k1]);
    expect(rotated.open(old)).toBe('whsec_rotate_0123456789abcdefghij');
    expect(rotated.isCurrent(old)).toBe(false);
    expect(rotated.isCurrent(rotated.seal('x'.repeat(24)))).toBe(true);
  });

  it('says which key is missing when a value was sealed with a key no longer listed', () => {
    expect(() => new SecretBox([key('k3')]).open(box.seal('whsec_lost_0123456789abcdefghij'))).toThrow(
      'sealed with key "k1"',
    );
  });

  it('returns a value stored before encryption as it is (the resealer then seals it)', () => {
    expect(box.open('whsec_plain_0123456789abcdefghij')).toBe('whsec_plain_0123456789abcdefghij');
    expect(box.isCurrent('whsec_plain_0123456789abcdefghij')).toBe(false);
  });
});
