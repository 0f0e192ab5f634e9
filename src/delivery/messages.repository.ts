// The send path's database work. Every statement here takes many message ids at once: the
// worker gathers the calls of its concurrent jobs (BatchCoalescer) so a campaign costs a few
// statements per batch instead of several round trips per message.
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Pool } from 'pg';
import type { AppConfig } from '../config/config.module';
import type { SendingWindow } from '../common/sending-window';
import { withRetries } from '../common/with-retries';
import { PrismaService } from '../database/prisma.service';
import type { Prisma } from '../generated/prisma/client';
import type { Channel, ConsentStatus, Lane, MessageStatus, RunStatus, SuppressionReason } from '../generated/prisma/enums';

/** A claimed message with what the send decision and the renderer need. */
export interface ClaimedMessage {
  id: bigint;
  channel: Channel;
  lane: Lane;
  runId: number | null;
  campaignId: number | null;
  customerId: number | null;
  templateVersionId: number | null;
  variant: string | null;
  data: unknown;
  attempts: number;
  /** 4xx answers so far: the message's place in SMTP_RETRY_SCHEDULE. */
  deferrals: number;
  runStatus: RunStatus | null;
  address: string | null;
  addressValid: boolean;
  erased: boolean;
  timeZone: string | null;
  consent: ConsentStatus | null;
  suppression: SuppressionReason | null;
  recentBulkCount: number;
  /** The campaign's sending window, if it has one. */
  sendingWindow: SendingWindow | null;
}

/** One claim of a message: its id and the attempt number the claim gave it. */
export interface MessageClaim {
  id: bigint;
  attempt: number;
}

/** What to do at the final dot: send it, or stop (run paused or cancelled, address suppressed, row taken over). */
export type CommitVerdict = 'commit' | 'paused' | 'cancelled' | 'suppressed' | 'lost';

/**
 * A commit point begun (MessagesRepository.beginCommit): the rows granted `commit` are
 * `committing` in a transaction not yet committed. The caller writes the final dots of those
 * claims, then calls `commit()` in the same tick, with no await between: a worker killed at any
 * point before leaves neither (the transaction rolls back, the message is sent again later), one
 * killed after leaves both. (A gap of one database round trip between them, as a COMMIT before
 * the dots had, was where a kill lost messages.) `commit()` sends the COMMIT at the call; if it
 * fails or its outcome is unknown, the granted claims are recorded `committing` again on another
 * connection (retried) before it resolves, as their dots may be out. It rejects only when that
 * record failed too: the dots' messages then stay `sending` until their outcomes are recorded.
 * Calling it again returns the same promise.
 */
export interface PendingCommit {
  readonly verdicts: ReadonlyMap<MessageClaim, CommitVerdict>;
  commit(): Promise<void>;
}

export type ClaimResult =
  | { outcome: 'claimed'; message: ClaimedMessage }
  /** Already sent, failed, skipped or cancelled: nothing to do. */
  | { outcome: 'done' }
  /** Sending or committing under another worker's lease: look again when the lease has run out. */
  | { outcome: 'busy'; retryAt: Date };

export interface StatusChange {
  status: MessageStatus;
  reason?: string | null;
  providerMessageId?: string | null;
  headerMessageId?: string | null;
}

interface ClaimRow {
  id: string; // int8 comes back from node-postgres as text
  channel: Channel;
  lane: Lane;
  run_id: number | null;
  campaign_id: number | null;
  customer_id: number | null;
  template_version_id: number | null;
  variant: string | null;
  data: unknown;
  attempts: number;
  deferrals: number;
  run_status: RunStatus | null;
  address: string | null;
  address_valid: boolean | null;
  erased: boolean;
  time_zone: string | null;
  consent: ConsentStatus | null;
  suppression: SuppressionReason | null;
  recent_bulk: number;
  sending_window: SendingWindow | null;
}

@Injectable()
export class MessagesRepository implements OnModuleDestroy {
  private readonly logger = new Logger(MessagesRepository.name);
  /**
   * The send path's own connections (node-postgres, not Prisma). The commit's COMMIT must be
   * written in the same tick as the final dots, which Prisma's transaction API cannot promise;
   * the claim and the outcomes run here too, as they run once per message: Prisma's per-query
   * work and row mapping were 6% of a send's CPU. The per-message statements are named (prepared
   * once per connection): planning the claim again for every batch cost the database more than
   * running it.
   */
  private readonly sendPool: Pool;

  constructor(
    private readonly prisma: PrismaService,
    @Inject(ConfigService) config: AppConfig,
  ) {
    // Up to two batches of each kind (claim, commit, outcomes) per lane run at once; beyond
    // eight statements in flight, a batch waits for a connection.
    this.sendPool = new Pool({
      connectionString: config.get('DATABASE_URL', { infer: true }),
      max: 8,
      lock_timeout: 30_000,
      idle_in_transaction_session_timeout: 120_000,
    });
    // A connection dropped while idle (a database restart) is replaced on the next checkout.
    this.sendPool.on('error', (error) => this.logger.warn(`send-path connection lost: ${error.message}`));
  }

  async onModuleDestroy(): Promise<void> {
    await this.sendPool.end();
  }

  /**
   * Moves queued/held rows (and `sending` rows whose worker's lease ran out: the final dot was
   * never written, so sending again is safe) to `sending`, and returns them with the customer's
   * address, consent, suppression and recent bulk count. Rows left `committing` by a dead
   * worker are marked sent: the server may have the message, so it is never sent twice.
   */
  async claim(ids: bigint[], leaseSeconds: number): Promise<Map<bigint, ClaimResult>> {
    const idTexts = ids.map(String);
    const lease = `${leaseSeconds} seconds`;
    await this.sendPool.query({
      name: 'otklik_claim_dead_commits',
      text: `UPDATE messages SET status = 'sent', sent_at = COALESCE(sent_at, now()),
                    status_reason = 'final dot written before a worker stopped; delivery not confirmed'
              WHERE id = ANY($1::bigint[]) AND status = 'committing' AND sending_at < now() - $2::interval`,
      values: [idTexts, lease],
    });
    const { rows } = await this.sendPool.query<ClaimRow>({ name: 'otklik_claim', text: CLAIM_SQL, values: [idTexts, lease] });
    const results = new Map<bigint, ClaimResult>(ids.map((id) => [id, { outcome: 'done' }]));
    const claimed = new Set(rows.map((row) => row.id));
    const unclaimed = ids.filter((id) => !claimed.has(id.toString()));
    if (unclaimed.length) {
      // A job for a row some other worker holds (a stalled job handed over before the dead
      // worker's lease ran out, or a duplicate job): it must come back, not be dropped.
      // The time comes back as epoch milliseconds: the column holds UTC without a zone.
      const busy = await this.sendPool.query<{ id: string; retry_at_ms: number }>(
        `SELECT id, (extract(epoch FROM sending_at + $2::interval + interval '1 second') * 1000)::float8 AS retry_at_ms FROM messages
          WHERE id = ANY($1::bigint[]) AND status IN ('sending', 'committing')`,
        [unclaimed.map(String), lease],
      );
      for (const row of busy.rows) results.set(BigInt(row.id), { outcome: 'busy', retryAt: new Date(row.retry_at_ms) });
    }
    for (const row of rows) {
      const id = BigInt(row.id);
      results.set(id, {
        outcome: 'claimed',
        message: {
          id,
          channel: row.channel,
          lane: row.lane,
          runId: row.run_id,
          campaignId: row.campaign_id,
          customerId: row.customer_id,
          templateVersionId: row.template_version_id,
          variant: row.variant,
          data: row.data,
          attempts: row.attempts,
          deferrals: row.deferrals,
          runStatus: row.run_status,
          address: row.address,
          addressValid: row.address_valid ?? false,
          erased: row.erased,
          timeZone: row.time_zone,
          consent: row.consent,
          suppression: row.suppression,
          recentBulkCount: row.recent_bulk,
          sendingWindow: row.sending_window,
        },
      });
    }
    return results;
  }

  /**
   * The first half of the commit point: `sending` → `committing` in an open transaction, unless
   * meanwhile the run was paused or cancelled (a pause takes effect even for messages already
   * handed to a connection), the address was suppressed (suppression always wins, up to the last
   * moment), or the lease ran out and another worker took the row. Anything but `commit` must
   * not be sent. Each claim is named by the message id and its attempt number (`attempts` after
   * the claim): a row claimed again since (a duplicate job after its lease ran out) has another
   * number, so the first claimant is told `lost` instead of committing a second copy.
   *
   * The caller then writes the final dots of the claims granted `commit` and calls `commit()`
   * in the same tick, with no await between (see PendingCommit).
   */
  async beginCommit(claims: MessageClaim[]): Promise<PendingCommit> {
    const ids = claims.map((claim) => claim.id.toString());
    const attempts = claims.map((claim) => claim.attempt);
    const client = await this.sendPool.connect();
    let broken: Error | undefined;
    // A checked-out client has no pool listener: a connection killed between statements would
    // otherwise be an unhandled 'error' event and take the worker down.
    const onError = (error: Error) => (broken ??= error);
    client.on('error', onError);
    const release = () => {
      client.removeListener('error', onError);
      client.release(broken);
    };
    let verdicts: Map<MessageClaim, CommitVerdict>;
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{
        id: string;
        attempt: number;
        status: MessageStatus;
        run_status: RunStatus | null;
        moved: boolean;
      }>({ name: 'otklik_mark_committing', text: MARK_COMMITTING_SQL, values: [ids, attempts] });
      verdicts = commitVerdicts(claims, rows);
    } catch (error) {
      // Nothing was granted, so no dot went out: the transaction is dropped.
      broken ??= error as Error;
      await client.query('ROLLBACK').catch(() => undefined);
      release();
      throw error;
    }
    let committing: Promise<void> | null = null;
    const commit = async (): Promise<void> => {
      let failed: Error | undefined;
      try {
        // Sent at the call, before the first await: the dots written just before go out with it.
        await client.query('COMMIT');
      } catch (error) {
        failed = broken = error as Error;
      }
      try {
        if (!failed) return;
        // The COMMIT failed or its outcome is unknown, and the dots may be out: those messages
        // were sent whatever the database says. Record that on another connection before
        // anything else can take their rows for a second copy.
        const granted = claims.filter((claim) => verdicts.get(claim) === 'commit');
        this.logger.warn(`COMMIT after ${granted.length} final dots failed (${failed.message}); recording them again`);
        await withRetries(() => this.markCommittedAgain(granted), 'recording final dots');
      } finally {
        release();
      }
    };
    return { verdicts, commit: () => (committing ??= commit()) };
  }

  /** After a failed COMMIT whose final dots went out: `sending` → `committing` for those claims, autocommitted. */
  private async markCommittedAgain(claims: MessageClaim[]): Promise<void> {
    if (!claims.length) return;
    await this.sendPool.query(
      `UPDATE messages m SET status = 'committing'
         FROM unnest($1::bigint[], $2::int[]) AS mine(id, attempt)
        WHERE m.id = mine.id AND m.attempts = mine.attempt AND m.status = 'sending'`,
      [claims.map((claim) => claim.id.toString()), claims.map((claim) => claim.attempt)],
    );
  }

  /** Applies many status changes in one statement; `sent` also stamps sent_at. */
  async applyStatusChanges(changes: Map<bigint, StatusChange>): Promise<void> {
    if (!changes.size) return;
    const ids: string[] = [];
    const statuses: string[] = [];
    const reasons: Array<string | null> = [];
    const providerIds: Array<string | null> = [];
    const headerIds: Array<string | null> = [];
    for (const [id, change] of changes) {
      ids.push(id.toString());
      statuses.push(change.status);
      reasons.push(change.reason ?? null);
      providerIds.push(change.providerMessageId ?? null);
      headerIds.push(change.headerMessageId ?? null);
    }
    await this.sendPool.query({
      name: 'otklik_apply_status_changes',
      text: `UPDATE messages m
          SET status = v.status::"MessageStatus",
              status_reason = v.reason,
              provider_message_id = COALESCE(v.provider_id, m.provider_message_id),
              header_message_id = COALESCE(v.header_id, m.header_message_id),
              sent_at = CASE WHEN v.status = 'sent' THEN now() ELSE m.sent_at END
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[])
              AS v(id, status, reason, provider_id, header_id)
        WHERE m.id = v.id`,
      values: [ids, statuses, reasons, providerIds, headerIds],
    });
  }

  /**
   * Messages that should have a send job and may have lost it, oldest first: transactional ones
   * waiting or in flight for over `seconds`, and held ones whose time passed that long ago.
   * A campaign's queued messages are its feeder's (a paused run's must stay put).
   */
  async maybeWithoutJob(seconds: number, limit: number): Promise<Array<{ id: bigint; lane: Lane }>> {
    // Each arm matches one partial index (messages_transactional_unsettled_idx, messages_held_idx).
    return this.prisma.$queryRaw<Array<{ id: bigint; lane: Lane }>>`
      SELECT id, lane FROM (
        SELECT id, lane FROM messages
         WHERE lane = 'transactional' AND status IN ('queued', 'sending', 'committing')
           AND (CASE WHEN status = 'queued' THEN created_at ELSE sending_at END) < now() - make_interval(secs => ${seconds})
        UNION ALL
        SELECT id, lane FROM messages WHERE status = 'held' AND scheduled_for < now() - make_interval(secs => ${seconds})
      ) due
       ORDER BY id LIMIT ${limit}`;
  }

  /**
   * Holds a message until `until` (quiet hours, a sending window, a rate window): a run's message
   * is released by the run's feeder when due, any other's job is delayed to the same moment.
   */
  async hold(id: bigint, until: Date, reason: string): Promise<void> {
    await this.prisma.message.update({ where: { id }, data: { status: 'held', scheduledFor: until, statusReason: reason } });
  }

  /**
   * A message the relay answered with a 4xx: held until its next try, one more deferral counted.
   * Only the claim that got the answer moves it (a row claimed again since is left alone).
   */
  async defer(claim: MessageClaim, until: Date, reason: string): Promise<void> {
    await withRetries(
      () =>
        this.sendPool.query(
          `UPDATE messages SET status = 'held', scheduled_for = $3::timestamptz AT TIME ZONE 'UTC', status_reason = $4,
                  deferrals = deferrals + 1
            WHERE id = $1::bigint AND attempts = $2 AND status IN ('sending', 'committing')`,
          [claim.id.toString(), claim.attempt, until.toISOString(), reason.slice(0, 1000)],
        ),
      'deferring a message',
    );
  }

  // ── writes inside another module's transaction (the feedback loop applies an inbound
  //    message's actions, or a send-time bounce, in one): the caller passes its `tx` ──

  /** Moves messages to one feedback status, each only from the statuses given. */
  async setFeedbackStatusIn(
    tx: Prisma.TransactionClient,
    status: MessageStatus,
    from: MessageStatus[],
    changes: Array<{ id: bigint; reason: string | null }>,
    deliveredAt: Date | null,
  ): Promise<void> {
    if (!changes.length) return;
    await tx.$executeRaw`
      UPDATE messages m SET status = ${status}::"MessageStatus", status_reason = v.reason, delivered_at = coalesce(${deliveredAt}::timestamp, m.delivered_at)
        FROM unnest(${changes.map((c) => c.id)}::bigint[], ${changes.map((c) => c.reason?.slice(0, 500) ?? null)}::text[]) AS v(id, reason)
       WHERE m.id = v.id AND m.status = ANY(${from}::"MessageStatus"[])`;
  }

  /** A message refused while sending whose address is dead (its status reason keeps the reply). */
  async markHardBouncedIn(tx: Prisma.TransactionClient, id: bigint): Promise<void> {
    await tx.message.update({ where: { id }, data: { status: 'hard_bounced' } });
  }
}

/**
 * The claim (message ids = $1, lease = $2): queued and held rows, and `sending` rows whose lease
 * ran out, move to `sending`; each comes back with what the send decision needs.
 */
const CLAIM_SQL = `
  WITH claimed AS (
    UPDATE messages m SET status = 'sending', sending_at = now(), attempts = m.attempts + 1
     WHERE m.id = ANY($1::bigint[])
       AND (m.status IN ('queued', 'held') OR (m.status = 'sending' AND m.sending_at < now() - $2::interval))
    RETURNING m.id, m.channel, m.lane, m.run_id, m.campaign_id, m.customer_id, m.template_version_id,
              m.variant, m.data, m.attempts, m.deferrals, m.to_address
  )
  SELECT k.id, k.channel, k.lane, k.run_id, k.campaign_id, k.customer_id, k.template_version_id, k.variant,
         k.data, k.attempts, k.deferrals, r.status AS run_status,
         COALESCE(k.to_address, CASE k.channel WHEN 'email' THEN c.email ELSE c.phone END) AS address,
         CASE WHEN k.to_address IS NOT NULL THEN true WHEN k.channel = 'email' THEN c.email_valid ELSE c.phone_valid END AS address_valid,
         (c.erased_at IS NOT NULL) AS erased,
         c.time_zone,
         cs.status AS consent,
         s.reason AS suppression,
         CASE WHEN k.lane = 'bulk' AND k.customer_id IS NOT NULL THEN (
           SELECT count(*)::int FROM messages p
            WHERE p.customer_id = k.customer_id AND p.lane = 'bulk' AND p.id <> k.id
              AND p.status IN ('sending', 'committing', 'sent', 'delivered', 'soft_bounced', 'hard_bounced', 'complained')
              AND p.created_at > now() - interval '7 days')
         ELSE 0 END AS recent_bulk,
         cp.sending_window
    FROM claimed k
    LEFT JOIN campaign_runs r ON r.id = k.run_id
    LEFT JOIN campaigns cp ON cp.id = k.campaign_id
    LEFT JOIN customers c ON c.id = k.customer_id
    LEFT JOIN consents cs ON cs.customer_id = k.customer_id AND cs.channel = k.channel
    LEFT JOIN suppressions s ON s.channel = k.channel
         AND s.address_hash = encode(sha256(convert_to(COALESCE(k.to_address, CASE k.channel WHEN 'email' THEN c.email ELSE c.phone END), 'UTF8')), 'hex')`;

/**
 * `sending` → `committing` for the claims (message id = $1[i], attempt = $2[i]) that still may
 * be sent; every claim's row comes back with whether it moved and why not.
 */
const MARK_COMMITTING_SQL = `
  WITH mine AS (SELECT * FROM unnest($1::bigint[], $2::int[]) AS t(id, attempt)),
  moved AS (
    UPDATE messages m SET status = 'committing'
      FROM mine
     WHERE m.id = mine.id AND m.attempts = mine.attempt AND m.status = 'sending'
       AND (m.run_id IS NULL OR EXISTS (SELECT 1 FROM campaign_runs r WHERE r.id = m.run_id AND r.status = 'sending'))
       AND NOT EXISTS (
         SELECT 1 FROM suppressions s
          WHERE s.channel = m.channel
            AND (m.lane = 'bulk' OR s.reason IN ('hard_bounce', 'complaint', 'erased'))
            AND s.address_hash = encode(sha256(convert_to(COALESCE(m.to_address,
                  (SELECT CASE m.channel WHEN 'email' THEN c.email ELSE c.phone END FROM customers c WHERE c.id = m.customer_id)), 'UTF8')), 'hex'))
    RETURNING m.id
  )
  SELECT mine.id::text AS id, mine.attempt, m.status, r.status AS run_status, (moved.id IS NOT NULL) AS moved
    FROM mine JOIN messages m ON m.id = mine.id AND m.attempts = mine.attempt
    LEFT JOIN moved ON moved.id = m.id LEFT JOIN campaign_runs r ON r.id = m.run_id`;

function commitVerdicts(
  claims: MessageClaim[],
  rows: Array<{ id: string; attempt: number; status: MessageStatus; run_status: RunStatus | null; moved: boolean }>,
) {
  const byKey = new Map(claims.map((claim) => [`${claim.id}.${claim.attempt}`, claim]));
  const verdicts = new Map<MessageClaim, CommitVerdict>(claims.map((claim) => [claim, 'lost']));
  for (const row of rows) {
    const claim = byKey.get(`${row.id}.${row.attempt}`);
    if (!claim) continue;
    if (row.moved) verdicts.set(claim, 'commit');
    else if (row.status === 'sending' && row.run_status === 'paused') verdicts.set(claim, 'paused');
    else if (row.status === 'sending' && (row.run_status === 'cancelled' || row.run_status === 'failed')) verdicts.set(claim, 'cancelled');
    else if (row.status === 'sending' && (row.run_status === null || row.run_status === 'sending')) verdicts.set(claim, 'suppressed');
  }
  return verdicts;
}
