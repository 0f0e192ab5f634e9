// The writes that make and stage `messages` rows for the planners (campaigns freezing a run's
// audience and running its A/B test, triggers making a firing's message and holding it until its
// time). The send path's writes (claim, commit, outcome) are in messages.repository.ts. Every
// statement is set-based: a million-recipient run is frozen in batches of one INSERT … SELECT.
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import type { Channel } from '../generated/prisma/enums';

/** A template's current version per locale, picked per recipient in SQL. */
export interface VersionChoice {
  locales: string[];
  versionIds: number[];
  /** for customers whose locale (or its language) has no variant */
  fallbackVersionId: number;
}

/** A transactional message to make for a customer (a trigger firing's), unique by its idempotency key. */
export interface NewKeyedMessage {
  idempotencyKey: string;
  customerId: number;
  channel: Channel;
  status: 'queued' | 'held';
  scheduledFor: Date | null;
  reason: string | null;
}

export interface MadeMessage {
  id: bigint;
  idempotencyKey: string;
  status: string;
}

/**
 * A local-time run: each recipient's message is held until `time` on `date` in their zone (the
 * default zone when theirs is missing or unknown to PostgreSQL), or until that time the day after
 * when it comes before `notBefore`.
 */
export interface LocalDelivery {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM */
  time: string;
  notBefore: Date;
  defaultTimeZone: string;
}

type Tx = Prisma.TransactionClient;

/**
 * The version of the customer `c` (its locale, else the locale's language, else the fallback),
 * as an SQL expression; NULL when the channel has no template.
 */
function versionOf(choice: VersionChoice | undefined): Prisma.Sql {
  if (!choice) return Prisma.sql`NULL::int`;
  const byLocale = (locale: Prisma.Sql) => Prisma.sql`(SELECT v.version_id
      FROM unnest(${choice.locales}::text[], ${choice.versionIds}::int[]) AS v(locale, version_id) WHERE v.locale = ${locale} LIMIT 1)`;
  return Prisma.sql`COALESCE(${byLocale(Prisma.sql`c.locale`)}, ${byLocale(Prisma.sql`split_part(c.locale, '-', 1)`)}, ${choice.fallbackVersionId}::int)`;
}

@Injectable()
export class OutgoingMessagesRepository {
  /** The time zone names PostgreSQL knows, read once: reading pg_timezone_names takes a few hundred ms. */
  private zoneNames?: Promise<string[]>;

  constructor(private readonly prisma: PrismaService) {}

  // ── campaign runs ──

  /**
   * One batch of a run's audience as bulk rows: queued, or for a local-time run held until each
   * recipient's local time (the run's feeder releases them when due). ON CONFLICT makes a
   * repeated batch (a prepare job retried) harmless.
   */
  async freezeBatch(
    run: { id: number; campaignId: number; channel: Channel },
    customerIds: number[],
    versions: VersionChoice,
    local: LocalDelivery | null = null,
  ): Promise<number> {
    if (!local)
      return this.prisma.$executeRaw`
        INSERT INTO messages (run_id, campaign_id, customer_id, channel, lane, status, template_version_id)
        SELECT ${run.id}, ${run.campaignId}, c.id, ${run.channel}::"Channel", 'bulk', 'queued', ${versionOf(versions)}
          FROM customers c
         WHERE c.id = ANY(${customerIds}::int[])
        ON CONFLICT (run_id, customer_id) DO NOTHING`;
    // A stored zone PostgreSQL does not know would fail the whole statement: such a customer
    // (and one without a zone) is treated as living in the default zone.
    const zones = await this.knownZones();
    const fallback = zones.includes(local.defaultTimeZone) ? local.defaultTimeZone : 'Europe/Moscow';
    const onDate = (days: number) => Prisma.sql`((${local.date}::date + ${days}::int + ${local.time}::time) AT TIME ZONE z.zone)`;
    return this.prisma.$executeRaw`
      INSERT INTO messages (run_id, campaign_id, customer_id, channel, lane, status, status_reason, scheduled_for, template_version_id)
      SELECT ${run.id}, ${run.campaignId}, c.id, ${run.channel}::"Channel", 'bulk', 'held', ${`local time ${local.time}`},
             (CASE WHEN ${onDate(0)} >= ${local.notBefore.toISOString()}::timestamptz THEN ${onDate(0)} ELSE ${onDate(1)} END) AT TIME ZONE 'UTC',
             ${versionOf(versions)}
        FROM customers c
        LEFT JOIN unnest(${zones}::text[]) AS known(name) ON known.name = c.time_zone
        CROSS JOIN LATERAL (SELECT COALESCE(known.name, ${fallback}) AS zone) z
       WHERE c.id = ANY(${customerIds}::int[])
      ON CONFLICT (run_id, customer_id) DO NOTHING`;
  }

  private knownZones(): Promise<string[]> {
    this.zoneNames ??= this.prisma.$queryRaw<Array<{ name: string }>>`SELECT name FROM pg_timezone_names`.then(
      (rows) => rows.map((row) => row.name),
      (error: unknown) => {
        this.zoneNames = undefined;
        throw error;
      },
    );
    return this.zoneNames;
  }

  /**
   * A sending run's held messages whose time has come (local time, sending window, quiet hours;
   * not the A/B rest, which has no time) → queued, at most `limit`, earliest first. Returns their
   * ids for the feeder to enqueue; the send decision checks consent and suppression again.
   */
  async releaseDueInRun(runId: number, now: Date, limit: number): Promise<bigint[]> {
    const rows = await this.prisma.$queryRaw<Array<{ id: bigint }>>`
      UPDATE messages SET status = 'queued', status_reason = NULL
       WHERE id IN (SELECT id FROM messages
                     WHERE run_id = ${runId} AND status = 'held' AND scheduled_for <= (${now.toISOString()}::timestamptz AT TIME ZONE 'UTC')
                     ORDER BY scheduled_for LIMIT ${limit})
         AND status = 'held'
      RETURNING id`;
    return rows.map((row) => row.id);
  }

  async cancelPending(runId: number): Promise<number> {
    return this.prisma.$executeRaw`
      UPDATE messages SET status = 'cancelled', status_reason = 'run cancelled' WHERE run_id = ${runId} AND status IN ('queued', 'held')`;
  }

  /** A random sample of the run gets the variants in turn; the rest waits, held, for the winner. */
  async assignAbSample(runId: number, variants: Array<{ key: string; versions: VersionChoice }>, sampleSize: number): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`
        WITH sample AS (
          SELECT id, row_number() OVER () AS n FROM (SELECT id FROM messages WHERE run_id = ${runId} ORDER BY random() LIMIT ${sampleSize}) s
        )
        UPDATE messages m SET variant = (${variants.map((v) => v.key)}::text[])[1 + (sample.n % ${variants.length})]
          FROM sample WHERE m.id = sample.id`;
      for (const variant of variants) await this.applyVersions(tx, runId, variant.key, variant.versions);
      await tx.$executeRaw`
        UPDATE messages SET status = 'held', status_reason = 'waiting for the A/B test winner' WHERE run_id = ${runId} AND variant IS NULL AND status = 'queued'`;
    });
  }

  /** The held rest of the run → queued with the winning variant and its versions (in the caller's transaction). */
  async releaseToWinnerIn(tx: Tx, runId: number, winner: string, versions: VersionChoice): Promise<void> {
    await tx.$executeRaw`
      UPDATE messages SET variant = ${winner}, status = 'queued', status_reason = NULL
       WHERE run_id = ${runId} AND variant IS NULL AND status = 'held'`;
    await this.applyVersions(tx, runId, winner, versions, true);
  }

  private async applyVersions(tx: Tx, runId: number, variant: string, versions: VersionChoice, queuedOnly = false): Promise<void> {
    await tx.$executeRaw`
      UPDATE messages m SET template_version_id = ${versionOf(versions)}
        FROM customers c
       WHERE m.run_id = ${runId} AND m.variant = ${variant} AND c.id = m.customer_id AND (${!queuedOnly} OR m.status = 'queued')`;
  }

  // ── keyed transactional messages (trigger firings) ──

  /**
   * One transactional row per entry, with the version of the customer's locale for its channel;
   * an existing idempotency key makes nothing. Returns the rows made (queued ones are the
   * caller's to enqueue after commit).
   */
  async insertKeyedIn(
    tx: Tx,
    rows: readonly NewKeyedMessage[],
    versions: Partial<Record<Channel, VersionChoice>>,
    data: Record<string, unknown>,
  ): Promise<MadeMessage[]> {
    if (!rows.length) return [];
    const made = await tx.$queryRaw<Array<{ id: bigint; idempotency_key: string; status: string }>>`
      INSERT INTO messages (customer_id, channel, lane, status, status_reason, template_version_id, data, idempotency_key, scheduled_for)
      SELECT v.customer_id, v.channel::"Channel", 'transactional', v.status::"MessageStatus", v.reason,
             CASE v.channel WHEN 'sms' THEN ${versionOf(versions.sms)} ELSE ${versionOf(versions.email)} END,
             ${JSON.stringify(data)}::jsonb, v.idempotency_key, v.scheduled_for AT TIME ZONE 'UTC'
        FROM unnest(${rows.map((r) => r.idempotencyKey)}::text[], ${rows.map((r) => r.customerId)}::int[],
                    ${rows.map((r) => r.channel)}::text[], ${rows.map((r) => r.status)}::text[],
                    ${rows.map((r) => r.scheduledFor?.toISOString() ?? null)}::timestamptz[], ${rows.map((r) => r.reason)}::text[])
               AS v(idempotency_key, customer_id, channel, status, scheduled_for, reason)
        JOIN customers c ON c.id = v.customer_id
      ON CONFLICT (idempotency_key) DO NOTHING
      RETURNING id, idempotency_key, status::text AS status`;
    return made.map((m) => ({ id: m.id, idempotencyKey: m.idempotency_key, status: m.status }));
  }

  // ── held messages (trigger delays and quiet hours) ──

  /** Keeps held messages held until new times. */
  async rehold(ids: bigint[], until: Date[], reason: string): Promise<void> {
    if (!ids.length) return;
    await this.prisma.$executeRaw`
      UPDATE messages m SET scheduled_for = v.until AT TIME ZONE 'UTC', status_reason = ${reason}
        FROM unnest(${ids}::bigint[], ${until.map((d) => d.toISOString())}::timestamptz[]) AS v(id, until)
       WHERE m.id = v.id AND m.status = 'held'`;
  }

  /**
   * Held messages → `queued`, or `skipped` when since they were made the customer was erased,
   * opted out of the channel or had the address suppressed.
   */
  async release(ids: bigint[]): Promise<Array<{ id: bigint; status: string }>> {
    if (!ids.length) return [];
    return this.prisma.$queryRaw<Array<{ id: bigint; status: string }>>`
      WITH gone AS (
        SELECT m.id FROM messages m LEFT JOIN customers c ON c.id = m.customer_id
         WHERE m.id = ANY(${ids}::bigint[])
           AND (c.id IS NULL OR c.erased_at IS NOT NULL
                OR EXISTS (SELECT 1 FROM consents cs WHERE cs.customer_id = c.id AND cs.channel = m.channel AND cs.status = 'opted_out')
                OR EXISTS (SELECT 1 FROM suppressions s WHERE s.channel = m.channel
                            AND s.address_hash = encode(sha256(convert_to(CASE m.channel WHEN 'email' THEN c.email ELSE c.phone END, 'UTF8')), 'hex')))
      )
      UPDATE messages m
         SET status = CASE WHEN m.id IN (SELECT id FROM gone) THEN 'skipped'::"MessageStatus" ELSE 'queued'::"MessageStatus" END,
             status_reason = CASE WHEN m.id IN (SELECT id FROM gone) THEN 'no longer reachable when its time came' ELSE NULL END
       WHERE m.id = ANY(${ids}::bigint[]) AND m.status = 'held'
      RETURNING m.id, m.status::text AS status`;
  }
}
