import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { SecretBox } from './secret-box';
import { isInGrace, WebhookSecrets } from './webhook-secrets';

const HOUR_MS = 3_600_000;
const box = new SecretBox([{ id: 'k1', key: randomBytes(32) }]);
const secrets = new WebhookSecrets(box, { secretRotationGraceMs: HOUR_MS });
const OLD = 'whsec_old_0123456789abcdefghijklm';
const NEW = `whsec_${randomBytes(32).toString('base64')}`;
const at = new Date('2026-01-01T00:00:00Z');

describe('WebhookSecrets', () => {
  it('seals a new secret and keeps its last four characters as the hint', () => {
    const stored = secrets.sealed(OLD);
    expect(stored.secret).not.toContain(OLD);
    expect(box.open(stored.secret)).toBe(OLD);
    expect(stored).toMatchObject({ secretHint: 'ijklm'.slice(-4) });
    expect(stored).not.toHaveProperty('previousSecret');
  });

  it('keeps the replaced secret, sealed, until the grace period ends, and signs with both meanwhile', () => {
    const rotated = secrets.rotated(secrets.sealed(OLD), NEW, at);
    expect(box.open(rotated.secret)).toBe(NEW);
    expect(box.open(rotated.previousSecret!)).toBe(OLD);
    expect(rotated).toMatchObject({
      secretHint: NEW.slice(-4),
      previousSecretHint: OLD.slice(-4),
      previousSecretExpiresAt: new Date(at.getTime() + HOUR_MS),
    });
    expect(secrets.signingSecrets(rotated, at)).toEqual([NEW, OLD]);
    expect(secrets.signingSecrets(rotated, new Date(at.getTime() + HOUR_MS - 1))).toEqual([NEW, OLD]);
    // From the expiry on, the new secret alone.
    expect(secrets.signingSecrets(rotated, new Date(at.getTime() + HOUR_MS))).toEqual([NEW]);
    expect(isInGrace(rotated, new Date(at.getTime() + HOUR_MS))).toBe(false);
  });

  it('reseals a replaced secret stored before sealing existed: it is not kept in clear', () => {
    const rotated = secrets.rotated({ secret: OLD }, NEW, at);
    expect(rotated.previousSecret).not.toContain(OLD);
    expect(box.open(rotated.previousSecret!)).toBe(OLD);
    expect(rotated.previousSecretHint).toBe(OLD.slice(-4));
  });

  it('keeps one replaced secret: a second rotation ends the first one’s grace period', () => {
    const third = 'a-third-secret-0123456789abcdefgh';
    const twice = secrets.rotated(secrets.rotated(secrets.sealed(OLD), NEW, at), third, at);
    expect(secrets.signingSecrets(twice, at)).toEqual([third, NEW]);
  });

  it('changes nothing when the secret set is the one the webhook has', () => {
    const rotated = secrets.rotated(secrets.sealed(OLD), NEW, at);
    expect(secrets.rotated(rotated, NEW, new Date(at.getTime() + 1_000))).toStrictEqual(rotated);
  });

  it('keeps no replaced secret when the grace period is 0', () => {
    const noGrace = new WebhookSecrets(box, { secretRotationGraceMs: 0 });
    const rotated = noGrace.rotated(noGrace.sealed(OLD), NEW, at);
    expect(rotated).not.toHaveProperty('previousSecret');
    expect(noGrace.signingSecrets(rotated, at)).toEqual([NEW]);
  });

  describe('a stored secret that can no longer be opened (its key left WEBHOOK_SECRET_KEYS)', () => {
    // The same stored values, read by a generator whose only key is a new one.
    const newKeyOnly = new SecretBox([{ id: 'k2', key: randomBytes(32) }]);
    const afterKeyLoss = new WebhookSecrets(newKeyOnly, { secretRotationGraceMs: HOUR_MS });
    let warnings: string[];

    beforeEach(() => {
      warnings = [];
      jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => {
        warnings.push(String(message));
      });
    });

    afterEach(() => {
      jest.restoreAllMocks();
    });

    it('still lets the brand set a new secret: the lost one is replaced, not kept', () => {
      const rotated = afterKeyLoss.rotated(secrets.sealed(OLD), NEW, at);
      expect(newKeyOnly.open(rotated.secret)).toBe(NEW);
      expect(rotated).not.toHaveProperty('previousSecret');
      expect(rotated).not.toHaveProperty('previousSecretExpiresAt');
      expect(afterKeyLoss.signingSecrets(rotated, at)).toEqual([NEW]);
      expect(warnings).toEqual([expect.stringContaining('"k1"')]);
      for (const warning of warnings) expect(warning).not.toContain(NEW);
    });

    it('signs with the current secret alone when the replaced one cannot be opened', () => {
      const rotated = secrets.rotated(secrets.sealed(OLD), NEW, at);
      const current = { ...rotated, secret: newKeyOnly.seal(NEW) };
      expect(afterKeyLoss.signingSecrets(current, at)).toEqual([NEW]);
      expect(warnings).toEqual([expect.stringContaining('replaced secret')]);
      for (const warning of warnings) expect(warning).not.toContain(OLD);
    });

    it('leaves out a replaced secret that fails authentication too', () => {
      const rotated = secrets.rotated(secrets.sealed(OLD), NEW, at);
      const [version, keyId, iv, , ciphertext] = rotated.previousSecret!.split('.');
      const forgedTag = randomBytes(16).toString('base64url');
      const tampered = { ...rotated, previousSecret: [version, keyId, iv, forgedTag, ciphertext].join('.') };
      expect(secrets.signingSecrets(tampered, at)).toEqual([NEW]);
      expect(warnings).toHaveLength(1);
    });
  });
});
