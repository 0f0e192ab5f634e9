import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Prisma } from '../generated/prisma/client';
import type { CompiledQuery } from './dsl/compile-segment';
import type { BuiltinSegment } from './dsl/builtin-segments';

export interface SegmentData {
  name: string;
  description?: string | null;
  rules: Prisma.InputJsonValue;
}

/**
 * Saved segments through Prisma, and the audience queries the DSL compiler builds, run as
 * they come: the SQL text is the compiler's (allow-listed identifiers only) and every value is
 * a bound parameter, never spliced in.
 */
@Injectable()
export class SegmentsRepository {
  constructor(private readonly prisma: PrismaService) {}

  list() {
    return this.prisma.segment.findMany({ orderBy: { id: 'asc' } });
  }

  get(id: number) {
    return this.prisma.segment.findUnique({ where: { id } });
  }

  create(data: SegmentData) {
    return this.prisma.segment.create({ data });
  }

  update(id: number, data: Partial<SegmentData>) {
    return this.prisma.segment.update({ where: { id }, data });
  }

  async delete(id: number): Promise<void> {
    await this.prisma.segment.delete({ where: { id } });
  }

  /** Campaigns and triggers that point at the segment (they keep it from being deleted). */
  async usage(id: number): Promise<{ campaigns: number; triggers: number }> {
    const [campaigns, triggers] = await Promise.all([
      this.prisma.campaign.count({ where: { segmentId: id } }),
      this.prisma.trigger.count({ where: { segmentId: id } }),
    ]);
    return { campaigns, triggers };
  }

  /**
   * Creates or refreshes the built-in segments by key. One atomic statement each, so processes
   * starting at the same moment do not trip over each other's inserts.
   */
  async upsertBuiltins(segments: readonly BuiltinSegment[]): Promise<void> {
    for (const s of segments) {
      const rules = JSON.stringify(s.rules);
      await this.prisma.$executeRaw`
        INSERT INTO segments (key, name, description, rules, built_in, updated_at)
        VALUES (${s.key}, ${s.name}, ${s.description}, ${rules}::jsonb, true, now())
        ON CONFLICT (key) DO UPDATE
          SET name = EXCLUDED.name, description = EXCLUDED.description, rules = EXCLUDED.rules, built_in = true, updated_at = now()
          WHERE (segments.name, segments.description, segments.rules, segments.built_in)
                IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.description, EXCLUDED.rules, true)`;
    }
  }

  /** A compiled count query (`SELECT count(*) AS count ...`). */
  async count(query: CompiledQuery): Promise<number> {
    const [row] = await this.run<{ count: bigint }>(query, COUNT_SETTINGS);
    return Number(row.count);
  }

  /** A compiled sample or batch query: rows keyed by column name. */
  rows(query: CompiledQuery): Promise<Record<string, unknown>[]> {
    return this.run<Record<string, unknown>>(query, BATCH_SETTINGS);
  }

  /** A compiled batch query that selects only `id`. */
  async ids(query: CompiledQuery): Promise<number[]> {
    const rows = await this.run<{ id: number }>(query, BATCH_SETTINGS);
    return rows.map((r) => r.id);
  }

  private async run<T>(query: CompiledQuery, settings: string): Promise<T[]> {
    const [, rows] = await this.prisma.$transaction(
      [this.prisma.$queryRawUnsafe(settings), this.prisma.$queryRawUnsafe<T[]>(query.sql, ...query.params)],
      // Prisma's default of 5 s would abort a count of a large base; the statement timeout ends it first.
      { timeout: QUERY_TIMEOUT_S * 1000 + 5000 },
    );
    return rows;
  }
}

/** An audience query that runs longer than this is cancelled (a count of millions takes seconds). */
const QUERY_TIMEOUT_S = 120;

// Settings for the one transaction around an audience query (`set_config(…, true)` is SET LOCAL).
// JIT compiling these one-shot scans costs more than it saves: hundreds of ms per count.
const BATCH_SETTINGS = `SELECT set_config('jit', 'off', true), set_config('statement_timeout', '${QUERY_TIMEOUT_S}s', true)`;
// A count reads the whole base, where hash joins are the safe choice. Conditions on JSON
// attributes or cast columns are estimated at a fraction of a percent of the rows, and with
// nested loops allowed such a misestimate made a 1M-customer count that takes seconds run for
// over fifteen minutes (a nested loop rescanning a materialized join for every customer).
const COUNT_SETTINGS = `${BATCH_SETTINGS}, set_config('work_mem', '64MB', true), set_config('enable_nestloop', 'off', true)`;
