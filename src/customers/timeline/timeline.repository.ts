import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service';
import type { TimelinePosition } from './timeline-cursor';

export interface TimelineRow {
  at: Date;
  type: string;
  id: string;
  key: string;
  details: Record<string, unknown>;
}

// Everything that happened to one customer, from the tables that record it, newest first.
// Each branch is an index range scan on (customer_id, time) and the outer keyset condition is
// pushed into every branch, so a page costs the same at any depth.
const TIMELINE_SQL = `
SELECT at, type, id, lpad(id, 20, '0') AS key, details FROM (
  SELECT coalesce(m.sent_at, m.created_at) AS at, 'message' AS type, m.id::text AS id,
         jsonb_build_object('channel', m.channel, 'lane', m.lane, 'status', m.status, 'statusReason', m.status_reason,
                            'campaignId', m.campaign_id, 'campaignName', ca.name, 'templateName', tp.name,
                            'runId', m.run_id, 'openedAt', m.opened_at, 'clickedAt', m.clicked_at) AS details
    FROM messages m
    LEFT JOIN campaigns ca ON ca.id = m.campaign_id
    LEFT JOIN template_versions tv ON tv.id = m.template_version_id
    LEFT JOIN templates tp ON tp.id = tv.template_id
   WHERE m.customer_id = $1
  UNION ALL
  SELECT t.at, t.type::text, t.id::text,
         jsonb_build_object('messageId', t.message_id::text, 'campaignId', t.campaign_id, 'campaignName', ca.name, 'url', t.url, 'isBot', t.is_bot)
    FROM tracking_events t LEFT JOIN campaigns ca ON ca.id = t.campaign_id WHERE t.customer_id = $1
  UNION ALL
  SELECT b.at, 'bounce', b.id::text,
         jsonb_build_object('channel', b.channel, 'hard', b.hard, 'reason', b.reason, 'statusCode', b.status_code,
                            'messageId', b.message_id::text, 'campaignId', b.campaign_id, 'campaignName', ca.name)
    FROM bounces b LEFT JOIN campaigns ca ON ca.id = b.campaign_id WHERE b.customer_id = $1
  UNION ALL
  SELECT c.created_at, 'complaint', c.id::text,
         jsonb_build_object('kind', c.kind, 'status', c.status, 'feedbackType', c.feedback_type, 'campaignId', c.campaign_id, 'messageId', c.message_id::text)
    FROM complaints c WHERE c.customer_id = $1
  UNION ALL
  SELECT i.received_at, 'reply', i.id::text,
         jsonb_build_object('kind', i.kind, 'subject', i.subject, 'messageId', i.message_id::text, 'campaignId', i.campaign_id)
    FROM inbound_messages i WHERE i.customer_id = $1 AND i.kind IN ('reply', 'autoreply')
  UNION ALL
  SELECT o.ordered_at, 'order', o.id::text,
         jsonb_build_object('externalId', o.external_id, 'status', o.status, 'total', o.total::text, 'currency', o.currency)
    FROM orders o WHERE o.customer_id = $1
  UNION ALL
  SELECT e.at, 'consent', e.id::text,
         jsonb_build_object('channel', e.channel, 'status', e.status, 'source', e.source, 'proofIp', e.proof_ip,
                            'proofForm', e.proof_form, 'proofFile', e.proof_file)
    FROM consent_events e WHERE e.customer_id = $1
  UNION ALL
  SELECT ev.at, 'event', ev.id::text, jsonb_build_object('name', ev.name, 'properties', ev.properties)
    FROM customer_events ev WHERE ev.customer_id = $1
) entries
WHERE $2::timestamp(3) IS NULL OR (at, type, lpad(id, 20, '0')) < ($2::timestamp(3), $3::text, $4::text)
ORDER BY at DESC, type DESC, lpad(id, 20, '0') DESC
LIMIT $5`;

@Injectable()
export class TimelineRepository {
  constructor(private readonly prisma: PrismaService) {}

  page(customerId: number, before: TimelinePosition | null, limit: number): Promise<TimelineRow[]> {
    // The columns are UTC without a zone: compare with the naive UTC form of the cursor's time.
    const at = before ? before.at.toISOString().slice(0, -1) : null;
    return this.prisma.$queryRawUnsafe<TimelineRow[]>(TIMELINE_SQL, customerId, at, before?.type ?? '', before?.key ?? '', limit);
  }
}
