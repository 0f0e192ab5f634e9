// The reports' SQL. Every number is counted in PostgreSQL; each query starts from an index on
// the campaign (messages_campaign_id_status_idx, tracking_events_campaign_id_type_idx,
// bounces_campaign_id_idx, complaints_campaign_id_idx, inbound_messages_campaign_id_kind_idx,
// leads_campaign_id_idx) or on time (bounces_at_idx, complaints_kind_created_at_idx,
// cleanup_log_created_at_idx), so a report reads one campaign's rows, never the whole table.
// Timestamps are stored as UTC without zone; buckets are cut in the caller's time zone.
import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../database/prisma.service';
import type { ComplaintKind, ComplaintStatus, LeadStatus } from '../generated/prisma/enums';
import type { CampaignCounts, Interval } from './report-maths';

export interface CampaignScope {
  campaignId: number;
  /** The runs counted (one run, or the runs of a date range); null: the whole campaign. */
  runIds: number[] | null;
  attributionDays: number;
}

/** A campaign's delivery counts for the campaigns list. */
export interface CampaignSummaryRow {
  campaignId: number;
  sent: number;
  delivered: number;
  softBounced: number;
  hardBounced: number;
  openedUnique: number;
  clickedUnique: number;
}

type EventFields = 'opensTotal' | 'botOpens' | 'clicksTotal' | 'botClicks';
export type MessageCountsRow = Omit<CampaignCounts, EventFields> & { variant: string | null; isTotal: boolean };
export type EventCountsRow = Pick<CampaignCounts, EventFields> & { variant: string | null; isTotal: boolean };

export interface RevenueRow {
  variant: string | null;
  isTotal: boolean;
  currency: string;
  orders: number;
  buyers: number;
  revenue: string;
}

export interface LinkRow {
  url: string;
  linkIndex: number | null;
  clicks: number;
  uniqueClicks: number;
  botClicks: number;
}

export interface SeriesRow {
  bucket: string;
  series: string;
  count: number;
}

export interface TimeRange {
  from: Date;
  to: Date;
}

/** `AND <column> is one of the scope's runs` (nothing for the whole campaign). */
function inRuns(scope: CampaignScope, column: Prisma.Sql): Prisma.Sql {
  return scope.runIds === null ? Prisma.empty : Prisma.sql`AND ${column} = ANY(${scope.runIds}::int[])`;
}

/** The campaign's messages (the scope's runs', when asked), as a CTE every campaign query starts from. */
function campaignMessages(scope: CampaignScope): Prisma.Sql {
  return Prisma.sql`
    SELECT id, variant, status, customer_id, sent_at, delivered_at, opened_at, clicked_at
      FROM messages WHERE campaign_id = ${scope.campaignId} ${inRuns(scope, Prisma.sql`run_id`)}`;
}

/** For rows that name a message: keeps the scope's runs' (nothing to add for the whole campaign). */
function ofRun(scope: CampaignScope, messageIdColumn: Prisma.Sql): Prisma.Sql {
  return scope.runIds === null
    ? Prisma.empty
    : Prisma.sql`AND EXISTS (SELECT 1 FROM messages mm WHERE mm.id = ${messageIdColumn} ${inRuns(scope, Prisma.sql`mm.run_id`)})`;
}

/**
 * What one message counts as, over a message row `m` and its bounces folded into `x` (columns
 * `bounced`, `hard`): one definition for the campaign report and the campaigns list.
 */
const MESSAGE_IS = {
  hard: Prisma.sql`(x.hard IS TRUE OR m.status = 'hard_bounced')`,
  soft: Prisma.sql`((x.bounced IS TRUE OR m.status = 'soft_bounced') AND NOT (x.hard IS TRUE OR m.status = 'hard_bounced'))`,
  sent: Prisma.sql`(m.sent_at IS NOT NULL OR m.status IN ('committing', 'sent', 'delivered', 'soft_bounced', 'hard_bounced', 'complained') OR x.bounced IS TRUE)`,
  opened: Prisma.sql`(m.opened_at IS NOT NULL)`,
  clicked: Prisma.sql`(m.clicked_at IS NOT NULL)`,
};

/** The delivery counts over `per` rows with the MESSAGE_IS columns. */
const DELIVERY_COUNTS = Prisma.sql`
             count(*) FILTER (WHERE sent)::int AS sent,
             count(*) FILTER (WHERE sent AND NOT hard AND NOT soft)::int AS delivered,
             count(*) FILTER (WHERE soft)::int AS "softBounced",
             count(*) FILTER (WHERE hard)::int AS "hardBounced",
             count(*) FILTER (WHERE opened OR clicked)::int AS "openedUnique",
             count(*) FILTER (WHERE clicked)::int AS "clickedUnique"`;

/**
 * An inbound message the feedback loop applied as an unsubscribe (a reply asking to stop, mail
 * to the List-Unsubscribe mailbox, an SMS STOP): its cleanup-log entry `unsubscribed` for the
 * reason `unsubscribe` (FeedbackService.unsubscribe; a complaint also unsubscribes, but counts
 * as a complaint), not undone by an admin. Found through the entry's customer (cleanup_log's
 * index), for an inbound row aliased `i`.
 */
const APPLIED_MAIL_UNSUBSCRIBE = Prisma.sql`
  SELECT 1 FROM cleanup_log c
   WHERE c.customer_id = i.customer_id AND c.inbound_message_id = i.id
     AND c.action = 'unsubscribed' AND c.reason = 'unsubscribe' AND c.undone_at IS NULL`;

/** The campaign's unsubscribes received by mail: one row per message, at the first one's time. */
function mailUnsubscribes(scope: CampaignScope): Prisma.Sql {
  return Prisma.sql`
    SELECT i.message_id, min(i.received_at) AS at
      FROM inbound_messages i
     WHERE i.campaign_id = ${scope.campaignId} AND i.message_id IS NOT NULL AND EXISTS (${APPLIED_MAIL_UNSUBSCRIBE}) ${ofRun(scope, Prisma.sql`i.message_id`)}
     GROUP BY i.message_id`;
}

@Injectable()
export class ReportsRepository {
  constructor(private readonly prisma: PrismaService) {}

  campaign(id: number) {
    return this.prisma.campaign.findUnique({
      where: { id },
      select: {
        id: true,
        name: true,
        channel: true,
        status: true,
        abTest: true,
        createdAt: true,
        runs: {
          select: {
            id: true,
            occurrenceAt: true,
            status: true,
            statusReason: true,
            audienceCount: true,
            abWinner: true,
            startedAt: true,
            finishedAt: true,
          },
          orderBy: { id: 'asc' },
        },
      },
    });
  }

  /**
   * Per message (did it go out, bounce, get opened or clicked by a person, bring a complaint,
   * an unsubscribe, a reply, a lead), counted for the whole campaign and per A/B variant.
   * "Opened" and "clicked" are the messages' opened_at / clicked_at, which the tracking module
   * stamps from person events only (a click stamps both), so this reads the messages once and
   * joins only the small per-campaign sets of bounces, complaints, unsubscribes, replies and
   * leads. An unsubscribe is the link's (a tracking event) or one received by mail; a reply
   * that was an unsubscribe counts as the unsubscribe, not as a reply.
   */
  async messageCounts(scope: CampaignScope): Promise<MessageCountsRow[]> {
    // Bounces, complaints, unsubscribes, replies and leads are few: folded into one row per
    // message first, so the million messages meet one hash join, not six.
    const rows = await this.prisma.$queryRaw<MessageCountsRow[]>`
      WITH m AS (${campaignMessages(scope)}),
      x AS (
        SELECT message_id, bool_or(bounced) AS bounced, bool_or(hard) AS hard, sum(fbl) AS fbl, sum(reclamations) AS reclamations,
               bool_or(unsubscribed) AS unsubscribed, bool_or(replied) AS replied, sum(leads) AS leads
          FROM (
            SELECT message_id, true AS bounced, hard, 0 AS fbl, 0 AS reclamations, false AS unsubscribed, false AS replied, 0 AS leads
              FROM bounces WHERE campaign_id = ${scope.campaignId} AND message_id IS NOT NULL
            UNION ALL
            SELECT message_id, false, false, (kind = 'feedback_loop')::int, (kind = 'reclamation')::int, false, false, 0
              FROM complaints WHERE campaign_id = ${scope.campaignId} AND message_id IS NOT NULL
            UNION ALL
            SELECT message_id, false, false, 0, 0, true, false, 0
              FROM tracking_events WHERE campaign_id = ${scope.campaignId} AND type = 'unsubscribe'
            UNION ALL
            SELECT message_id, false, false, 0, 0, true, false, 0
              FROM (${mailUnsubscribes(scope)}) mu
            UNION ALL
            SELECT i.message_id, false, false, 0, 0, false, true, 0
              FROM inbound_messages i
             WHERE i.campaign_id = ${scope.campaignId} AND i.kind = 'reply' AND i.message_id IS NOT NULL AND NOT EXISTS (${APPLIED_MAIL_UNSUBSCRIBE})
            UNION ALL
            SELECT message_id, false, false, 0, 0, false, false, 1
              FROM leads WHERE campaign_id = ${scope.campaignId} AND message_id IS NOT NULL
          ) e
         GROUP BY message_id
      ),
      per AS (
        SELECT m.variant, m.status,
               ${MESSAGE_IS.hard} AS hard,
               ${MESSAGE_IS.soft} AS soft,
               ${MESSAGE_IS.sent} AS sent,
               (m.status = 'delivered' OR m.delivered_at IS NOT NULL) AS confirmed,
               ${MESSAGE_IS.opened} AS opened,
               ${MESSAGE_IS.clicked} AS clicked,
               (COALESCE(x.fbl, 0) > 0 OR m.status = 'complained') AS complained,
               COALESCE(x.reclamations, 0) AS reclamations,
               COALESCE(x.unsubscribed, false) AS unsubscribed,
               COALESCE(x.replied, false) AS replied,
               COALESCE(x.leads, 0) AS leads
          FROM m LEFT JOIN x ON x.message_id = m.id
      )
      SELECT variant, GROUPING(variant) = 1 AS "isTotal",
             count(*)::int AS audience,
             ${DELIVERY_COUNTS},
             count(*) FILTER (WHERE confirmed)::int AS "deliveryConfirmed",
             count(*) FILTER (WHERE complained)::int AS complained,
             COALESCE(sum(reclamations), 0)::int AS reclamations,
             count(*) FILTER (WHERE unsubscribed)::int AS unsubscribed,
             count(*) FILTER (WHERE replied)::int AS replied,
             COALESCE(sum(leads), 0)::int AS leads,
             count(*) FILTER (WHERE status = 'suppressed')::int AS suppressed,
             count(*) FILTER (WHERE status = 'skipped')::int AS skipped,
             count(*) FILTER (WHERE status = 'failed' AND NOT hard AND NOT soft)::int AS failed,
             count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled,
             count(*) FILTER (WHERE status IN ('queued', 'held', 'sending'))::int AS pending
        FROM per
       GROUP BY GROUPING SETS ((), (variant))
       ORDER BY GROUPING(variant) DESC, variant NULLS FIRST`;
    return rows;
  }

  /**
   * Event totals: person opens and clicks, machine ones apart (unsubscribes are counted per
   * message, with those received by mail, in messageCounts). Straight from the campaign's
   * events; joined to their messages only when a variant or a run is asked.
   */
  async eventCounts(scope: CampaignScope, byVariant: boolean): Promise<EventCountsRow[]> {
    const counts = Prisma.sql`
             count(*) FILTER (WHERE t.type = 'open' AND NOT t.is_bot)::int AS "opensTotal",
             count(*) FILTER (WHERE t.type = 'open' AND t.is_bot)::int AS "botOpens",
             count(*) FILTER (WHERE t.type = 'click' AND NOT t.is_bot)::int AS "clicksTotal",
             count(*) FILTER (WHERE t.type = 'click' AND t.is_bot)::int AS "botClicks"`;
    if (!byVariant) {
      return this.prisma.$queryRaw<EventCountsRow[]>`
        SELECT NULL::text AS variant, true AS "isTotal", ${counts}
          FROM tracking_events t WHERE t.campaign_id = ${scope.campaignId} ${ofRun(scope, Prisma.sql`t.message_id`)}`;
    }
    return this.prisma.$queryRaw<EventCountsRow[]>`
      WITH m AS (${campaignMessages(scope)})
      SELECT m.variant, GROUPING(m.variant) = 1 AS "isTotal", ${counts}
        FROM tracking_events t JOIN m ON m.id = t.message_id
       WHERE t.campaign_id = ${scope.campaignId}
       GROUP BY GROUPING SETS ((), (m.variant))`;
  }

  /**
   * Orders attributed to the campaign: placed by a recipient within `attributionDays` after a
   * message of it was sent (cancelled ones left out). An order that follows two messages of
   * the campaign (a recurring one) goes to the later message, so it is counted once.
   */
  async revenue(scope: CampaignScope): Promise<RevenueRow[]> {
    return this.prisma.$queryRaw<RevenueRow[]>`
      WITH m AS (${campaignMessages(scope)}),
      attributed AS (
        SELECT DISTINCT ON (o.id) o.id, o.customer_id, o.total, o.currency, m.variant
          FROM m
          JOIN orders o ON o.customer_id = m.customer_id
                       AND o.ordered_at >= m.sent_at
                       AND o.ordered_at < m.sent_at + make_interval(days => ${scope.attributionDays}::int)
                       AND o.status <> 'cancelled'
         WHERE m.sent_at IS NOT NULL
         ORDER BY o.id, m.sent_at DESC
      )
      SELECT variant, GROUPING(variant) = 1 AS "isTotal", currency::text AS currency,
             count(*)::int AS orders, count(DISTINCT customer_id)::int AS buyers, sum(total)::text AS revenue
        FROM attributed
       GROUP BY GROUPING SETS ((currency), (variant, currency))
       ORDER BY GROUPING(variant) DESC, variant NULLS FIRST, currency`;
  }

  /**
   * Sent, delivered, bounced, opened and clicked per campaign, for a page of the campaigns list:
   * one pass over those campaigns' messages and bounces, counted as the report counts them.
   */
  campaignSummaries(campaignIds: number[]): Promise<CampaignSummaryRow[]> {
    if (!campaignIds.length) return Promise.resolve([]);
    return this.prisma.$queryRaw<CampaignSummaryRow[]>`
      WITH m AS (
        SELECT id, campaign_id, status, sent_at, opened_at, clicked_at FROM messages WHERE campaign_id = ANY(${campaignIds}::int[])
      ),
      x AS (
        SELECT message_id, true AS bounced, bool_or(hard) AS hard
          FROM bounces WHERE campaign_id = ANY(${campaignIds}::int[]) AND message_id IS NOT NULL
         GROUP BY message_id
      ),
      per AS (
        SELECT m.campaign_id, ${MESSAGE_IS.hard} AS hard, ${MESSAGE_IS.soft} AS soft, ${MESSAGE_IS.sent} AS sent,
               ${MESSAGE_IS.opened} AS opened, ${MESSAGE_IS.clicked} AS clicked
          FROM m LEFT JOIN x ON x.message_id = m.id
      )
      SELECT campaign_id AS "campaignId", ${DELIVERY_COUNTS}
        FROM per GROUP BY campaign_id`;
  }

  /** Clicks per destination, most clicked first. */
  async links(scope: CampaignScope, limit: number): Promise<LinkRow[]> {
    return this.prisma.$queryRaw<LinkRow[]>`
      SELECT t.url, min(t.link_index) AS "linkIndex",
             count(*) FILTER (WHERE NOT t.is_bot)::int AS clicks,
             count(DISTINCT t.message_id) FILTER (WHERE NOT t.is_bot)::int AS "uniqueClicks",
             count(*) FILTER (WHERE t.is_bot)::int AS "botClicks"
        FROM tracking_events t
       WHERE t.campaign_id = ${scope.campaignId} AND t.type = 'click' AND t.url IS NOT NULL ${ofRun(scope, Prisma.sql`t.message_id`)}
       GROUP BY t.url
       ORDER BY clicks DESC, "uniqueClicks" DESC, t.url
       LIMIT ${limit}`;
  }

  /**
   * Events over time for the chart: sent, person opens and clicks, unsubscribes (by link and
   * by mail), bounces, feedback-loop complaints, machine opens. Each branch is a per-campaign index range counted
   * into 15-minute UTC bins first (no time-zone work per row; every zone's offset is a whole
   * number of quarter hours, so the bins fall exactly into local hours and days), then the few
   * hundred bins are regrouped into local buckets.
   */
  async series(scope: CampaignScope, interval: Interval, timeZone: string): Promise<SeriesRow[]> {
    const bin = (column: Prisma.Sql) => Prisma.sql`date_bin('15 minutes', ${column}, TIMESTAMP '2000-01-01')`;
    return this.prisma.$queryRaw<SeriesRow[]>`
      WITH bins AS (
        SELECT ${bin(Prisma.sql`sent_at`)} AS at, 'sent' AS series, count(*) AS n
          FROM messages WHERE campaign_id = ${scope.campaignId} AND sent_at IS NOT NULL ${inRuns(scope, Prisma.sql`run_id`)}
         GROUP BY 1
        UNION ALL
        SELECT ${bin(Prisma.sql`t.at`)}, CASE WHEN t.type = 'unsubscribe' THEN 'unsubscribes' WHEN t.is_bot THEN 'botOpens' WHEN t.type = 'open' THEN 'opens' ELSE 'clicks' END, count(*)
          FROM tracking_events t WHERE t.campaign_id = ${scope.campaignId} AND NOT (t.is_bot AND t.type = 'click') ${ofRun(scope, Prisma.sql`t.message_id`)}
         GROUP BY 1, 2
        UNION ALL
        SELECT ${bin(Prisma.sql`mu.at`)}, 'unsubscribes', count(*)
          FROM (${mailUnsubscribes(scope)}) mu
         GROUP BY 1
        UNION ALL
        SELECT ${bin(Prisma.sql`b.at`)}, CASE WHEN b.hard THEN 'hardBounces' ELSE 'softBounces' END, count(*)
          FROM bounces b WHERE b.campaign_id = ${scope.campaignId} ${ofRun(scope, Prisma.sql`b.message_id`)}
         GROUP BY 1, 2
        UNION ALL
        SELECT ${bin(Prisma.sql`k.created_at`)}, 'complaints', count(*)
          FROM complaints k WHERE k.campaign_id = ${scope.campaignId} AND k.kind = 'feedback_loop' ${ofRun(scope, Prisma.sql`k.message_id`)}
         GROUP BY 1
      )
      SELECT to_char(date_trunc(${interval}::text, (at AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone}::text), 'YYYY-MM-DD"T"HH24:MI') AS bucket,
             series, sum(n)::int AS count
        FROM bins GROUP BY 1, 2 ORDER BY 1, 2`;
  }

  // ─── bounces ───

  async bounceSummary(range: TimeRange, campaignId: number | null) {
    const [row] = await this.prisma.$queryRaw<Array<{ total: number; hard: number; soft: number; addresses: number }>>`
      SELECT count(*)::int AS total, count(*) FILTER (WHERE hard)::int AS hard, count(*) FILTER (WHERE NOT hard)::int AS soft,
             count(DISTINCT address)::int AS addresses
        FROM bounces WHERE at >= ${range.from} AND at < ${range.to} AND (${campaignId}::int IS NULL OR campaign_id = ${campaignId}::int)`;
    return row;
  }

  bouncesByReason(range: TimeRange, campaignId: number | null) {
    return this.prisma.$queryRaw<Array<{ reason: string; hard: boolean; count: number }>>`
      SELECT reason, hard, count(*)::int AS count
        FROM bounces WHERE at >= ${range.from} AND at < ${range.to} AND (${campaignId}::int IS NULL OR campaign_id = ${campaignId}::int)
       GROUP BY reason, hard ORDER BY count DESC, reason, hard`;
  }

  /** The latest bounces with the classifier's evidence, newest first. */
  recentBounces(range: TimeRange, campaignId: number | null, limit: number) {
    return this.prisma.bounce.findMany({
      where: { at: { gte: range.from, lt: range.to }, ...(campaignId !== null ? { campaignId } : {}) },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: limit,
      select: { id: true, at: true, address: true, hard: true, reason: true, statusCode: true, diagnostic: true, evidence: true },
    });
  }

  bouncesByDomain(range: TimeRange, campaignId: number | null, limit: number) {
    return this.prisma.$queryRaw<Array<{ domain: string | null; count: number; hard: number; soft: number }>>`
      SELECT domain, count(*)::int AS count, count(*) FILTER (WHERE hard)::int AS hard, count(*) FILTER (WHERE NOT hard)::int AS soft
        FROM bounces WHERE at >= ${range.from} AND at < ${range.to} AND (${campaignId}::int IS NULL OR campaign_id = ${campaignId}::int)
       GROUP BY domain ORDER BY count DESC, domain NULLS LAST LIMIT ${limit}`;
  }

  bouncesByCampaign(range: TimeRange, limit: number) {
    return this.prisma.$queryRaw<Array<{ campaignId: number | null; name: string | null; count: number; hard: number; soft: number }>>`
      SELECT b.campaign_id AS "campaignId", c.name, count(*)::int AS count, count(*) FILTER (WHERE b.hard)::int AS hard, count(*) FILTER (WHERE NOT b.hard)::int AS soft
        FROM bounces b LEFT JOIN campaigns c ON c.id = b.campaign_id
       WHERE b.at >= ${range.from} AND b.at < ${range.to}
       GROUP BY b.campaign_id, c.name ORDER BY count DESC, b.campaign_id NULLS LAST LIMIT ${limit}`;
  }

  bounceTrend(range: TimeRange, campaignId: number | null, interval: Interval, timeZone: string) {
    return this.prisma.$queryRaw<SeriesRow[]>`
      SELECT to_char(date_trunc(${interval}::text, (at AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone}::text), 'YYYY-MM-DD"T"HH24:MI') AS bucket,
             CASE WHEN hard THEN 'hard' ELSE 'soft' END AS series, count(*)::int AS count
        FROM bounces WHERE at >= ${range.from} AND at < ${range.to} AND (${campaignId}::int IS NULL OR campaign_id = ${campaignId}::int)
       GROUP BY 1, 2 ORDER BY 1, 2`;
  }

  // ─── complaints ───

  complaintSummary(range: TimeRange, campaignId: number | null) {
    return this.prisma.$queryRaw<Array<{ kind: ComplaintKind; status: ComplaintStatus; count: number }>>`
      SELECT kind, status, count(*)::int AS count FROM complaints
       WHERE created_at >= ${range.from} AND created_at < ${range.to} AND (${campaignId}::int IS NULL OR campaign_id = ${campaignId}::int)
       GROUP BY kind, status ORDER BY kind, status`;
  }

  complaints(filter: {
    range: TimeRange;
    kind?: ComplaintKind;
    status?: ComplaintStatus;
    campaignId: number | null;
    before?: number;
    limit: number;
  }) {
    return this.prisma.complaint.findMany({
      where: {
        createdAt: { gte: filter.range.from, lt: filter.range.to },
        kind: filter.kind,
        status: filter.status,
        campaignId: filter.campaignId ?? undefined,
        id: filter.before !== undefined ? { lt: filter.before } : undefined,
      },
      orderBy: { id: 'desc' },
      take: filter.limit,
      select: {
        id: true,
        kind: true,
        status: true,
        feedbackType: true,
        text: true,
        campaignId: true,
        messageId: true,
        inboundMessageId: true,
        createdAt: true,
        customer: { select: { id: true, firstName: true, lastName: true, companyName: true, email: true, phone: true } },
        inboundMessage: { select: { subject: true, fromAddress: true, receivedAt: true } },
      },
    });
  }

  // ─── base cleanup ───

  cleanupSummary(range: TimeRange) {
    return this.prisma.$queryRaw<Array<{ action: string; count: number; undone: number }>>`
      SELECT action, count(*)::int AS count, count(undone_at)::int AS undone FROM cleanup_log
       WHERE created_at >= ${range.from} AND created_at < ${range.to}
       GROUP BY action ORDER BY count DESC, action`;
  }

  cleanup(filter: { range: TimeRange; action?: string; customerId?: number; undone?: boolean; before?: number; limit: number }) {
    return this.prisma.cleanupLogEntry.findMany({
      where: {
        createdAt: { gte: filter.range.from, lt: filter.range.to },
        action: filter.action,
        customerId: filter.customerId,
        undoneAt: filter.undone === undefined ? undefined : filter.undone ? { not: null } : null,
        id: filter.before !== undefined ? { lt: filter.before } : undefined,
      },
      orderBy: { id: 'desc' },
      take: filter.limit,
      select: {
        id: true,
        action: true,
        channel: true,
        address: true,
        reason: true,
        details: true,
        createdAt: true,
        undoneAt: true,
        undoneBy: true,
        appliedAt: true,
        appliedBy: true,
        inboundMessageId: true,
        customer: { select: { id: true, firstName: true, lastName: true, companyName: true, email: true, phone: true } },
        inboundMessage: { select: { kind: true, subject: true, fromAddress: true, receivedAt: true } },
      },
    });
  }

  // ─── leads ───

  leadSummary(campaignId: number | null) {
    return this.prisma.$queryRaw<Array<{ status: LeadStatus; count: number }>>`
      SELECT status, count(*)::int AS count FROM leads WHERE (${campaignId}::int IS NULL OR campaign_id = ${campaignId}::int)
       GROUP BY status ORDER BY status`;
  }

  leads(filter: { status?: LeadStatus; campaignId: number | null; before?: number; limit: number }) {
    return this.prisma.lead.findMany({
      where: {
        status: filter.status,
        campaignId: filter.campaignId ?? undefined,
        id: filter.before !== undefined ? { lt: filter.before } : undefined,
      },
      orderBy: { id: 'desc' },
      take: filter.limit,
      select: {
        id: true,
        status: true,
        fromAddress: true,
        subject: true,
        text: true,
        campaignId: true,
        messageId: true,
        inboundMessageId: true,
        forwardedAt: true,
        createdAt: true,
        customer: {
          select: {
            id: true,
            firstName: true,
            lastName: true,
            companyName: true,
            email: true,
            phone: true,
            company: { select: { id: true, companyName: true } },
          },
        },
      },
    });
  }

  async campaignNames(ids: number[]): Promise<Map<number, string>> {
    if (!ids.length) return new Map();
    const rows = await this.prisma.campaign.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
