import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { GenerationJob, GenerationJobChunk } from './generation-job.schema';
import { withChunks, type JobRecord } from './job-record';

/**
 * The jobs' end outbox (job.completed, job.failed), as the generator's relay works it:
 * GenerationJobsRepository marks the event pending with the job's end (and tells its
 * onEventPending listeners); this reads the pending ones and clears those relayed.
 */
@Injectable()
export class GenerationJobEndEventsRepository {
  constructor(
    @InjectModel(GenerationJob.name) private readonly jobs: Model<GenerationJob>,
    @InjectModel(GenerationJobChunk.name) private readonly chunks: Model<GenerationJobChunk>,
  ) {}

  /** Up to `limit` finished jobs whose end event is not relayed yet (the sparse JOB_OUTBOX_INDEX). */
  async findEventPending(limit: number): Promise<JobRecord[]> {
    const docs = await this.jobs.find({ eventPending: true }).limit(limit).lean<GenerationJob[]>().exec();
    return Promise.all(docs.map((doc) => withChunks(this.chunks, doc)));
  }

  /** The job's end event was relayed: out of the outbox. */
  async clearEventPending(id: string): Promise<void> {
    await this.jobs.updateOne({ _id: id, eventPending: true }, { $unset: { eventPending: '' } }).exec();
  }
}
