import { randomFillSync } from 'node:crypto';

/** Returns `size` random bytes; the generator accepts a stand-in so tests can script the bytes. */
export type RandomBytesSource = (size: number) => Buffer;

/**
 * A crypto call costs far more than the few bytes one code needs; one 64 KiB refill serves about
 * 7,900 default codes.
 */
export const RANDOM_POOL_SIZE = 64 * 1024;

/** Hands out random bytes one at a time from a buffer that is refilled when used up. */
export class RandomBytePool {
  private buffer: Uint8Array = new Uint8Array(0);
  private position = 0;

  constructor(
    private readonly source: RandomBytesSource,
    private readonly chunkSize: number,
  ) {}

  nextByte(): number {
    if (this.position >= this.buffer.length) this.refill();
    return this.buffer[this.position++]!;
  }

  private refill(): void {
    const bytes = this.source(this.chunkSize);
    if (bytes.length === 0) {
      // Otherwise the generator would spin forever waiting for a byte.
      throw new Error('Random byte source returned no bytes');
    }
    this.buffer = bytes;
    this.position = 0;
  }
}

/**
 * Shared by every generator in the process: generators usually live for one request, and a pool
 * each would mostly be filled and then thrown away. Node runs this code on one thread, so the
 * pool is never read concurrently.
 */
let cryptoPool: RandomBytePool | undefined;

export function cryptoBytePool(): RandomBytePool {
  if (!cryptoPool) {
    const buffer = Buffer.allocUnsafeSlow(RANDOM_POOL_SIZE);
    cryptoPool = new RandomBytePool(() => randomFillSync(buffer), RANDOM_POOL_SIZE);
  }
  return cryptoPool;
}
