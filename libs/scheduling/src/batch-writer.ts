import { Logger } from '@nestjs/common';
import { errorMessage } from './error-message';

export interface BatchWriterOptions {
  /** Names the batch in the log line of a failed write. */
  readonly name: string;
  /** A batch this large is written at once. */
  readonly maxItems: number;
  /** Otherwise it is written this long after its first item came. */
  readonly maxDelayMs: number;
}

/**
 * Gathers items for one write instead of one write each (claims marked published under load):
 * written when maxItems are waiting or maxDelayMs after the first, never two writes at once. A
 * failed write keeps its items for the next one (the next add's, or the owner's next flush, not
 * a retry timer: a database that is down is not hammered), so writes must be idempotent.
 */
export class BatchWriter<T> {
  private readonly logger: Logger;
  private waiting: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<boolean> | undefined;

  constructor(
    private readonly options: BatchWriterOptions,
    private readonly write: (items: T[]) => Promise<void>,
  ) {
    this.logger = new Logger(options.name);
  }

  add(item: T): void {
    this.waiting.push(item);
    if (this.waiting.length >= this.options.maxItems) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.maxDelayMs).unref();
  }

  /** Writes what is waiting now (after the write in progress); false when that write failed. */
  async flush(): Promise<boolean> {
    clearTimeout(this.timer);
    this.timer = undefined;
    // Several flushes may wait for one write: each waits until none is in progress.
    while (this.writing) await this.writing;
    const items = this.waiting.splice(0);
    if (items.length === 0) return true;
    const writing: Promise<boolean> = this.write(items)
      .then(() => true)
      .catch((error: unknown) => {
        this.logger.warn(
          `${items.length} item(s) not written, kept for the next try: ${errorMessage(error)}`,
        );
        this.waiting.unshift(...items);
        return false;
      })
      .finally(() => {
        if (this.writing === writing) this.writing = undefined;
      });
    this.writing = writing;
    return writing;
  }
}
