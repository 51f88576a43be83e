/**
 * The database's own limit: claims sent with the bare driver, no HTTP, no Nest, no mongoose, at a
 * fixed number of claims in flight. Two designs side by side:
 *
 *   slot   the provider's commands (claimCommands from @app/persistence): the first available code
 *          at or after a random slot, then below it;
 *   naive  "the first available document of the brand": every concurrent claim aims at the same
 *          document, which on MongoDB means a write conflict and a retry for all but one.
 */
import { randomUUID } from 'node:crypto';
import type { mongo } from 'mongoose';
import type { ClaimAnswer } from '../../test/support/claim-audit';
import { claimCommands, CODES_COLLECTION, isDuplicateKeyError, type ClaimCommand } from '@app/persistence';
import type { ClaimJob, RunMeasurement } from './measurement';

export type ClaimDesign = 'slot' | 'naive';

interface ClaimedDoc {
  code: string;
}

async function send(codes: mongo.Collection, command: ClaimCommand): Promise<ClaimedDoc | null> {
  // The driver's options type wants a mutable sort; the command is only read.
  return codes.findOneAndUpdate(
    command.filter,
    command.update,
    command.options as mongo.FindOneAndUpdateOptions,
  ) as Promise<ClaimedDoc | null>;
}

async function claimWithSlot(codes: mongo.Collection, job: ClaimJob): Promise<ClaimedDoc | null> {
  const [atOrAbove, below] = claimCommands(job.brandId, job.userId, new Date());
  return (await send(codes, atOrAbove)) ?? (await send(codes, below));
}

function claimFirstAvailable(codes: mongo.Collection, job: ClaimJob): Promise<ClaimedDoc | null> {
  const { userId } = job;
  return codes.findOneAndUpdate(
    { brandId: job.brandId, status: 'available' },
    {
      $set: {
        status: 'claimed',
        holder: userId,
        claimedBy: userId,
        claimedAt: new Date(),
        eventId: randomUUID(),
      },
    },
    { returnDocument: 'after' },
  ) as Promise<ClaimedDoc | null>;
}

/** Runs every job with `concurrency` claims in flight; each job is one user's first claim. */
export async function runRawClaims(
  db: mongo.Db,
  jobs: readonly ClaimJob[],
  concurrency: number,
  design: ClaimDesign,
): Promise<RunMeasurement> {
  const codes = db.collection(CODES_COLLECTION);
  const claim = design === 'slot' ? claimWithSlot : claimFirstAvailable;
  const latenciesMs = new Float64Array(jobs.length);
  const answers: ClaimAnswer[] = new Array<ClaimAnswer>(jobs.length);
  const errors: string[] = [];
  let next = 0;

  const worker = async () => {
    for (let i = next++; i < jobs.length; i = next++) {
      const job = jobs[i]!;
      const started = performance.now();
      try {
        const doc = await claim(codes, job);
        answers[i] = doc
          ? { brandId: job.brandId, userId: job.userId, outcome: 'created', code: doc.code }
          : { brandId: job.brandId, userId: job.userId, outcome: 'exhausted' };
      } catch (error) {
        // Every job is a different user, so even a duplicate key is a failure here.
        errors.push(isDuplicateKeyError(error) ? `duplicate key: ${String(error)}` : String(error));
        answers[i] = { brandId: job.brandId, userId: job.userId, outcome: 'failed' };
      }
      latenciesMs[i] = performance.now() - started;
    }
  };

  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const durationMs = performance.now() - started;
  return { durationMs, latenciesMs: [...latenciesMs], answers, errors, statuses: {} };
}
