import { DomainError } from '@app/contracts';
import {
  decodeCursor,
  decodeNewestFirstCursor,
  encodeCursor,
  encodeNewestFirstCursor,
  pageOf,
} from './pagination';

const invalidInput = (run: () => unknown) => {
  expect(run).toThrow(DomainError);
  try {
    run();
  } catch (error) {
    expect((error as DomainError).code).toBe('invalid_input');
  }
};

describe('newest-first cursors (webhook deliveries, generation jobs)', () => {
  const last = {
    createdAt: new Date('2024-05-01T12:00:00.123Z'),
    id: '0b5a2b8e-6a41-4d3c-9a57-5f1d0c1e2f3a',
  };

  it('round-trip the sort key, URL-safe', () => {
    const cursor = encodeNewestFirstCursor(last);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeNewestFirstCursor(cursor)).toStrictEqual(last);
  });

  it('are the cursors the deliveries listing has always written (clients may hold one)', () => {
    const before = Buffer.from(JSON.stringify([last.createdAt.toISOString(), last.id])).toString('base64url');
    expect(encodeNewestFirstCursor(last)).toBe(before);
  });

  it.each([
    'not base64 !',
    Buffer.from('{}').toString('base64url'),
    Buffer.from('["x"]').toString('base64url'),
    Buffer.from('["not a date","0b5a2b8e-6a41-4d3c-9a57-5f1d0c1e2f3a"]').toString('base64url'),
    Buffer.from('["2024-05-01T12:00:00Z",{"$gt":""}]').toString('base64url'),
    Buffer.from('["2024-05-01T12:00:00Z","x"]').toString('base64url'),
  ])('refuse %j with invalid_input', (cursor) => {
    invalidInput(() => decodeNewestFirstCursor(cursor));
  });
});

describe('cursors of any arity', () => {
  it('round-trip strings, including ones JSON must escape', () => {
    const key = ['acme', 'a"b\\c', 'ünï'];
    expect(decodeCursor(encodeCursor(key), 3)).toEqual(key);
  });

  it.each([
    [Buffer.from('["acme"]').toString('base64url'), 2],
    [Buffer.from('[1]').toString('base64url'), 1],
    [Buffer.from('[{"$gt":""}]').toString('base64url'), 1],
    [Buffer.from('"acme"').toString('base64url'), 1],
    ['', 1],
  ])('refuse %j (arity %d) with invalid_input', (cursor, arity) => {
    invalidInput(() => decodeCursor(cursor, arity));
  });
});

describe('pageOf', () => {
  it('shows `limit` rows and a cursor of the last shown when there was one more', () => {
    expect(pageOf([1, 2, 3], 2, String)).toEqual({ items: [1, 2], nextCursor: '2' });
  });

  it('has no next cursor on the last page, full or not', () => {
    expect(pageOf([1, 2], 2, String)).toEqual({ items: [1, 2], nextCursor: null });
    expect(pageOf([], 2, String)).toEqual({ items: [], nextCursor: null });
  });
});
