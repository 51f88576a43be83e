/**
 * What replicas tell each other about admitted requests (rate-ledger.ts, spend-exchange.ts): per
 * policy, per hashed key, how many were admitted since the last batch and when the last one was.
 * A replica-to-replica format of this lib, not an app contract: both ends are the same code.
 */

/** [hashed key, requests admitted, time of the last one (ms)]. */
export type KeySpends = readonly [key: string, count: number, lastAt: number];

export interface SpendBatch {
  readonly v: 1;
  /** The sending replica (random per process): a replica skips its own batches. */
  readonly from: string;
  /** 1, 2, … per sender: a batch delivered twice (replay and live) counts once. */
  readonly seq: number;
  readonly spends: Readonly<Record<string, readonly KeySpends[]>>;
}

/** One admitted-request tally, as the ledger hands them out and takes them in. */
export interface Spend {
  readonly policy: string;
  readonly key: string;
  readonly count: number;
  readonly lastAt: number;
}

/**
 * About 60 bytes each in JSON: a batch stays near 60 KB, well under NATS's default 1 MB payload
 * and cheap to parse on every replica.
 */
export const MAX_SPENDS_PER_BATCH = 1_000;

/** Groups spends into batch bodies of at most MAX_SPENDS_PER_BATCH entries each. */
export function groupSpends(spends: readonly Spend[]): Array<SpendBatch['spends']> {
  const groups: Array<Record<string, KeySpends[]>> = [];
  for (let i = 0; i < spends.length; i += MAX_SPENDS_PER_BATCH) {
    const group: Record<string, KeySpends[]> = {};
    for (const { policy, key, count, lastAt } of spends.slice(i, i + MAX_SPENDS_PER_BATCH)) {
      (group[policy] ??= []).push([key, count, lastAt]);
    }
    groups.push(group);
  }
  return groups;
}

/** The spends of a batch, flattened; policies this replica does not know are the caller's to skip. */
export function spendsOf(batch: SpendBatch): Spend[] {
  const spends: Spend[] = [];
  for (const [policy, entries] of Object.entries(batch.spends)) {
    for (const [key, count, lastAt] of entries) spends.push({ policy, key, count, lastAt });
  }
  return spends;
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0;

/**
 * The batch, or undefined when it is not one: anything that reaches the subject is checked, and a
 * malformed entry must not turn into "no limit" or a NaN state, so one bad entry drops the batch.
 */
export function parseSpendBatch(value: unknown): SpendBatch | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { v, from, seq, spends } = value as Record<string, unknown>;
  if (v !== 1 || typeof from !== 'string' || from === '' || !isCount(seq)) return undefined;
  if (typeof spends !== 'object' || spends === null || Array.isArray(spends)) return undefined;
  for (const entries of Object.values(spends as Record<string, unknown>)) {
    if (!Array.isArray(entries)) return undefined;
    for (const entry of entries as unknown[]) {
      if (!Array.isArray(entry) || entry.length !== 3) return undefined;
      const [key, count, lastAt] = entry as unknown[];
      if (typeof key !== 'string' || !isCount(count) || !isCount(lastAt)) return undefined;
    }
  }
  return value as SpendBatch;
}
