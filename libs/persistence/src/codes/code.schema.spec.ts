import fc from 'fast-check';
import { ID_PATTERN } from '@app/contracts';
import {
  CodeSchema,
  EXPIRY_INDEX,
  LIFECYCLE_OUTBOX_INDEX,
  OUTBOX_INDEX,
  SLOT_RANGE,
  unclaimedHolder,
} from './code.schema';

describe('unclaimedHolder', () => {
  it('marks a code with "#", which no user id can contain', () => {
    expect(unclaimedHolder('7U7I845L')).toBe('#7U7I845L');
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64 }), (code) => {
        expect(ID_PATTERN.test(unclaimedHolder(code))).toBe(false);
      }),
    );
  });

  it('differs per code, so many unclaimed codes fit the unique {brandId, holder} index', () => {
    expect(unclaimedHolder('A')).not.toBe(unclaimedHolder('B'));
  });
});

describe('CodeSchema', () => {
  it('declares the unique and claim indexes', () => {
    const indexes = CodeSchema.indexes().map(([fields, options]) => ({
      fields,
      unique: options?.unique === true,
    }));
    expect(indexes).toEqual(
      expect.arrayContaining([
        { fields: { brandId: 1, code: 1 }, unique: true },
        { fields: { brandId: 1, holder: 1 }, unique: true },
        { fields: { brandId: 1, status: 1, campaignId: 1, slot: 1 }, unique: false },
      ]),
    );
  });

  it('every index but the periodic cross-brand scans (outboxes, expiry sweep) starts with brandId (the intended shard-key prefix)', () => {
    const scans = [OUTBOX_INDEX, LIFECYCLE_OUTBOX_INDEX, EXPIRY_INDEX].map((fields) =>
      JSON.stringify(fields),
    );
    const indexes = CodeSchema.indexes().filter(([fields]) => !scans.includes(JSON.stringify(fields)));
    expect(indexes).toHaveLength(CodeSchema.indexes().length - 3);
    for (const [fields] of indexes) expect(Object.keys(fields)[0]).toBe('brandId');
  });

  it('indexes the outbox sparsely: only pending claims carry eventPending', () => {
    const outbox = CodeSchema.indexes().find(
      ([fields]) => JSON.stringify(fields) === JSON.stringify(OUTBOX_INDEX),
    );
    expect(outbox?.[1]).toMatchObject({ sparse: true });
    expect(Object.keys(OUTBOX_INDEX)).toEqual(['eventPending', 'claimedAt']);
  });

  it('indexes the lifecycle outbox sparsely: only codes with pending redemption events carry its field', () => {
    const outbox = CodeSchema.indexes().find(
      ([fields]) => JSON.stringify(fields) === JSON.stringify(LIFECYCLE_OUTBOX_INDEX),
    );
    expect(outbox?.[1]).toMatchObject({ sparse: true });
    expect(Object.keys(LIFECYCLE_OUTBOX_INDEX)).toEqual(['lifecycleEventsPending']);
  });

  it('indexes what the expiry sweep looks for: a status, then the expiry', () => {
    expect(Object.keys(EXPIRY_INDEX)).toEqual(['status', 'expiresAt']);
  });

  it('uses a slot range that fits a signed 32-bit integer', () => {
    expect(SLOT_RANGE).toBe(2 ** 31);
    expect(Number.isSafeInteger(SLOT_RANGE - 1)).toBe(true);
  });
});
