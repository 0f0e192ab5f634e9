import { Injectable, Logger } from '@nestjs/common';
import { ALL_JOBS, JobName, JobPayloads } from './job-catalogue';

export interface JobMeta {
  jobId?: string;
  attemptsMade: number;
  /** True when a thrown error would fail the job for good: the one place to record a final failure. */
  isLastAttempt: boolean;
}

export type JobHandler<N extends JobName> = (data: JobPayloads[N], meta: JobMeta) => Promise<unknown>;

/**
 * Domain services register the handler of each job they own; the queue processors dispatch
 * to them by job name. At worker boot `assertComplete` checks every job has exactly one handler.
 */
@Injectable()
export class JobHandlerRegistry {
  private readonly logger = new Logger(JobHandlerRegistry.name);
  private readonly handlers = new Map<JobName, JobHandler<JobName>>();

  register<N extends JobName>(name: N, handler: JobHandler<N>): void {
    if (this.handlers.has(name)) throw new Error(`Job ${name} has two handlers`);
    this.handlers.set(name, handler as unknown as JobHandler<JobName>);
  }

  assertComplete(): void {
    const missing = ALL_JOBS.filter((name) => !this.handlers.has(name));
    if (missing.length) throw new Error(`Jobs without a handler: ${missing.join(', ')}`);
    this.logger.log(`All ${ALL_JOBS.length} jobs have a handler`);
  }

  async run(name: string, data: unknown, meta: JobMeta): Promise<unknown> {
    const handler = this.handlers.get(name as JobName);
    if (!handler) throw new Error(`No handler for job ${name}`);
    return handler(data as never, meta);
  }
}
