import type { MongoConfig } from '@app/config';

/**
 * Writes that must survive a failover: acknowledged only once a majority of the replica set has
 * them in its journal, so an election cannot roll them back. A w=1 write acknowledged by a primary
 * that then fails over can vanish: a claimed code would go back to available (and to a second
 * user), and its outbox entry with it.
 */
export const MAJORITY_WRITE = Object.freeze({ w: 'majority', j: true } as const);

/** Reads that only see majority-committed data: what they return cannot be rolled back. */
export const MAJORITY_READ = Object.freeze({ level: 'majority' } as const);

/** Read concern levels at least as strong as majority. */
const DURABLE_READ_LEVELS = new Set(['majority', 'linearizable', 'snapshot']);

/**
 * The options of a MongoDB connection string that disagree with MAJORITY_WRITE / MAJORITY_READ,
 * as written in the URI (`w=1`, `journal=false`, `readConcernLevel=local`). The pinned operations
 * override them while every other write obeys them, so such a URI leaves some writes weaker than
 * the rest and is silently ignored by the others: refused rather than half applied.
 * Any `w` but majority counts: a number cannot be compared to "majority" without knowing the
 * replica set, and a tag is a placement rule, not a durability one.
 */
export function weakDurabilityOptions(uri: string): string[] {
  const weak: string[] = [];
  // Option names are case-insensitive for the driver; values are not.
  for (const [name, value] of uriOptions(uri)) {
    const key = name.toLowerCase();
    const weakens =
      (key === 'w' && value !== 'majority') ||
      ((key === 'journal' || key === 'j') && value !== 'true') ||
      (key === 'readconcernlevel' && !DURABLE_READ_LEVELS.has(value));
    if (weakens) weak.push(`${name}=${value}`);
  }
  return weak;
}

/**
 * The query part of a connection string. Not `new URL()`: a seed list (`host1,host2`) is not a
 * URL host. Reserved characters in credentials must be percent-encoded, so the first `?` starts
 * the options.
 */
function uriOptions(uri: string): URLSearchParams {
  const start = uri.indexOf('?');
  return new URLSearchParams(start < 0 ? '' : uri.slice(start + 1).split('#')[0]);
}

export class WeakDurabilityError extends Error {
  constructor(readonly options: readonly string[]) {
    super(
      `MONGODB_URI sets ${options.join(', ')}, weaker than the durability the services pin ` +
        '(claims, outbox marks, generation jobs, brands and users are written with ' +
        'w=majority and j=true; a repeat claim reads with readConcern majority). Remove ' +
        `${options.length === 1 ? 'it' : 'them'} from the URI, or set MONGODB_ALLOW_WEAK_DURABILITY=true ` +
        'to start anyway (only where a rolled-back write does not matter, such as a dev server).',
    );
    this.name = 'WeakDurabilityError';
  }
}

/** Stops the start-up when MONGODB_URI weakens the pinned concerns, unless explicitly allowed. */
export function refuseWeakDurability(config: Pick<MongoConfig, 'uri' | 'allowWeakDurability'>): void {
  if (config.allowWeakDurability) return;
  const weak = weakDurabilityOptions(config.uri);
  if (weak.length > 0) throw new WeakDurabilityError(weak);
}
