import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { Code } from '../codes/code.schema';
import { databaseServerOf, type DatabaseServer } from './slow-claims';

/**
 * What answers MONGODB_URI, and the counts a claim's cost grows with on the dev server: what the
 * generator needs to tell a brand that the dev server will serve its claims slowly (slow-claims.ts).
 */
@Injectable()
export class DevServerRepository {
  private server: Promise<DatabaseServer> | undefined;

  constructor(@InjectModel(Code.name) private readonly codes: Model<Code>) {}

  /**
   * The server, from its buildInfo answer: asked once and remembered (it cannot change under a
   * running process without a reconnect to another URI), asked again after a failure.
   */
  describeServer(): Promise<DatabaseServer> {
    if (!this.server) {
      const asked = this.codes.db
        .asPromise()
        .then((connection) => connection.db!.admin().command({ buildInfo: 1 }))
        .then((answer) => databaseServerOf(answer));
      asked.catch(() => {
        if (this.server === asked) this.server = undefined;
      });
      this.server = asked;
    }
    return this.server;
  }

  /**
   * Codes of all brands together, from the storage's own statistics ($collStats, not refreshed),
   * where an exact count would read every document: on SQLite the table's leaf cells (exact), on
   * PostgreSQL its row estimate, which the next (auto)ANALYZE brings up to date; -1 (never
   * analyzed) reads as 0.
   */
  async countAllCodes(): Promise<number> {
    const [stats] = await this.codes.collection
      .aggregate<{ count?: number }>([{ $collStats: { count: {} } }])
      .toArray();
    return Math.max(0, Number(stats?.count ?? 0));
  }

  /**
   * The brand's available codes (expired ones not swept yet included), counted up to `atMost`:
   * what a claim of the brand reads on the dev server's PostgreSQL. The count reads the codes it
   * counts, like a claim, so it stops at `atMost` rather than cost as much as the brand is large.
   */
  countBrandAvailable(brandId: string, atMost: number): Promise<number> {
    return this.codes.countDocuments({ brandId, status: 'available' }, { limit: atMost }).exec();
  }
}
