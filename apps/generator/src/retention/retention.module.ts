import { Module } from '@nestjs/common';
import { RetentionSweeper } from './retention-sweeper';

/** Expired codes out of the claim path, and finished deliveries and jobs deleted after their retention. */
@Module({ providers: [RetentionSweeper] })
export class RetentionModule {}
