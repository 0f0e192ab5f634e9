import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';
import type { AppConfig } from '../config/config.module';

/** The one Prisma client of a process. Only repositories inject it. */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleDestroy {
  constructor(@Inject(ConfigService) config: AppConfig) {
    const connectionString = config.get('DATABASE_URL', { infer: true });
    // A statement stuck behind a lock, or a transaction left open, fails instead of silently
    // holding a queue worker forever; the job then retries.
    super({ adapter: new PrismaPg({ connectionString, max: 10, lock_timeout: 30_000, idle_in_transaction_session_timeout: 120_000 }) });
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
