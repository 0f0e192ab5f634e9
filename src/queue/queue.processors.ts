// One thin processor per queue: reload nothing, decide nothing, dispatch by job name and let
// errors throw so BullMQ's attempts and backoff do the retrying. Registered only in the
// worker role (QueueWorkersModule), so an API process never competes for jobs.
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/config.module';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError, type Job, Worker } from 'bullmq';
import { JobHandlerRegistry } from './job-handlers';
import { QueueName, SEND_LEASE_SECONDS } from './job-catalogue';
import { JobDelayedError, LanePausedError } from './queue.errors';

// @Injectable so TypeScript emits the constructor's parameter types for the subclasses to inherit.
@Injectable()
abstract class DispatchingProcessor extends WorkerHost {
  private readonly logger = new Logger('JobProcessor');

  constructor(private readonly registry: JobHandlerRegistry) {
    super();
  }

  async process(job: Job, token?: string): Promise<unknown> {
    const attempts = job.opts.attempts ?? 1;
    try {
      return await this.registry.run(job.name, job.data, {
        jobId: job.id,
        attemptsMade: job.attemptsMade,
        isLastAttempt: job.attemptsMade + 1 >= attempts,
      });
    } catch (error) {
      // The whole lane waits (every worker of this queue), and the job goes back to waiting
      // without spending an attempt: a provider outage must not burn through the audience.
      if (error instanceof LanePausedError) {
        await this.worker.rateLimit(error.pauseMs);
        throw Worker.RateLimitError();
      }
      // This job only waits (quiet hours, an hourly limit), again without spending an attempt.
      if (error instanceof JobDelayedError) {
        await job.moveToDelayed(error.until.getTime(), token);
        throw new DelayedError();
      }
      // The one place a failed attempt is logged; BullMQ retries it with backoff.
      this.logger.warn(`${job.name} ${job.id ?? ''} attempt ${job.attemptsMade + 1}/${attempts} failed: ${(error as Error).message}`);
      throw error;
    }
  }
}

// A worker that dies keeps its jobs locked for lockDuration; then the stalled check hands them
// to another worker. maxStalledCount is generous because the Message row, not the job, decides
// whether anything is sent again.
const SEND_LANE = { lockDuration: SEND_LEASE_SECONDS * 1000, stalledInterval: 10_000, maxStalledCount: 20 };

@Processor(QueueName.Transactional, { concurrency: 16, ...SEND_LANE })
export class TransactionalProcessor extends DispatchingProcessor {}

@Processor(QueueName.Bulk, { concurrency: 64, ...SEND_LANE })
export class BulkProcessor extends DispatchingProcessor implements OnApplicationBootstrap {
  constructor(
    registry: JobHandlerRegistry,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {
    super(registry);
  }

  // A send job mostly waits (for a batch, a connection, the relay's answer), so many run at once.
  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.get('BULK_CONCURRENCY', { infer: true });
  }
}

// Feedback jobs are gathered into batches (one transaction for many inbound messages), so many run at once.
@Processor(QueueName.Feedback, { concurrency: 128 })
export class FeedbackProcessor extends DispatchingProcessor {}

@Processor(QueueName.Maintenance, { concurrency: 1 })
export class MaintenanceProcessor extends DispatchingProcessor {}

@Processor(QueueName.Campaigns, { concurrency: 4, lockDuration: 60_000 })
export class CampaignsProcessor extends DispatchingProcessor {}
