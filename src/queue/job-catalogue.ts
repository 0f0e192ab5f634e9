// Every queue and job of Otklik, in one place. Payloads are ids and small parameters only:
// the database row owns the state, and a worker reloads it (STYLE.md, "Queues").
import type { JobsOptions } from 'bullmq';

export enum QueueName {
  /** Order notifications, birthday greetings, double opt-in: never waits behind bulk. */
  Transactional = 'transactional',
  /** Campaign messages. */
  Bulk = 'bulk',
  /** Inbound mail and webhooks to classify and apply. */
  Feedback = 'feedback',
  /** Housekeeping fired by the scheduler role. */
  Maintenance = 'maintenance',
}

export enum JobName {
  PruneOutbox = 'maintenance.prune-outbox',
  PruneSessions = 'maintenance.prune-sessions',
}

/** The payload of each job, by name. */
export interface JobPayloads {
  [JobName.PruneOutbox]: { olderThanDays: number };
  [JobName.PruneSessions]: Record<string, never>;
}

export type JobOf<N extends JobName = JobName> = N extends JobName ? { name: N; data: JobPayloads[N] } : never;

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.PruneOutbox]: QueueName.Maintenance,
  [JobName.PruneSessions]: QueueName.Maintenance,
};

const DEFAULTS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 5000 },
};

/** Per-job options, applied by the one enqueue function (JobQueue). */
export const JOB_OPTIONS: Record<JobName, JobsOptions> = {
  [JobName.PruneOutbox]: { ...DEFAULTS, attempts: 3 },
  [JobName.PruneSessions]: { ...DEFAULTS, attempts: 3 },
};

/** Recurring jobs the scheduler role keeps registered (cron in the server's time zone). */
export const SCHEDULES: ReadonlyArray<{ id: string; pattern: string; job: (env: { outboxRetentionDays: number }) => JobOf }> = [
  { id: 'prune-outbox', pattern: '17 3 * * *', job: (env) => ({ name: JobName.PruneOutbox, data: { olderThanDays: env.outboxRetentionDays } }) },
  { id: 'prune-sessions', pattern: '23 * * * *', job: () => ({ name: JobName.PruneSessions, data: {} }) },
];

export const ALL_QUEUES = Object.values(QueueName);
export const ALL_JOBS = Object.values(JobName);
