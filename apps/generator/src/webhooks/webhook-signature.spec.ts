import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { signWebhook, verifyWebhookSignature } from './webhook-signature';

const secret = 'whsec-0123456789abcdefghijklmnop';
const body = '{"eventId":"0b5a2b8e-6a41-4d3c-9a57-5f1d0c1e2f3a","type":"code.claimed"}';
const timestamp = 1_714_566_896;

describe('signWebhook', () => {
  it('is v1= and the hex HMAC-SHA256 of "<timestamp>.<body>" (the documented scheme)', () => {
    const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
    expect(signWebhook(secret, timestamp, body)).toBe(`v1=${expected}`);
    expect(signWebhook(secret, timestamp, body)).toMatch(/^v1=[0-9a-f]{64}$/);
  });

  it('changes with the secret, the timestamp and every byte of the body', () => {
    const signature = signWebhook(secret, timestamp, body);
    expect(signWebhook(`${secret}x`, timestamp, body)).not.toBe(signature);
    expect(signWebhook(secret, timestamp + 1, body)).not.toBe(signature);
    expect(signWebhook(secret, timestamp, body.replace('claimed', 'claimeD'))).not.toBe(signature);
  });
});

describe('verifyWebhookSignature', () => {
  const header = { signature: signWebhook(secret, timestamp, body), timestamp: String(timestamp) };

  it('accepts the signed body within the tolerance', () => {
    expect(verifyWebhookSignature(secret, header, body, timestamp)).toBe(true);
    expect(verifyWebhookSignature(secret, header, body, timestamp + 300)).toBe(true);
    expect(verifyWebhookSignature(secret, header, body, timestamp - 300)).toBe(true);
  });

  it('rejects a tampered body, another secret, and a replay outside the window', () => {
    expect(
      verifyWebhookSignature(secret, header, body.replace('code.claimed', 'code.clained'), timestamp),
    ).toBe(false);
    expect(verifyWebhookSignature('another-secret-0123456789abc', header, body, timestamp)).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, timestamp + 301)).toBe(false);
  });

  it('rejects a timestamp swapped for a fresh one (it is inside the MAC)', () => {
    expect(
      verifyWebhookSignature(
        secret,
        { ...header, timestamp: String(timestamp + 100) },
        body,
        timestamp + 100,
      ),
    ).toBe(false);
  });

  it.each(['', 'abc', '1e9', '-1', '1714566896.5'])('rejects the timestamp header %j', (bad) => {
    expect(verifyWebhookSignature(secret, { ...header, timestamp: bad }, body, timestamp)).toBe(false);
  });

  it('rejects malformed signatures without throwing', () => {
    for (const signature of [
      '',
      'v1=',
      'v0=' + header.signature.slice(3),
      header.signature.slice(0, -1),
      header.signature + '0',
    ])
      expect(verifyWebhookSignature(secret, { ...header, signature }, body, timestamp)).toBe(false);
  });

  it('round-trips any body and secret', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string(),
        fc.integer({ min: 0, max: 999_999_999_999 }),
        (key, text, at) => {
          const signed = { signature: signWebhook(key, at, text), timestamp: String(at) };
          expect(verifyWebhookSignature(key, signed, text, at)).toBe(true);
        },
      ),
    );
  });
});
