import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { JobsOptions, Queue } from 'bullmq';
import { JOB_OPTIONS, JOB_QUEUE, JobName, JobOf, QueueName } from './job-catalogue';

/** The one way to enqueue: applies the catalogue's per-job options. */
@Injectable()
export class JobQueue {
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    @InjectQueue(QueueName.Transactional) transactional: Queue,
    @InjectQueue(QueueName.Bulk) bulk: Queue,
    @InjectQueue(QueueName.Feedback) feedback: Queue,
    @InjectQueue(QueueName.Maintenance) maintenance: Queue,
    @InjectQueue(QueueName.Campaigns) campaigns: Queue,
  ) {
    this.queues = { transactional, bulk, feedback, maintenance, campaigns };
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }

  async enqueue<N extends JobName>(job: JobOf<N>, options: JobsOptions = {}): Promise<void> {
    await this.queues[JOB_QUEUE[job.name]].add(job.name, job.data, { ...JOB_OPTIONS[job.name], ...options });
  }

  /** Jobs of one name in one round trip; the caller gives job ids (message ids) for idempotency. */
  async enqueueBulk<N extends JobName>(name: N, jobs: Array<{ data: JobOf<N>['data']; options?: JobsOptions }>): Promise<void> {
    if (!jobs.length) return;
    await this.queues[JOB_QUEUE[name]].addBulk(
      jobs.map((job) => ({ name, data: job.data, opts: { ...JOB_OPTIONS[name], ...job.options } })),
    );
  }

  async upsertSchedule(id: string, pattern: string, job: JobOf): Promise<void> {
    await this.queues[JOB_QUEUE[job.name]].upsertJobScheduler(id, { pattern }, { name: job.name, data: job.data, opts: JOB_OPTIONS[job.name] });
  }
}
