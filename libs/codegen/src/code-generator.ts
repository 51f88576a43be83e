import { type CodeFormat, resolveCodeFormat } from './code-format';
import { cryptoBytePool, RandomBytePool, type RandomBytesSource } from './random-byte-pool';

/**
 * Draws codes of one format from a cryptographically secure source, uniformly: a byte is used
 * only when it is below the largest multiple of the alphabet size that fits in 256 (rejection
 * sampling), because `byte % k` over all 256 values would favour the first `256 % k` characters.
 */
export class CodeGenerator {
  readonly format: CodeFormat;
  private readonly characters: readonly string[];
  private readonly cutoff: number;
  private readonly pool: RandomBytePool;

  /** `randomBytes` is for tests only; production codes must come from node:crypto. */
  constructor(format: CodeFormat, randomBytes?: RandomBytesSource) {
    // Re-validated because a hand-built object literal also satisfies the CodeFormat type.
    this.format = resolveCodeFormat(format);
    this.characters = [...this.format.alphabet];
    this.cutoff = rejectionCutoff(this.characters.length);
    this.pool = randomBytes ? new RandomBytePool(randomBytes, this.format.length) : cryptoBytePool();
  }

  next(): string {
    const { characters, cutoff, pool } = this;
    const size = characters.length;
    let code = this.format.prefix;
    for (let drawn = 0; drawn < this.format.length;) {
      const byte = pool.nextByte();
      if (byte < cutoff) {
        code += characters[byte % size];
        drawn++;
      }
    }
    return code;
  }

  /** No deduplication: the unique index on the codes collection is the one arbiter of that. */
  fill(count: number): string[] {
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new RangeError(`count must be a non-negative integer (got ${count})`);
    }
    const codes = new Array<string>(count);
    for (let i = 0; i < count; i++) codes[i] = this.next();
    return codes;
  }
}

/** Bytes from here up are skipped, so every character is reached by the same number of bytes. */
export function rejectionCutoff(alphabetSize: number): number {
  return 256 - (256 % alphabetSize);
}
