import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { WEBHOOK_SECRET_PATTERN } from '../brands/brand.dto';
import {
  generateWebhookSecret,
  signStandardWebhook,
  webhookSecretFormat,
  webhookSigningKey,
} from './standard-webhook-signature';

/*
 * Checked against npm `standardwebhooks` itself, the library brands verify with: whatever this
 * signer produces must verify there, with the secret as the brand holds it.
 */

const WHSEC = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
const WHSEC_NEXT = `whsec_${randomBytes(32).toString('base64')}`;
/** A secret of the kind brands chose before the convention: any printable ASCII. */
const RAW = 'brand-chosen/secret+0123456789=abc';
/** `whsec_` but not base64 (the README's old example looked like this): keyed as raw bytes. */
const WHSEC_NOT_BASE64 = 'whsec_example_0123456789abcdef';
const id = '0b5a2b8e-6a41-4d3c-9a57-5f1d0c1e2f3a';
const body = '{"eventId":"0b5a2b8e-6a41-4d3c-9a57-5f1d0c1e2f3a","type":"code.claimed","code":"Ü-7U7I"}';

const now = () => Math.floor(Date.now() / 1000);
const headersOf = (signature: string, timestamp: number) => ({
  'webhook-id': id,
  'webhook-timestamp': String(timestamp),
  'webhook-signature': signature,
});
/** What a receiver does: the library's verify, which throws on any mismatch. */
function verifies(receiver: Webhook, signature: string, timestamp = now(), payload = body): boolean {
  try {
    receiver.verify(payload, headersOf(signature, timestamp));
    return true;
  } catch {
    return false;
  }
}

describe('signStandardWebhook', () => {
  it('is what the standardwebhooks library signs, for a whsec_ secret', () => {
    const timestamp = 1_714_566_896;
    expect(signStandardWebhook([WHSEC], id, timestamp, body)).toBe(
      new Webhook(WHSEC).sign(id, new Date(timestamp * 1000), body),
    );
    expect(signStandardWebhook([WHSEC], id, timestamp, body)).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  });

  it('verifies with `new Webhook(secret)` for a whsec_ secret, and not after any change', () => {
    const timestamp = now();
    const signature = signStandardWebhook([WHSEC], id, timestamp, body);
    expect(verifies(new Webhook(WHSEC), signature, timestamp)).toBe(true);
    expect(verifies(new Webhook(WHSEC), signature, timestamp, body.replace('7U7I', '7U7J'))).toBe(false);
    expect(verifies(new Webhook(WHSEC), signature, timestamp + 1)).toBe(false);
    expect(verifies(new Webhook(WHSEC_NEXT), signature, timestamp)).toBe(false);
    // The id is inside the MAC: a delivery cannot be passed off as another event.
    expect(() =>
      new Webhook(WHSEC).verify(body, { ...headersOf(signature, timestamp), 'webhook-id': `${id}x` }),
    ).toThrow();
  });

  it('verifies with the raw-key option for a secret that is not whsec_ (its own bytes are the key)', () => {
    const timestamp = now();
    for (const secret of [RAW, WHSEC_NOT_BASE64]) {
      const signature = signStandardWebhook([secret], id, timestamp, body);
      expect(webhookSecretFormat(secret)).toBe('raw');
      expect(verifies(new Webhook(secret, { format: 'raw' }), signature, timestamp)).toBe(true);
      expect(
        verifies(new Webhook(Buffer.from(secret, 'utf8'), { format: 'raw' }), signature, timestamp),
      ).toBe(true);
    }
  });

  it('carries one signature per secret during a rotation: either secret verifies, no other does', () => {
    const timestamp = now();
    const header = signStandardWebhook([WHSEC_NEXT, RAW], id, timestamp, body);
    expect(header.split(' ')).toHaveLength(2);
    expect(header).toMatch(/^v1,\S+ v1,\S+$/);
    expect(verifies(new Webhook(WHSEC_NEXT), header, timestamp)).toBe(true);
    expect(verifies(new Webhook(RAW, { format: 'raw' }), header, timestamp)).toBe(true);
    expect(verifies(new Webhook(WHSEC), header, timestamp)).toBe(false);
    // The current secret's signature comes first.
    expect(header.split(' ')[0]).toBe(signStandardWebhook([WHSEC_NEXT], id, timestamp, body));
  });

  it('refuses to sign without a secret', () => {
    expect(() => signStandardWebhook([], id, now(), body)).toThrow('at least one secret');
  });

  it('matches the library for any whsec_ key and any body', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 24, maxLength: 64 }),
        fc.string(),
        fc.integer({ min: 0, max: 9_999_999_999 }),
        (key, text, at) => {
          const secret = `whsec_${Buffer.from(key).toString('base64')}`;
          expect(signStandardWebhook([secret], id, at, text)).toBe(
            new Webhook(secret).sign(id, new Date(at * 1000), text),
          );
        },
      ),
    );
  });
});

describe('webhookSecretFormat / webhookSigningKey', () => {
  it('keys whsec_<base64> with the decoded bytes, anything else with its own bytes', () => {
    expect(webhookSecretFormat(WHSEC)).toBe('whsec');
    expect(webhookSigningKey(WHSEC).toString('utf8')).toBe('0123456789abcdef0123456789abcdef');
    expect(webhookSigningKey(RAW)).toEqual(Buffer.from(RAW, 'utf8'));
    expect(webhookSecretFormat('whsec-0123456789abcdefghijklmnop')).toBe('raw');
  });

  it('reads as whsec only secrets the library decodes to the same key', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'AZaz09+/=_-.'.split('')), minLength: 1, maxLength: 40 }),
        (rest) => {
          const secret = `whsec_${rest}`;
          if (webhookSecretFormat(secret) !== 'whsec') return;
          const at = new Date(1_714_566_896_000);
          expect(signStandardWebhook([secret], id, at.getTime() / 1000, body)).toBe(
            new Webhook(secret).sign(id, at, body),
          );
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('reads whsec_ followed by anything but canonical base64 as raw, although the library may decode some', () => {
    // The JS library decodes "AAAAA" leniently (ignoring the fifth character); decoders in other
    // languages refuse it or read it otherwise. Only canonical base64 means the same everywhere.
    for (const secret of [
      'whsec_AAAAAAAAAAAAAAAAAAAAAAAAA',
      'whsec_AAAA AAAA',
      'whsec_AAAA=AAA',
      'whsec_AA-_AAAA',
    ])
      expect(webhookSecretFormat(secret)).toBe('raw');
    for (const secret of [
      'whsec_AAAAAAAAAAAAAAAAAAAAAAAA',
      'whsec_AAAAAAAAAAAAAAAAAAAAAA==',
      'whsec_AAAAAAAAAAAAAAAAAAAAAAA=',
    ])
      expect(webhookSecretFormat(secret)).toBe('whsec');
  });
});

describe('generateWebhookSecret', () => {
  it('makes a whsec_ secret of 32 random bytes that the API accepts and the library verifies', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(WEBHOOK_SECRET_PATTERN);
    expect(webhookSecretFormat(secret)).toBe('whsec');
    expect(webhookSigningKey(secret)).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
    const timestamp = now();
    expect(verifies(new Webhook(secret), signStandardWebhook([secret], id, timestamp, body), timestamp)).toBe(
      true,
    );
  });
});
