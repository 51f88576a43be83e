import { DomainError } from '@app/contracts';
import {
  assertCodesFit,
  EXPORT_RETRY_AFTER_SECONDS,
  JOB_RETRY_AFTER_SECONDS,
  KeyedSlots,
  QuotaExceededError,
  remainingCodes,
  tooManyExportsError,
  tooManyJobsError,
} from './quota-rules';

describe('remainingCodes', () => {
  it('is the limit less what is stored and what jobs will still store, never below zero', () => {
    expect(remainingCodes(100, { stored: 60, pending: 15 })).toBe(25);
    expect(remainingCodes(100, { stored: 90, pending: 20 })).toBe(0);
    expect(remainingCodes(null, { stored: 10 ** 12, pending: 0 })).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('assertCodesFit', () => {
  it('lets through exactly what fits', () => {
    expect(() => assertCodesFit('b', 100, { stored: 60, pending: 15 }, 25)).not.toThrow();
    expect(() => assertCodesFit('b', null, { stored: 60, pending: 15 }, 10 ** 9)).not.toThrow();
  });

  it('refuses one more with quota_exceeded, naming the limit, the setting and what remains', () => {
    let error: unknown;
    try {
      assertCodesFit('brand-7', 100, { stored: 60, pending: 15 }, 26);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(QuotaExceededError);
    expect(error).toBeInstanceOf(DomainError);
    const domain = error as DomainError;
    expect(domain.code).toBe('quota_exceeded');
    expect(domain.message).toBe(
      'Brand brand-7 may store at most 100 codes (BRAND_MAX_CODES); it has 60 stored and 15 still ' +
        'to come from its jobs, so 25 more fit, not 26. Nothing was stored',
    );
    expect(domain.details).toEqual({ limit: 100, stored: 60, pending: 15, remaining: 25, requested: 26 });
  });

  it('says so plainly when nothing fits and the count is not known (an import not read yet)', () => {
    const error = new QuotaExceededError('b', 10, { stored: 10, pending: 0 });
    expect(error.message).toBe(
      'Brand b may store at most 10 codes (BRAND_MAX_CODES); it has 10 stored, so no more fit. Nothing was stored',
    );
    expect(error.details).toEqual({ limit: 10, stored: 10, pending: 0, remaining: 0 });
  });

  it('an import taken back part-way: what it had stored and what of it stays, no requested count', () => {
    const whole = new QuotaExceededError(
      'b',
      500,
      { stored: 400, pending: 0 },
      {
        takenBack: { imported: 150, kept: 0 },
      },
    );
    expect(whole.message).toBe(
      'Brand b may store at most 500 codes (BRAND_MAX_CODES); it has 400 stored, so 100 more fit. ' +
        'The import went over after storing 150 codes and was taken back: nothing was kept',
    );
    expect(whole.details).toEqual({
      limit: 500,
      stored: 400,
      pending: 0,
      remaining: 100,
      imported: 150,
      kept: 0,
    });
    const claimed = new QuotaExceededError(
      'b',
      500,
      { stored: 400, pending: 0 },
      {
        takenBack: { imported: 150, kept: 2 },
      },
    );
    expect(claimed.message).toMatch(/taken back, but for 2 claimed meanwhile, which stay$/);
    expect(claimed.details).toMatchObject({ imported: 150, kept: 2 });
  });
});

describe('too many at once', () => {
  it('jobs: too_many_jobs with the limit, the setting and a Retry-After', () => {
    const error = tooManyJobsError('b', 3, 3);
    expect(error.code).toBe('too_many_jobs');
    expect(error.message).toContain('BRAND_MAX_CONCURRENT_JOBS=3');
    expect(error.details).toEqual({ limit: 3, unfinished: 3, retryAfterSeconds: JOB_RETRY_AFTER_SECONDS });
  });

  it('exports: too_many_exports with the limit, the setting and a Retry-After', () => {
    const error = tooManyExportsError('b', 2);
    expect(error.code).toBe('too_many_exports');
    expect(error.message).toContain('BRAND_MAX_CONCURRENT_EXPORTS=2');
    expect(error.details).toEqual({ limit: 2, retryAfterSeconds: EXPORT_RETRY_AFTER_SECONDS });
  });
});

describe('KeyedSlots', () => {
  it('gives each key up to the limit, and a slot back when released', () => {
    const slots = new KeyedSlots(2);
    const a1 = slots.tryTake('a');
    const a2 = slots.tryTake('a');
    expect(a1).not.toBeNull();
    expect(a2).not.toBeNull();
    expect(slots.tryTake('a')).toBeNull();
    // Keys are apart.
    expect(slots.tryTake('b')).not.toBeNull();
    a1!();
    expect(slots.inUse('a')).toBe(1);
    expect(slots.tryTake('a')).not.toBeNull();
  });

  it('releases once however often a release is called (an error and a close of one stream)', () => {
    const slots = new KeyedSlots(1);
    const release = slots.tryTake('a')!;
    const other = slots.tryTake('b')!;
    release();
    release();
    expect(slots.inUse('a')).toBe(0);
    expect(slots.inUse('b')).toBe(1);
    const again = slots.tryTake('a');
    release();
    expect(slots.inUse('a')).toBe(1);
    again!();
    other();
    expect(slots.inUse('a') + slots.inUse('b')).toBe(0);
  });

  it('refuses a limit below one', () => {
    expect(() => new KeyedSlots(0)).toThrow(RangeError);
  });
});
