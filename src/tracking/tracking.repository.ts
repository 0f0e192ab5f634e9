// The tracking module's database work. Hits arrive many at a time (a campaign's opens come in
// a burst), so message lookups and event inserts take many ids at once and the service feeds
// them through BatchCoalescer: one lookup and one insert per batch, not per request.
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Channel } from '../generated/prisma/enums';

export interface HitMessage {
  id: bigint;
  campaignId: number | null;
  customerId: number | null;
  sentAt: Date | null;
}

export interface NewTrackingEvent {
  type: 'open' | 'click' | 'unsubscribe';
  messageId: bigint;
  customerId: number | null;
  campaignId: number | null;
  url: string | null;
  linkIndex: number | null;
  isBot: boolean;
  userAgent: string | null;
  ip: string | null;
  at: Date;
}

@Injectable()
export class TrackingRepository {
  constructor(private readonly prisma: PrismaService) {}

  async hitMessages(ids: bigint[]): Promise<Map<bigint, HitMessage>> {
    const rows = await this.prisma.message.findMany({
      where: { id: { in: ids } },
      select: { id: true, campaignId: true, customerId: true, sentAt: true },
    });
    return new Map(rows.map((row) => [row.id, row]));
  }

  /**
   * Inserts the events and, in the same statement, stamps opened_at / clicked_at of their
   * messages from the human ones (a click implies an open). A/B winners and segments read those.
   */
  async insertEvents(events: NewTrackingEvent[]): Promise<void> {
    if (!events.length) return;
    const col = <K extends keyof NewTrackingEvent>(key: K) => events.map((e) => e[key]);
    // Times travel as ISO text: a timestamp column ignores the zone designator, and every time here is UTC.
    const at = events.map((e) => e.at.toISOString());
    await this.prisma.$executeRaw`
      WITH inserted AS (
        INSERT INTO tracking_events (type, message_id, customer_id, campaign_id, url, link_index, is_bot, user_agent, ip, at)
        SELECT v.type::"TrackingEventType", v.message_id, v.customer_id, v.campaign_id, v.url, v.link_index, v.is_bot, v.user_agent, v.ip, v.at::timestamp(3)
          FROM unnest(${col('type')}::text[], ${col('messageId')}::bigint[], ${col('customerId')}::int[], ${col('campaignId')}::int[],
                      ${col('url')}::text[], ${col('linkIndex')}::int[], ${col('isBot')}::boolean[], ${col('userAgent')}::text[],
                      ${col('ip')}::text[], ${at}::text[])
               AS v(type, message_id, customer_id, campaign_id, url, link_index, is_bot, user_agent, ip, at)
        RETURNING message_id, type, is_bot, at
      ), human AS (
        SELECT message_id, min(at) AS first_at, min(at) FILTER (WHERE type = 'click') AS first_click
          FROM inserted WHERE NOT is_bot AND type IN ('open', 'click') GROUP BY message_id
      )
      UPDATE messages m
         SET opened_at = COALESCE(m.opened_at, human.first_at),
             clicked_at = COALESCE(m.clicked_at, human.first_click)
        FROM human
       WHERE m.id = human.message_id AND (m.opened_at IS NULL OR (m.clicked_at IS NULL AND human.first_click IS NOT NULL))`;
  }

  /** What unsubscribe, the preference page and view-in-browser need to know of a message. */
  actionMessage(id: bigint) {
    return this.prisma.message.findUnique({
      where: { id },
      select: {
        id: true,
        channel: true,
        lane: true,
        campaignId: true,
        customerId: true,
        toAddress: true,
        customer: { select: { id: true, email: true, phone: true, erasedAt: true } },
      },
    });
  }

  async hasEvent(messageId: bigint, type: 'unsubscribe'): Promise<boolean> {
    return (await this.prisma.trackingEvent.findFirst({ where: { messageId, type }, select: { id: true } })) !== null;
  }

  consents(customerId: number) {
    return this.prisma.consent.findMany({ where: { customerId }, select: { channel: true, status: true, source: true, at: true } });
  }

  activePauses(customerId: number) {
    return this.prisma.consentPause.findMany({
      where: { customerId, endedAt: null },
      select: { channel: true, until: true, createdAt: true },
    });
  }

  async startPause(customerId: number, channel: Channel, until: Date, messageId: bigint, at: Date): Promise<void> {
    const data = { until, messageId, createdAt: at, endedAt: null, endedHow: null };
    await this.prisma.consentPause.upsert({
      where: { customerId_channel: { customerId, channel } },
      create: { customerId, channel, ...data },
      update: data,
    });
  }

  async endPause(customerId: number, channel: Channel, how: string, at = new Date()): Promise<void> {
    await this.prisma.consentPause.updateMany({ where: { customerId, channel, endedAt: null }, data: { endedAt: at, endedHow: how } });
  }

  /** Pauses whose time is up, with the customer's current consent for the channel. */
  async duePauses(now: Date, limit: number) {
    return this.prisma.$queryRaw<
      Array<{
        customer_id: number;
        channel: Channel;
        until: Date;
        created_at: Date;
        consent_status: string | null;
        consent_source: string | null;
        consent_at: Date | null;
        erased: boolean;
      }>
    >`
      SELECT p.customer_id, p.channel, p.until, p.created_at, cs.status::text AS consent_status, cs.source AS consent_source, cs.at AS consent_at,
             (c.erased_at IS NOT NULL) AS erased
        FROM consent_pauses p
        JOIN customers c ON c.id = p.customer_id
        LEFT JOIN consents cs ON cs.customer_id = p.customer_id AND cs.channel = p.channel
       WHERE p.ended_at IS NULL AND p.until <= ${now}
       ORDER BY p.until
       LIMIT ${limit}`;
  }

  /** The message as it was sent, for view-in-browser. */
  viewMessage(id: bigint) {
    return this.prisma.message.findUnique({
      where: { id },
      select: {
        id: true,
        channel: true,
        templateVersionId: true,
        data: true,
        toAddress: true,
        customer: true,
        campaign: { select: { id: true, name: true, sender: { select: { fromName: true } } } },
      },
    });
  }

  findOrder(id: number) {
    return this.prisma.order.findUnique({ where: { id }, include: { items: true } });
  }
}
