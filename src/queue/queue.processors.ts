// One thin processor per queue: reload nothing, decide nothing, dispatch by job name and let
// errors throw so BullMQ's attempts and backoff do the retrying. Registered only in the
// worker role (QueueWorkersModule), so an API process never competes for jobs.
import { Injectable } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { JobHandlerRegistry } from './job-handlers';
import { QueueName } from './job-catalogue';

// @Injectable so TypeScript emits the constructor's parameter types for the subclasses to inherit.
@Injectable()
abstract class DispatchingProcessor extends WorkerHost {
  constructor(private readonly registry: JobHandlerRegistry) {
    super();
  }

  process(job: Job): Promise<unknown> {
    return this.registry.run(job.name, job.data, { jobId: job.id, attemptsMade: job.attemptsMade });
  }
}

@Processor(QueueName.Transactional, { concurrency: 16 })
export class TransactionalProcessor extends DispatchingProcessor {}

@Processor(QueueName.Bulk, { concurrency: 32 })
export class BulkProcessor extends DispatchingProcessor {}

@Processor(QueueName.Feedback, { concurrency: 8 })
export class FeedbackProcessor extends DispatchingProcessor {}

@Processor(QueueName.Maintenance, { concurrency: 1 })
export class MaintenanceProcessor extends DispatchingProcessor {}
