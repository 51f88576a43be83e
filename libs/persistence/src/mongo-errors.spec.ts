import { mongo } from 'mongoose';
import { duplicatesOnly, isDatabaseUnavailableError, isDuplicateKeyError } from './mongo-errors';

const serverError = (code: number, message: string) =>
  new mongo.MongoServerError({ code, message, errmsg: message });

/**
 * A write error as the driver reports it inside a MongoBulkWriteError (the driver does not export
 * the class as a value; duplicatesOnly reads only `code`).
 */
const writeError = (index: number, code: number) =>
  ({
    index,
    code,
    errmsg: code === 11000 ? 'E11000 duplicate key error' : 'other',
  }) as unknown as mongo.WriteError;

function bulkError(writeErrors: mongo.WriteError[]): mongo.MongoBulkWriteError {
  // The driver builds these itself; tests only need the fields duplicatesOnly reads.
  return new mongo.MongoBulkWriteError(
    { message: 'bulk write failed', code: writeErrors[0]?.code ?? 11000, writeErrors },
    {} as mongo.BulkWriteResult,
  );
}

describe('isDuplicateKeyError', () => {
  it('recognises E11000', () => {
    expect(isDuplicateKeyError(serverError(11000, 'E11000 duplicate key error collection: x.codes'))).toBe(
      true,
    );
  });

  it("recognises FerretDB's SQLite unique violation (same condition, other words)", () => {
    expect(isDuplicateKeyError(serverError(1, 'UNIQUE constraint failed: codes.brandId, codes.holder'))).toBe(
      true,
    );
  });

  it("recognises FerretDB's PostgreSQL unique violation (as FerretDB v1.24 words it)", () => {
    const message =
      '[msg_findandmodify.go:196 handler.(*Handler).findAndModifyDocument] [collection.go:227 ' +
      'postgresql.(*collection).UpdateAll] ERROR: duplicate key value violates unique constraint ' +
      '"codes_cfcdd885_b___h___d1c4350a_idx" (SQLSTATE 23505)';
    expect(isDuplicateKeyError(serverError(1, message))).toBe(true);
  });

  it.each([
    ['another server error', serverError(2, 'BadValue')],
    ['another PostgreSQL error', serverError(1, 'ERROR: deadlock detected (SQLSTATE 40P01)')],
    ['a write conflict', serverError(112, 'WriteConflict')],
    ['a plain Error mentioning E11000', new Error('E11000 duplicate key error')],
    ['a plain Error mentioning the SQLite text', new Error('UNIQUE constraint failed')],
    ['a string', 'E11000'],
    ['undefined', undefined],
    ['a plain object with code 11000', { code: 11000 }],
  ])('is false for %s', (_, error) => {
    expect(isDuplicateKeyError(error)).toBe(false);
  });
});

describe('isDatabaseUnavailableError', () => {
  const noTopology = {
    error: null,
    servers: new Map(),
    type: 'Unknown',
  } as unknown as mongo.TopologyDescription;

  it.each([
    ['MongoServerSelectionError', new mongo.MongoServerSelectionError('timed out', noTopology)],
    ['MongoNetworkError', new mongo.MongoNetworkError('connection reset')],
    ['MongoNetworkTimeoutError', new mongo.MongoNetworkTimeoutError('timed out')],
    ['MongoNotConnectedError', new mongo.MongoNotConnectedError('not connected')],
    ['MongoTopologyClosedError', new mongo.MongoTopologyClosedError()],
    ['MongooseServerSelectionError', Object.assign(new Error('x'), { name: 'MongooseServerSelectionError' })],
  ])('is true for %s', (_, error) => {
    expect(isDatabaseUnavailableError(error)).toBe(true);
  });

  it.each([
    ['a duplicate key', serverError(11000, 'E11000')],
    ['a plain Error', new Error('boom')],
    ['undefined', undefined],
  ])('is false for %s', (_, error) => {
    expect(isDatabaseUnavailableError(error)).toBe(false);
  });
});

describe('duplicatesOnly', () => {
  it('counts duplicates and the rest as inserted', () => {
    expect(duplicatesOnly(bulkError([writeError(1, 11000), writeError(7, 11000)]), 10)).toStrictEqual({
      inserted: 8,
      duplicates: 2,
    });
  });

  it('counts a batch of nothing but duplicates', () => {
    const errors = [0, 1, 2].map((i) => writeError(i, 11000));
    expect(duplicatesOnly(bulkError(errors), 3)).toStrictEqual({ inserted: 0, duplicates: 3 });
  });

  it('rethrows when any write error is not a duplicate', () => {
    const error = bulkError([writeError(0, 11000), writeError(1, 121)]);
    expect(() => duplicatesOnly(error, 5)).toThrow(error);
  });

  it('rethrows a bulk error without write errors (e.g. a write concern failure)', () => {
    const error = bulkError([]);
    expect(() => duplicatesOnly(error, 5)).toThrow(error);
  });

  it.each([
    ['a duplicate-key server error that is not a bulk error', serverError(11000, 'E11000')],
    ['a network error', new mongo.MongoNetworkError('reset')],
    ['a plain Error', new Error('boom')],
  ])('rethrows %s', (_, error) => {
    expect(() => duplicatesOnly(error, 5)).toThrow(error);
  });
});
