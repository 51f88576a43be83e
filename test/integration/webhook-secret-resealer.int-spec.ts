/**
 * The generator's webhook secret resealer against the test stack's MongoDB (the FerretDB dev
 * server unless MONGODB_URI is set), driven by calling its run with a chosen `now`, never by its
 * timer: a replaced secret whose grace period is over is dropped even when no key rotated (what
 * docs/webhooks.md promises), one still in its grace period is kept (resealed only under a new
 * key), and current secrets move to the current key.
 */
import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import mongoose, { type Connection } from 'mongoose';
import { Brand, BrandSchema, BrandWebhookSecretsRepository } from '@app/persistence';
// The resealer is generator code; the integration tier runs it on a real server, with its
// repository only.
// eslint-disable-next-line no-restricted-imports
import { SecretBox } from '../../apps/generator/src/webhooks/secret-box';
// eslint-disable-next-line no-restricted-imports
import { WebhookSecretResealer } from '../../apps/generator/src/webhooks/webhook-secret-resealer';
import { mongodbUriFor } from '../support/stack';

const DB_NAME = `int_webhook_reseal_${randomBytes(4).toString('hex')}`;
const HOUR_MS = 3_600_000;
const now = new Date('2026-06-01T12:00:00Z');
const K1 = { id: 'k1', key: randomBytes(32) };
const K2 = { id: 'k2', key: randomBytes(32) };

let connection: Connection;
let brands: mongoose.Model<Brand>;

interface StoredWebhook {
  secret?: string;
  secretHint?: string;
  previousSecret?: string;
  previousSecretHint?: string;
  previousSecretExpiresAt?: Date;
}

beforeAll(async () => {
  // The resealer's summary lines would only clutter the output.
  Logger.overrideLogger(['error', 'fatal']);
  connection = await mongoose.createConnection(mongodbUriFor(DB_NAME), { maxPoolSize: 1 }).asPromise();
  brands = connection.model<Brand>(Brand.name, BrandSchema);
});

beforeEach(async () => {
  await brands.deleteMany({}).exec();
});

afterAll(async () => {
  await connection?.dropDatabase();
  await connection?.close();
});

/** A brand whose webhook holds `webhook` as stored, written past the schema as an older version would. */
async function brandWith(webhook: StoredWebhook): Promise<string> {
  const id = `brand-${randomBytes(4).toString('hex')}`;
  await connection
    .collection<{ _id: string; name: string; apiKeyHash: string; webhook: StoredWebhook & { url: string } }>(
      'brands',
    )
    .insertOne({
      _id: id,
      name: id,
      apiKeyHash: randomBytes(16).toString('hex'),
      webhook: { url: 'https://hooks.example/x', ...webhook },
    });
  return id;
}

async function webhookOf(id: string): Promise<StoredWebhook | undefined> {
  const doc = await connection
    .collection<{ _id: string; webhook?: StoredWebhook }>('brands')
    .findOne({ _id: id });
  return doc?.webhook;
}

const resealerWith = (box: SecretBox) =>
  new WebhookSecretResealer(new BrandWebhookSecretsRepository(brands), box);

/** A webhook rotated under `box`, its replaced secret ending at `expiresAt`. */
function rotatedUnder(box: SecretBox, expiresAt: Date): StoredWebhook {
  return {
    secret: box.seal('whsec_new_0123456789abcdef'),
    secretHint: 'cdef',
    previousSecret: box.seal('whsec_old_0123456789abcdef'),
    previousSecretHint: 'cdef',
    previousSecretExpiresAt: expiresAt,
  };
}

describe('with no key rotation (every value already under the current key)', () => {
  const box = new SecretBox([K1]);

  it('drops a replaced secret whose grace period is over, and keeps the current one as it is', async () => {
    const expired = rotatedUnder(box, new Date(now.getTime() - 1));
    const id = await brandWith(expired);
    expect(await resealerWith(box).reseal(now)).toEqual({ resealed: 0, dropped: 1 });
    const stored = await webhookOf(id);
    expect(stored).not.toHaveProperty('previousSecret');
    expect(stored).not.toHaveProperty('previousSecretHint');
    expect(stored).not.toHaveProperty('previousSecretExpiresAt');
    expect(stored).toMatchObject({ secret: expired.secret, secretHint: 'cdef' });
  });

  it('drops it at the very end of its grace period (signing stops there too)', async () => {
    const id = await brandWith(rotatedUnder(box, now));
    expect(await resealerWith(box).reseal(now)).toEqual({ resealed: 0, dropped: 1 });
    expect(await webhookOf(id)).not.toHaveProperty('previousSecret');
  });

  it('keeps a replaced secret still in its grace period, untouched', async () => {
    const inGrace = rotatedUnder(box, new Date(now.getTime() + HOUR_MS));
    const id = await brandWith(inGrace);
    expect(await resealerWith(box).reseal(now)).toEqual({ resealed: 0, dropped: 0 });
    expect(await webhookOf(id)).toMatchObject(inGrace);
  });
});

describe('after a key rotation (a new key listed first)', () => {
  const before = new SecretBox([K1]);
  const after = new SecretBox([K2, K1]);

  it('reseals current and in-grace replaced secrets under the new key, and drops expired ones', async () => {
    const inGrace = await brandWith(rotatedUnder(before, new Date(now.getTime() + HOUR_MS)));
    const expired = await brandWith(rotatedUnder(before, new Date(now.getTime() - HOUR_MS)));
    expect(await resealerWith(after).reseal(now)).toEqual({ resealed: 3, dropped: 1 });
    const kept = await webhookOf(inGrace);
    expect(kept?.secret).toMatch(/^v1\.k2\./);
    expect(kept?.previousSecret).toMatch(/^v1\.k2\./);
    expect(after.open(kept!.previousSecret!)).toBe('whsec_old_0123456789abcdef');
    const dropped = await webhookOf(expired);
    expect(dropped?.secret).toMatch(/^v1\.k2\./);
    expect(dropped).not.toHaveProperty('previousSecret');
    // A second run finds nothing left to do.
    expect(await resealerWith(after).reseal(now)).toEqual({ resealed: 0, dropped: 0 });
  });

  it('drops an expired replaced secret even when no listed key opens it any more', async () => {
    const newOnly = new SecretBox([K2]);
    const id = await brandWith({
      ...rotatedUnder(before, new Date(now.getTime() - 1)),
      secret: newOnly.seal('whsec_new_0123456789abcdef'),
    });
    expect(await resealerWith(newOnly).reseal(now)).toEqual({ resealed: 0, dropped: 1 });
    expect(await webhookOf(id)).not.toHaveProperty('previousSecret');
  });

  it('skips a secret no listed key opens and reseals the other brands all the same', async () => {
    const lost = new SecretBox([{ id: 'gone', key: randomBytes(32) }]);
    const unopenable = await brandWith({
      secret: lost.seal('whsec_lost_0123456789abcdef'),
      secretHint: 'cdef',
    });
    const fine = await brandWith({ secret: before.seal('whsec_fine_0123456789abcdef'), secretHint: 'cdef' });
    expect(await resealerWith(after).reseal(now)).toEqual({ resealed: 1, dropped: 0 });
    expect((await webhookOf(fine))?.secret).toMatch(/^v1\.k2\./);
    expect((await webhookOf(unopenable))?.secret).toMatch(/^v1\.gone\./);
  });
});
