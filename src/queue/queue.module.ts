import { Global, Inject, Logger, Module, OnApplicationBootstrap, OnModuleDestroy, type DynamicModule, type Type } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/config.module';
import { ALL_QUEUES, QueueName, SCHEDULES } from './job-catalogue';
import { JobHandlerRegistry } from './job-handlers';
import { JobQueue } from './job-queue';
import { BulkProcessor, CampaignsProcessor, FeedbackProcessor, MaintenanceProcessor, TransactionalProcessor } from './queue.processors';

export function redisConnection(redisUrl: string) {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username || undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: AppConfig) => ({
        connection: redisConnection(config.get('REDIS_URL', { infer: true })),
        prefix: config.get('QUEUE_PREFIX', { infer: true }),
      }),
    }),
    BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name }))),
  ],
  providers: [JobQueue, JobHandlerRegistry],
  exports: [JobQueue, JobHandlerRegistry, BullModule],
})
export class QueueModule {}

const PROCESSORS: Record<QueueName, Type> = {
  [QueueName.Transactional]: TransactionalProcessor,
  [QueueName.Bulk]: BulkProcessor,
  [QueueName.Feedback]: FeedbackProcessor,
  [QueueName.Maintenance]: MaintenanceProcessor,
  [QueueName.Campaigns]: CampaignsProcessor,
};

/** Worker role: the processors of the queues it serves (WORKER_QUEUES), and the check that every job has its handler. */
@Module({})
export class QueueWorkersModule implements OnApplicationBootstrap {
  /**
   * A worker for some queues only: e.g. one process for the transactional lane, so an order
   * notification never waits for CPU behind a campaign's sends in the same event loop.
   */
  static forQueues(queues: readonly QueueName[] = ALL_QUEUES): DynamicModule {
    return { module: QueueWorkersModule, providers: queues.map((name) => PROCESSORS[name]) };
  }

  constructor(private readonly registry: JobHandlerRegistry) {}

  onApplicationBootstrap(): void {
    this.registry.assertComplete();
  }
}

/** How often the scheduler checks that Redis still has every recurring job. */
const SCHEDULE_CHECK_MS = 30_000;

/**
 * Scheduler role: keeps the recurring jobs registered in Redis (idempotent upserts at start),
 * and registers again any that Redis lost (restarted without its data), so the ticks that
 * rescue orphaned runs and lost send jobs keep firing.
 */
@Module({})
export class QueueSchedulerModule implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Scheduler');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly jobs: JobQueue,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const schedule of SCHEDULES) await this.jobs.upsertSchedule(schedule.id, schedule.pattern, schedule.job(this.scheduleEnv()));
    this.timer = setInterval(() => void this.restoreLostSchedules(), SCHEDULE_CHECK_MS);
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private async restoreLostSchedules(): Promise<void> {
    try {
      const restored: string[] = [];
      for (const schedule of SCHEDULES) {
        if (await this.jobs.ensureSchedule(schedule.id, schedule.pattern, schedule.job(this.scheduleEnv()))) restored.push(schedule.id);
      }
      if (restored.length) this.logger.warn(`recurring jobs missing from Redis registered again: ${restored.join(', ')}`);
    } catch (error) {
      // Redis is down: the next check tries again.
      this.logger.warn(`recurring jobs not checked: ${(error as Error).message}`);
    }
  }

  private scheduleEnv() {
    return { outboxRetentionDays: this.config.get('OUTBOX_RETENTION_DAYS', { infer: true }) };
  }
}
