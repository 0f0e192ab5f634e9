import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import type { Prisma } from '../generated/prisma/client';
import { JobName } from '../queue/job-catalogue';
import { JobHandlerRegistry } from '../queue/job-handlers';
import { JobQueue } from '../queue/job-queue';
import type { ScoringConfig } from './scoring-config';
import { ScoringRepository } from './scoring.repository';
import { ScoringRunner } from './scoring.runner';

@Injectable()
export class ScoringService implements OnModuleInit {
  constructor(
    private readonly scoring: ScoringRepository,
    private readonly runner: ScoringRunner,
    private readonly jobs: JobQueue,
    private readonly handlers: JobHandlerRegistry,
  ) {}

  onModuleInit(): void {
    this.handlers.register(JobName.ScoringRecompute, async ({ runId }) => {
      const run = await this.runner.run(runId !== undefined ? { runId } : { trigger: 'schedule' });
      return { runId: run.id, status: run.status };
    });
  }

  config() {
    return this.runner.currentConfig();
  }

  /** Saves settings validated at the edge; they apply from the next run. */
  async saveConfig(config: ScoringConfig) {
    await this.scoring.saveSettings(config as unknown as Prisma.InputJsonValue);
    return this.runner.currentConfig();
  }

  async resetConfig() {
    await this.scoring.deleteSettings();
    return this.runner.currentConfig();
  }

  /** Queues a recompute on the worker; the returned run shows its progress. */
  async requestRun() {
    const run = await this.scoring.createRun('api', 'queued');
    await this.jobs.enqueue({ name: JobName.ScoringRecompute, data: { runId: run.id } }, { jobId: `scoring-run-${run.id}` });
    return run;
  }

  listRuns(limit: number) {
    return this.scoring.listRuns(limit);
  }

  async getRun(id: number) {
    const run = await this.scoring.getRun(id);
    if (!run) throw DomainError.notFound('Scoring run', id);
    return run;
  }

  /** Customers per RFM group, ABC×XYZ cell and rating. */
  async summary() {
    const rows = await this.scoring.summary();
    const pick = (dimension: string) => rows.filter((r) => r.dimension === dimension);
    return {
      rfmGroups: pick('rfm_group').map((r) => ({ group: r.rfm_group, customers: r.customers })),
      abcXyz: pick('abc_xyz').map((r) => ({ abc: r.abc_class, xyz: r.xyz_class, customers: r.customers })),
      ratings: pick('rating').map((r) => ({ rating: r.rating, customers: r.customers })),
    };
  }
}
