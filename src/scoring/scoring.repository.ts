import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Prisma } from '../generated/prisma/client';
import type { ScoringStatement } from './scoring.sql';

export interface RecomputeCounts {
  /** Live customers that got RFM scores (they have orders). */
  scored: number;
  /** Rows whose scores changed and were written. */
  changed: number;
}

export interface ScoreSummaryRow {
  rfm_group: string | null;
  abc_class: string | null;
  xyz_class: string | null;
  rating: string | null;
  dimension: 'rfm_group' | 'abc_xyz' | 'rating';
  customers: number;
}

const SETTINGS_ID = 1;
/** Two recomputes never overlap: the second waits for the first to commit. */
const LOCK_KEY = 'otklik:scoring';
const RECOMPUTE_TIMEOUT_MS = 60 * 60_000;

@Injectable()
export class ScoringRepository {
  constructor(private readonly prisma: PrismaService) {}

  loadSettings() {
    return this.prisma.scoringSettings.findUnique({ where: { id: SETTINGS_ID } });
  }

  saveSettings(config: Prisma.InputJsonValue) {
    return this.prisma.scoringSettings.upsert({ where: { id: SETTINGS_ID }, create: { id: SETTINGS_ID, config }, update: { config } });
  }

  async deleteSettings(): Promise<void> {
    await this.prisma.scoringSettings.deleteMany({ where: { id: SETTINGS_ID } });
  }

  createRun(trigger: string, status: 'queued' | 'running') {
    return this.prisma.scoringRun.create({ data: { trigger, status, startedAt: status === 'running' ? new Date() : null } });
  }

  getRun(id: number) {
    return this.prisma.scoringRun.findUnique({ where: { id } });
  }

  listRuns(limit: number) {
    return this.prisma.scoringRun.findMany({ orderBy: { id: 'desc' }, take: limit });
  }

  markRunning(id: number, config: Prisma.InputJsonValue) {
    return this.prisma.scoringRun.update({ where: { id }, data: { status: 'running', config, startedAt: new Date(), error: null } });
  }

  finishRun(id: number, counts: RecomputeCounts, durationMs: number) {
    return this.prisma.scoringRun.update({
      where: { id },
      data: { status: 'completed', scoredCustomers: counts.scored, changedCustomers: counts.changed, durationMs, finishedAt: new Date() },
    });
  }

  failRun(id: number, error: string, durationMs: number) {
    return this.prisma.scoringRun.update({ where: { id }, data: { status: 'failed', error, durationMs, finishedAt: new Date() } });
  }

  /** Runs the statements of buildScoringSql in order, in one transaction. */
  recompute(statements: readonly ScoringStatement[]): Promise<RecomputeCounts> {
    return this.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${LOCK_KEY}))`;
        const counts: RecomputeCounts = { scored: 0, changed: 0 };
        for (const st of statements) {
          if (st.name === 'settings') {
            await tx.$queryRawUnsafe(st.sql, ...st.params);
          } else if (st.name === 'count_scores') {
            const [row] = await tx.$queryRawUnsafe<Array<{ scored: number }>>(st.sql, ...st.params);
            counts.scored = row.scored;
          } else {
            const affected = await tx.$executeRawUnsafe(st.sql, ...st.params);
            if (st.name === 'apply_scores' || st.name === 'apply_no_orders') counts.changed += affected;
          }
        }
        return counts;
      },
      { timeout: RECOMPUTE_TIMEOUT_MS, maxWait: 10_000 },
    );
  }

  /** How many live customers are in each RFM group, ABC×XYZ cell and rating. */
  async summary(): Promise<ScoreSummaryRow[]> {
    const rows = await this.prisma.$queryRaw<Array<Omit<ScoreSummaryRow, 'customers'> & { customers: bigint }>>`
      SELECT rfm_group, abc_class::text AS abc_class, xyz_class::text AS xyz_class, rating::text AS rating,
             CASE WHEN GROUPING(rfm_group) = 0 THEN 'rfm_group' WHEN GROUPING(abc_class) = 0 THEN 'abc_xyz' ELSE 'rating' END AS dimension,
             count(*) AS customers
        FROM customers
       WHERE erased_at IS NULL
       GROUP BY GROUPING SETS ((rfm_group), (abc_class, xyz_class), (rating))`;
    return rows.map((r) => ({ ...r, customers: Number(r.customers) }));
  }
}
