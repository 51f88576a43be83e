import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { COMMAND_SUBJECT_PREFIX, COMMANDS, EVENT_SUBJECT_PREFIX, EVENTS_STREAM, SUBJECTS } from '../subjects';
import {
  codeClaimedV1Schema,
  codesGeneratedV1Schema,
  EVENT_SCHEMAS,
  poolLowEventId,
  poolLowV1Schema,
  type CodeClaimedV1,
  type CodesGeneratedV1,
  type PoolLowV1,
} from '.';

const claimed: CodeClaimedV1 = {
  eventId: '0b5a2b8e-6a41-4d3c-9a57-5f1d0c1e2f3a',
  type: 'code.claimed',
  version: 1,
  brandId: 'acme',
  code: '7U7I845L',
  userId: 'user-1',
  claimedAt: '2024-05-01T12:34:56.789Z',
};

const generated: CodesGeneratedV1 = {
  eventId: randomUUID(),
  type: 'codes.generated',
  version: 1,
  brandId: 'acme',
  batchId: randomUUID(),
  count: 100,
  generatedAt: '2024-05-01T12:34:56Z',
};

const BAD_UUIDS = [
  '',
  'not-a-uuid',
  '0b5a2b8e6a414d3c9a575f1d0c1e2f3a',
  '0b5a2b8e-6a41-4d3c-9a57-5f1d0c1e2f3',
  'zb5a2b8e-6a41-4d3c-9a57-5f1d0c1e2f3a',
  42,
];
const BAD_DATETIMES = [
  '',
  'yesterday',
  '2024-05-01',
  '2024-13-01T00:00:00Z',
  '2024-05-01 12:34:56Z',
  '12:34:56',
  1714566896789,
];
const BAD_IDS = ['', '-acme', '#acme', 'ac me', 'a/b', 'a'.repeat(65), 'ácme', 1];

describe('code.claimed v1', () => {
  it('accepts a valid payload and returns it unchanged', () => {
    expect(codeClaimedV1Schema.parse(claimed)).toStrictEqual(claimed);
  });

  it('accepts a fresh randomUUID and a Date#toISOString', () => {
    const payload = { ...claimed, eventId: randomUUID(), claimedAt: new Date().toISOString() };
    expect(codeClaimedV1Schema.safeParse(payload).success).toBe(true);
  });

  it('rejects extra fields (strict)', () => {
    expect(codeClaimedV1Schema.safeParse({ ...claimed, secret: 'x' }).success).toBe(false);
  });

  it.each(Object.keys(claimed))('rejects a payload without %s', (field) => {
    const { [field as keyof CodeClaimedV1]: _, ...rest } = claimed;
    expect(codeClaimedV1Schema.safeParse(rest).success).toBe(false);
  });

  it.each<[string, Partial<Record<keyof CodeClaimedV1, unknown>>]>([
    ['version as a string', { version: '1' }],
    ['version 2', { version: 2 }],
    ['another type', { type: 'codes.generated' }],
    ['a numeric code', { code: 1234 }],
    ['an empty code', { code: '' }],
    ['a code of 65 characters', { code: 'C'.repeat(65) }],
    ['a null userId', { userId: null }],
    ['a Date object for claimedAt', { claimedAt: new Date() }],
  ])('rejects %s', (_, change) => {
    expect(codeClaimedV1Schema.safeParse({ ...claimed, ...change }).success).toBe(false);
  });

  it.each(BAD_UUIDS)('rejects the eventId %j', (eventId) => {
    expect(codeClaimedV1Schema.safeParse({ ...claimed, eventId }).success).toBe(false);
  });

  it.each(BAD_DATETIMES)('rejects the claimedAt %j', (claimedAt) => {
    expect(codeClaimedV1Schema.safeParse({ ...claimed, claimedAt }).success).toBe(false);
  });

  it.each(BAD_IDS)('rejects the brandId and userId %j', (id) => {
    expect(codeClaimedV1Schema.safeParse({ ...claimed, brandId: id }).success).toBe(false);
    expect(codeClaimedV1Schema.safeParse({ ...claimed, userId: id }).success).toBe(false);
  });

  it.each([null, undefined, 'string', 42, [], [claimed]])('rejects the non-object %j', (value) => {
    expect(codeClaimedV1Schema.safeParse(value).success).toBe(false);
  });
});

describe('codes.generated v1', () => {
  it('accepts a valid payload and returns it unchanged', () => {
    expect(codesGeneratedV1Schema.parse(generated)).toStrictEqual(generated);
  });

  it('rejects extra fields (strict)', () => {
    expect(codesGeneratedV1Schema.safeParse({ ...generated, codes: ['A'] }).success).toBe(false);
  });

  it.each(Object.keys(generated))('rejects a payload without %s', (field) => {
    const { [field as keyof CodesGeneratedV1]: _, ...rest } = generated;
    expect(codesGeneratedV1Schema.safeParse(rest).success).toBe(false);
  });

  it.each<[string, Partial<Record<keyof CodesGeneratedV1, unknown>>]>([
    ['count as a string', { count: '100' }],
    ['a count of 0', { count: 0 }],
    ['a negative count', { count: -1 }],
    ['a fractional count', { count: 1.5 }],
    ['a NaN count', { count: Number.NaN }],
    ['an infinite count', { count: Number.POSITIVE_INFINITY }],
    ['an empty batchId', { batchId: '' }],
    ['a batchId of 65 characters', { batchId: 'b'.repeat(65) }],
    ['version 2', { version: 2 }],
    ['another type', { type: 'code.claimed' }],
  ])('rejects %s', (_, change) => {
    expect(codesGeneratedV1Schema.safeParse({ ...generated, ...change }).success).toBe(false);
  });

  it.each(BAD_UUIDS)('rejects the eventId %j', (eventId) => {
    expect(codesGeneratedV1Schema.safeParse({ ...generated, eventId }).success).toBe(false);
  });

  it.each(BAD_DATETIMES)('rejects the generatedAt %j', (generatedAt) => {
    expect(codesGeneratedV1Schema.safeParse({ ...generated, generatedAt }).success).toBe(false);
  });

  it('accepts any positive integer count and any ISO instant', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (count, at) => {
          expect(
            codesGeneratedV1Schema.safeParse({ ...generated, count, generatedAt: at.toISOString() }).success,
          ).toBe(true);
        },
      ),
    );
  });
});

describe('pool.low v1', () => {
  const low: PoolLowV1 = {
    eventId: poolLowEventId('acme', new Date('2024-05-01T12:00:00Z'), 300_000),
    type: 'pool.low',
    version: 1,
    brandId: 'acme',
    available: 7,
    threshold: 10,
    detectedAt: '2024-05-01T12:00:00.000Z',
  };

  it('accepts a valid payload (with a derived event id) and returns it unchanged', () => {
    expect(poolLowV1Schema.parse(low)).toStrictEqual(low);
  });

  it.each<[string, Partial<Record<keyof PoolLowV1, unknown>>]>([
    ['a negative available', { available: -1 }],
    ['a fractional available', { available: 1.5 }],
    ['a threshold of 0', { threshold: 0 }],
    ['another type', { type: 'code.claimed' }],
    ['version 2', { version: 2 }],
    ['a bad detectedAt', { detectedAt: 'now' }],
    ['an extra field', { codes: [] } as never],
  ])('rejects %s', (_, change) => {
    expect(poolLowV1Schema.safeParse({ ...low, ...change }).success).toBe(false);
  });
});

describe('poolLowEventId', () => {
  const window = 300_000;
  const at = new Date('2024-05-01T12:01:00Z');

  it('is a UUID the event schemas accept', () => {
    expect(poolLowEventId('acme', at, window)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('is the same for one brand within one window (what lets replicas dedupe)', () => {
    const id = poolLowEventId('acme', at, window);
    expect(poolLowEventId('acme', new Date('2024-05-01T12:00:00.000Z'), window)).toBe(id);
    expect(poolLowEventId('acme', new Date('2024-05-01T12:04:59.999Z'), window)).toBe(id);
  });

  it('differs for the next window, another brand and another window size', () => {
    const id = poolLowEventId('acme', at, window);
    expect(poolLowEventId('acme', new Date('2024-05-01T12:05:00Z'), window)).not.toBe(id);
    expect(poolLowEventId('acme2', at, window)).not.toBe(id);
    expect(poolLowEventId('acme', at, 60_000)).not.toBe(id);
  });

  it('does not collide across many brands and windows', () => {
    const ids = new Set<string>();
    for (let b = 0; b < 100; b++)
      for (let w = 0; w < 50; w++) ids.add(poolLowEventId(`brand-${b}`, new Date(w * window), window));
    expect(ids.size).toBe(5_000);
  });
});

describe('subjects and EVENT_SCHEMAS', () => {
  const subjects = Object.values(SUBJECTS);

  it('every subject has a schema, and every schema a subject', () => {
    expect(Object.keys(EVENT_SCHEMAS).sort()).toEqual([...subjects].sort());
    for (const subject of subjects) expect(EVENT_SCHEMAS[subject]).toBeDefined();
  });

  it('subjects are unique, under the events prefix (so the stream captures them), and carry their major version', () => {
    expect(new Set(subjects).size).toBe(subjects.length);
    for (const subject of subjects)
      expect(subject).toMatch(
        new RegExp(`^${EVENT_SUBJECT_PREFIX.replace('.', '\\.')}\\.v\\d+\\.[a-z.]+[a-z]$`),
      );
  });

  it("each subject's schema is for that subject: its type and version match the subject's name", () => {
    for (const subject of subjects) {
      const [, , version, ...rest] = subject.split('.');
      const schema = EVENT_SCHEMAS[subject];
      expect(schema.shape.type.value).toBe(rest.join('.'));
      expect(`v${schema.shape.version.value}`).toBe(version);
    }
  });

  it('routes each sample payload to the right schema only', () => {
    expect(EVENT_SCHEMAS[SUBJECTS.codeClaimed].safeParse(claimed).success).toBe(true);
    expect(EVENT_SCHEMAS[SUBJECTS.codesGenerated].safeParse(claimed).success).toBe(false);
    expect(EVENT_SCHEMAS[SUBJECTS.codesGenerated].safeParse(generated).success).toBe(true);
    expect(EVENT_SCHEMAS[SUBJECTS.codeClaimed].safeParse(generated).success).toBe(false);
    expect(EVENT_SCHEMAS[SUBJECTS.poolLow].safeParse(claimed).success).toBe(false);
  });
});

describe('the event stream and the command subjects', () => {
  it('the stream captures every event subject and no command subject', () => {
    const captured = (subject: string) => subject.startsWith(EVENTS_STREAM.subjects[0].slice(0, -1));
    expect(EVENTS_STREAM.subjects).toEqual([`${EVENT_SUBJECT_PREFIX}.>`]);
    for (const subject of Object.values(SUBJECTS)) expect(captured(subject)).toBe(true);
    for (const command of Object.values(COMMANDS)) expect(captured(command)).toBe(false);
  });

  it('commands live under their own prefix, versioned', () => {
    for (const command of Object.values(COMMANDS))
      expect(command).toMatch(
        new RegExp(`^${COMMAND_SUBJECT_PREFIX.replace('.', '\\.')}\\.v\\d+\\.[a-z.]+[a-z]$`),
      );
  });
});
