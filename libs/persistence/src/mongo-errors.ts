import { mongo } from 'mongoose';

const DUPLICATE_KEY = 11000;

/**
 * FerretDB v1 (the dev server) reports a unique index violated by findAndModify as its storage's
 * own error instead of E11000 (code 1): SQLite's "UNIQUE constraint failed", PostgreSQL's
 * "duplicate key value violates unique constraint … (SQLSTATE 23505)". It is the same condition,
 * and nothing was written.
 */
const FERRETDB_UNIQUE_VIOLATION = /UNIQUE constraint failed|violates unique constraint .*\(SQLSTATE 23505\)/;

export function isDuplicateKeyError(error: unknown): boolean {
  return (
    error instanceof mongo.MongoServerError &&
    (error.code === DUPLICATE_KEY || FERRETDB_UNIQUE_VIOLATION.test(error.message))
  );
}

/**
 * Errors that mean "the database is unreachable right now" rather than "this request is wrong":
 * the edge answers them with 503 and the driver reconnects by itself.
 */
export function isDatabaseUnavailableError(error: unknown): boolean {
  return (
    error instanceof mongo.MongoServerSelectionError ||
    error instanceof mongo.MongoNetworkError ||
    error instanceof mongo.MongoNotConnectedError ||
    error instanceof mongo.MongoTopologyClosedError ||
    (error instanceof Error && error.name === 'MongooseServerSelectionError')
  );
}

/** Counts of an unordered insertMany that may have hit duplicate keys. */
export interface UnorderedInsertResult {
  readonly inserted: number;
  readonly duplicates: number;
}

/**
 * Turns the failure of an unordered insertMany into counts when every failure is a duplicate
 * key; anything else is rethrown because it means the batch could not be stored.
 */
export function duplicatesOnly(error: unknown, attempted: number): UnorderedInsertResult {
  const duplicates = duplicateIndexes(error);
  return { inserted: attempted - duplicates.size, duplicates: duplicates.size };
}

/**
 * Positions (in the inserted array) of the documents an unordered insertMany refused as
 * duplicates; rethrows unless every failure was a duplicate key.
 */
export function duplicateIndexes(error: unknown): Set<number> {
  if (!(error instanceof mongo.MongoBulkWriteError)) throw error;
  const writeErrors = ([] as mongo.WriteError[]).concat(error.writeErrors);
  if (writeErrors.length === 0 || writeErrors.some((e) => e.code !== DUPLICATE_KEY)) throw error;
  return new Set(writeErrors.map((e) => e.index));
}
