import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { JobsOptions, Queue } from 'bullmq';
import { JOB_OPTIONS, JOB_QUEUE, JobName, JobOf, QueueName } from './job-catalogue';

/** What countInWindow needs of the Redis client under BullMQ's backend. */
interface RedisCounterClient {
  multi(): { incr(key: string): { pexpire(key: string, ms: number, mode: 'NX'): { exec(): Promise<unknown> } } };
  del(key: string): Promise<number>;
}

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

  /**
   * Of these job ids, those still active in BullMQ that started over `olderThanMs` ago. A worker
   * killed mid-job leaves its jobs active until the stalled check hands them back; under heavy
   * load that was seen not to happen, so the campaign feeder asks, and sends such work again
   * under another job id (the Message row's claim keeps it to one copy).
   */
  async activeSince(name: QueueName, jobIds: string[], olderThanMs: number): Promise<Array<{ id: string; processedOn: number }>> {
    const queue = this.queues[name];
    const cutoff = Date.now() - olderThanMs;
    const found: Array<{ id: string; processedOn: number }> = [];
    for (const id of jobIds) {
      const job = await queue.getJob(id);
      if (!job?.processedOn || job.processedOn > cutoff) continue;
      if ((await job.getState()) === 'active') found.push({ id, processedOn: job.processedOn });
    }
    return found;
  }

  /**
   * Adds one to a counter kept in the queues' Redis (shared by every worker), created with a
   * lifetime of `ttlMs`; resolves to the new value. Rate windows use it (delivery/provider-rate-limit.ts).
   */
  async countInWindow(key: string, ttlMs: number): Promise<number> {
    const queue = this.queues.bulk;
    const redis = await (queue.getBackend() as unknown as { client: Promise<RedisCounterClient> }).client;
    const [[, count]] = (await redis.multi().incr(queue.toKey(key)).pexpire(queue.toKey(key), ttlMs, 'NX').exec()) as [[unknown, number]];
    return count;
  }

  /** Drops a countInWindow counter (a step that counted itself failed and may be tried again). */
  async forgetCount(key: string): Promise<void> {
    const queue = this.queues.bulk;
    const redis = await (queue.getBackend() as unknown as { client: Promise<RedisCounterClient> }).client;
    await redis.del(queue.toKey(key));
  }

  async upsertSchedule(id: string, pattern: string, job: JobOf): Promise<void> {
    await this.queues[JOB_QUEUE[job.name]].upsertJobScheduler(
      id,
      { pattern },
      { name: job.name, data: job.data, opts: JOB_OPTIONS[job.name] },
    );
  }

  /** Registers the schedule only when Redis does not know it (it lost its data): existing ones keep their timing. */
  async ensureSchedule(id: string, pattern: string, job: JobOf): Promise<boolean> {
    if (await this.queues[JOB_QUEUE[job.name]].getJobScheduler(id)) return false;
    await this.upsertSchedule(id, pattern, job);
    return true;
  }

  /** The payloads of the jobs of one name that are waiting, delayed or running: for small queues only. */
  async pendingPayloads<N extends JobName>(name: N): Promise<Array<JobOf<N>['data']>> {
    const jobs = await this.queues[JOB_QUEUE[name]].getJobs(['active', 'waiting', 'delayed', 'prioritized', 'waiting-children']);
    return jobs.filter((job) => job?.name === name).map((job) => job.data as JobOf<N>['data']);
  }
}
