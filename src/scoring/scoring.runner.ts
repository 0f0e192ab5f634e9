import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import type { Prisma } from '../generated/prisma/client';
import { DEFAULT_SCORING_CONFIG, parseScoringConfig, ScoringConfigError, type ScoringConfig } from './scoring-config';
import { buildScoringSql } from './scoring.sql';
import { ScoringRepository } from './scoring.repository';

export interface CurrentScoringConfig {
  config: ScoringConfig;
  /** `default` until someone saves settings. */
  source: 'default' | 'saved';
  updatedAt: Date | null;
}

/**
 * Recomputes every customer's scores with the current settings and records the run. Used by
 * the queue job (nightly and on demand), the `scoring:run` command and the benchmark; it does
 * not depend on the queue, so those can run it in-process.
 */
@Injectable()
export class ScoringRunner {
  private readonly logger = new Logger(ScoringRunner.name);

  constructor(private readonly scoring: ScoringRepository) {}

  /** The saved settings (checked again on every read, in case they were written by hand), or the defaults. */
  async currentConfig(): Promise<CurrentScoringConfig> {
    const saved = await this.scoring.loadSettings();
    if (!saved) return { config: DEFAULT_SCORING_CONFIG, source: 'default', updatedAt: null };
    try {
      return { config: parseScoringConfig(saved.config), source: 'saved', updatedAt: saved.updatedAt };
    } catch (error) {
      if (!(error instanceof ScoringConfigError)) throw error;
      throw new DomainError(
        'invalid_state',
        `The saved scoring settings are invalid (${error.errors.join('; ')}); save valid ones or reset them to the defaults`,
      );
    }
  }

  /**
   * Runs a queued run (`runId`) or a new one. A run that already completed is returned as it
   * is, so a retried job never scores twice. Failures are recorded on the run and rethrown.
   */
  async run(request: { runId?: number; trigger?: string }) {
    let run =
      request.runId !== undefined
        ? await this.scoring.getRun(request.runId)
        : await this.scoring.createRun(request.trigger ?? 'api', 'running');
    if (!run) throw DomainError.notFound('Scoring run', request.runId ?? 0);
    if (run.status === 'completed') return run;
    const started = Date.now();
    try {
      const { config } = await this.currentConfig();
      run = await this.scoring.markRunning(run.id, config as unknown as Prisma.InputJsonValue);
      const counts = await this.scoring.recompute(buildScoringSql(config));
      const finished = await this.scoring.finishRun(run.id, counts, Date.now() - started);
      this.logger.log(`Scoring run ${run.id}: ${counts.scored} customers scored, ${counts.changed} changed, ${finished.durationMs} ms`);
      return finished;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.scoring.failRun(run.id, message.slice(0, 2000), Date.now() - started);
      throw error;
    }
  }
}
