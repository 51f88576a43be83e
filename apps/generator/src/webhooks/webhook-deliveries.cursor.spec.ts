import { DomainError } from '@app/contracts';
import { decodeCursor, encodeCursor } from './webhook-deliveries.service';

describe('delivery page cursors', () => {
  const last = {
    createdAt: new Date('2024-05-01T12:00:00.123Z'),
    id: '0b5a2b8e-6a41-4d3c-9a57-5f1d0c1e2f3a',
  };

  it('round-trip the sort key, URL-safe', () => {
    const cursor = encodeCursor(last);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toStrictEqual(last);
  });

  it.each([
    'not base64 !',
    Buffer.from('{}').toString('base64url'),
    Buffer.from('["x"]').toString('base64url'),
    Buffer.from('["not a date","0b5a2b8e-6a41-4d3c-9a57-5f1d0c1e2f3a"]').toString('base64url'),
    Buffer.from('["2024-05-01T12:00:00Z",{"$gt":""}]').toString('base64url'),
    Buffer.from('["2024-05-01T12:00:00Z","x"]').toString('base64url'),
  ])('refuse %j with invalid_input', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(DomainError);
    try {
      decodeCursor(cursor);
    } catch (error) {
      expect((error as DomainError).code).toBe('invalid_input');
    }
  });
});
