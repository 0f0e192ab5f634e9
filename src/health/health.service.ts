import { Injectable } from '@nestjs/common';
import { redactSecrets } from '../common/redact';
import { PrismaService } from '../database/prisma.service';
import { JobQueue } from '../queue/job-queue';
import { QueueName } from '../queue/job-catalogue';

type Check = { status: 'ok' } | { status: 'down'; error: string };

const TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} did not answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref(),
    ),
  ]);
}

async function check(run: () => Promise<unknown>, what: string): Promise<Check> {
  try {
    await withTimeout(run(), what);
    return { status: 'ok' };
  } catch (error) {
    // /health is public: a driver's message may quote a connection URL with its password.
    return { status: 'down', error: redactSecrets(error instanceof Error ? error.message : String(error)) };
  }
}

@Injectable()
export class HealthService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly jobs: JobQueue,
  ) {}

  async check() {
    const [database, redis] = await Promise.all([
      check(() => this.prisma.$queryRaw`SELECT 1`, 'PostgreSQL'),
      check(() => this.jobs.queue(QueueName.Maintenance).getJobCounts('waiting'), 'Redis'),
    ]);
    const ok = database.status === 'ok' && redis.status === 'ok';
    return { status: ok ? ('ok' as const) : ('down' as const), checks: { database, redis } };
  }
}
