// Queries of the feedback loop. The actions of one inbound message (and an undo) run in one
// transaction through a FeedbackStore; the rules deciding what to call live in the services.
import { Injectable } from '@nestjs/common';
import { ConsentService } from '../customers/consent/consent.service';
import { SuppressionService } from '../customers/suppression/suppression.service';
import { DeliveryService } from '../delivery/delivery.service';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import type { Channel, ComplaintKind, ConsentStatus, InboundKind, MessageStatus, SuppressionReason } from '../generated/prisma/enums';
import type { CampaignFeedbackStats } from './campaign-guard';
import type { Evidence as BounceEvidence } from './classify';

export interface CorrelatedMessage {
  id: bigint;
  channel: Channel;
  customerId: number | null;
  campaignId: number | null;
  /** The address it went to: the message's own, else its customer's. */
  address: string | null;
}

export interface CustomerRef {
  id: number;
  email: string | null;
  companyId: number | null;
  companyName: string | null;
}

export interface CleanupLogInput {
  action: string;
  channel: Channel | null;
  address: string | null;
  reason: string | null;
  customerId: number | null;
  inboundMessageId: bigint | null;
  details: Prisma.InputJsonObject;
}

/** Statuses of messages that left for the provider: the guard's denominator. */
const WENT_OUT: MessageStatus[] = ['sent', 'delivered', 'soft_bounced', 'hard_bounced', 'complained', 'failed'];

/** The modules that own the tables the feedback loop changes besides its own. */
export interface TableOwners {
  suppressions: SuppressionService;
  consents: ConsentService;
  messages: DeliveryService;
}

/**
 * Database work inside one transaction. No rules here: the caller decides. Suppressions and
 * consents are written by the customers module, message statuses by the delivery module (their
 * repositories, inside this transaction).
 */
export class FeedbackStore {
  constructor(
    private readonly tx: Prisma.TransactionClient,
    private readonly owners: TableOwners,
  ) {}

  /** Locks the inbound rows (in id order, so two batches never deadlock on them); their status decides whether the actions still have to run. */
  async lockInbound(ids: bigint[]): Promise<Map<bigint, string>> {
    const rows = await this.tx.$queryRaw<Array<{ id: bigint; status: string }>>`
      SELECT id, status::text AS status FROM inbound_messages WHERE id = ANY(${ids}::bigint[]) ORDER BY id FOR UPDATE`;
    return new Map(rows.map((r) => [BigInt(r.id), r.status]));
  }

  // ── set-based writes: one statement for all the messages of a batch ──

  /** Suppressions not yet on the list (through the customers module); returns the ids this call created, by `channel:hash`. */
  suppressMany(
    entries: Array<{
      channel: Channel;
      addressHash: string;
      address: string;
      reason: SuppressionReason;
      source: string;
      customerId: number | null;
      evidenceId: bigint;
    }>,
  ): Promise<Map<string, number>> {
    return this.owners.suppressions.suppressManyIn(this.tx, entries);
  }

  /** Marks these (normalised) emails invalid on live customers; returns the customers changed, by email. */
  async invalidateEmails(emails: string[]): Promise<Map<string, number[]>> {
    const out = new Map<string, number[]>();
    if (!emails.length) return out;
    const rows = await this.tx.$queryRaw<Array<{ id: number; email: string }>>`
      UPDATE customers SET email_valid = false, updated_at = now()
       WHERE email = ANY(${emails}::text[]) AND erased_at IS NULL AND email_valid RETURNING id, email`;
    for (const row of rows) out.set(row.email, [...(out.get(row.email) ?? []), row.id]);
    return out;
  }

  /** Current consents of these customers on these channels, by `customerId:channel`. */
  consentsOf(
    keys: Array<{ customerId: number; channel: Channel }>,
  ): Promise<Map<string, { status: ConsentStatus; source: string | null }>> {
    return this.owners.consents.currentIn(this.tx, keys);
  }

  /** Consent changes with their history events (through the customers module). */
  setConsents(changes: Array<{ customerId: number; channel: Channel; status: ConsentStatus; source: string }>): Promise<void> {
    return this.owners.consents.setManyIn(this.tx, changes);
  }

  /**
   * For soft-bounce counting, per customer (or address with no customer): when counting starts
   * (the later of `windowStart` and the last delivery) and the soft bounces since, one per message.
   */
  async softBounceState(
    customerIds: number[],
    addresses: string[],
    windowStart: Date,
  ): Promise<Map<string, { since: Date; count: number }>> {
    const out = new Map<string, { since: Date; count: number }>();
    if (customerIds.length) {
      const rows = await this.tx.$queryRaw<Array<{ id: number; since: Date; n: number }>>`
        SELECT k.id, s.since, (SELECT count(DISTINCT coalesce(b.message_id, -b.id))::int FROM bounces b WHERE b.customer_id = k.id AND NOT b.hard AND b.at >= s.since) AS n
          FROM unnest(${[...new Set(customerIds)]}::int[]) AS k(id)
          CROSS JOIN LATERAL (SELECT greatest(${windowStart}::timestamp, coalesce(max(m.delivered_at), ${windowStart}::timestamp)) AS since
                                FROM messages m WHERE m.customer_id = k.id AND m.delivered_at IS NOT NULL) s`;
      for (const row of rows) out.set(`c:${row.id}`, { since: row.since, count: row.n });
    }
    if (addresses.length) {
      // An address with no customer only got transactional mail to a bare address: the window alone counts.
      const rows = await this.tx.$queryRaw<Array<{ address: string; n: number }>>`
        SELECT k.a AS address, (SELECT count(DISTINCT coalesce(b.message_id, -b.id))::int FROM bounces b WHERE b.address = k.a AND b.customer_id IS NULL AND NOT b.hard AND b.at >= ${windowStart}) AS n
          FROM unnest(${[...new Set(addresses)]}::text[]) AS k(a)`;
      for (const row of rows) out.set(`a:${row.address}`, { since: windowStart, count: row.n });
    }
    return out;
  }

  async insertBounces(
    rows: Array<{
      channel: Channel;
      address: string | null;
      hard: boolean;
      reason: string;
      statusCode: string | null;
      diagnostic: string | null;
      evidence: BounceEvidence | null;
      customerId: number | null;
      messageId: bigint | null;
      campaignId: number | null;
      inboundMessageId: bigint;
    }>,
  ): Promise<void> {
    if (!rows.length) return;
    await this.tx.$executeRaw`
      INSERT INTO bounces (channel, address, domain, hard, reason, status_code, diagnostic, evidence, customer_id, message_id, campaign_id, inbound_message_id)
      SELECT ch::"Channel", a, CASE WHEN position('@' in a) > 0 THEN split_part(a, '@', 2) END, h, r, sc, d, ev::jsonb, cu, m, ca, i
        FROM unnest(${rows.map((r) => r.channel)}::text[], ${rows.map((r) => r.address)}::text[], ${rows.map((r) => r.hard)}::boolean[], ${rows.map((r) => r.reason)}::text[],
                    ${rows.map((r) => r.statusCode)}::text[], ${rows.map((r) => r.diagnostic)}::text[], ${rows.map((r) => (r.evidence ? JSON.stringify(r.evidence) : null))}::text[],
                    ${rows.map((r) => r.customerId)}::int[], ${rows.map((r) => r.messageId)}::bigint[],
                    ${rows.map((r) => r.campaignId)}::int[], ${rows.map((r) => r.inboundMessageId)}::bigint[]) AS t(ch, a, h, r, sc, d, ev, cu, m, ca, i)`;
  }

  async createComplaints(
    rows: Array<{
      kind: ComplaintKind;
      customerId: number | null;
      campaignId: number | null;
      messageId: bigint | null;
      inboundMessageId: bigint;
      feedbackType: string | null;
      text: string | null;
    }>,
  ): Promise<number[]> {
    if (!rows.length) return [];
    return (await this.tx.complaint.createManyAndReturn({ data: rows, select: { id: true } })).map((r) => r.id);
  }

  async createLeads(
    rows: Array<{
      customerId: number | null;
      campaignId: number | null;
      messageId: bigint | null;
      inboundMessageId: bigint;
      fromAddress: string | null;
      subject: string | null;
      text: string | null;
    }>,
  ): Promise<number[]> {
    if (!rows.length) return [];
    return (await this.tx.lead.createManyAndReturn({ data: rows, select: { id: true } })).map((r) => r.id);
  }

  /** Moves messages to one feedback status, each only from the statuses given (through the delivery module). */
  setMessagesStatus(
    status: MessageStatus,
    from: MessageStatus[],
    changes: Array<{ id: bigint; reason: string | null }>,
    deliveredAt: Date | null = null,
  ): Promise<void> {
    return this.owners.messages.setFeedbackStatusIn(this.tx, status, from, changes, deliveredAt);
  }

  async finishInbounds(rows: FinishedInbound[]): Promise<void> {
    if (!rows.length) return;
    await this.tx.$executeRaw`
      UPDATE inbound_messages i SET status = 'applied', error = NULL, processed_at = now(), kind = v.kind::"InboundKind", classification = v.cl::jsonb,
             from_address = v.fa, subject = v.su, message_id = v.mi, customer_id = v.cu, campaign_id = v.ca
        FROM unnest(${rows.map((r) => r.id)}::bigint[], ${rows.map((r) => r.kind)}::text[], ${rows.map((r) => JSON.stringify(r.classification))}::text[],
                    ${rows.map((r) => r.fromAddress)}::text[], ${rows.map((r) => r.subject)}::text[], ${rows.map((r) => r.messageId)}::bigint[],
                    ${rows.map((r) => r.customerId)}::int[], ${rows.map((r) => r.campaignId)}::int[]) AS v(id, kind, cl, fa, su, mi, cu, ca)
       WHERE i.id = v.id`;
  }

  /** Lifts a suppression only if it is still the one the given evidence created. */
  deleteSuppression(id: number, evidenceId: bigint | null): Promise<boolean> {
    return this.owners.suppressions.liftIn(this.tx, id, evidenceId);
  }

  async setEmailValid(customerIds: number[], valid: boolean): Promise<number[]> {
    if (!customerIds.length) return [];
    const rows = await this.tx.$queryRaw<Array<{ id: number }>>`
      UPDATE customers SET email_valid = ${valid}, updated_at = now() WHERE id = ANY(${customerIds}::int[]) AND email_valid <> ${valid} RETURNING id`;
    return rows.map((r) => r.id);
  }

  /** The current consent and its history event. */
  setConsent(customerId: number, channel: Channel, status: ConsentStatus, source: string): Promise<void> {
    return this.owners.consents.setIn(this.tx, customerId, channel, status, source);
  }

  deleteConsent(customerId: number, channel: Channel): Promise<void> {
    return this.owners.consents.deleteIn(this.tx, customerId, channel);
  }

  customerByEmail(email: string) {
    return this.tx.customer.findFirst({ where: { email, erasedAt: null }, select: { id: true }, orderBy: { id: 'asc' } });
  }

  customer(id: number) {
    return this.tx.customer.findUnique({
      where: { id },
      select: { id: true, email: true, companyId: true, companyName: true, locale: true, timeZone: true, erasedAt: true },
    });
  }

  async createCustomer(data: {
    email: string;
    companyId: number | null;
    companyName: string | null;
    locale: string;
    timeZone: string;
    source: string;
  }): Promise<number> {
    return (await this.tx.customer.create({ data, select: { id: true } })).id;
  }

  /** Deletes a contact the feedback loop created, unless it has been sent anything or ordered since. */
  async deleteCreatedCustomer(id: number): Promise<boolean> {
    const used = await this.tx.customer.findUnique({ where: { id }, select: { _count: { select: { messages: true, orders: true } } } });
    if (!used) return true;
    if (used._count.messages > 0 || used._count.orders > 0) return false;
    await this.tx.customer.delete({ where: { id } });
    return true;
  }

  async logMany(entries: CleanupLogInput[]): Promise<void> {
    if (!entries.length) return;
    await this.tx.$executeRaw`
      INSERT INTO cleanup_log (action, channel, address, reason, customer_id, inbound_message_id, details)
      SELECT ac, ch::"Channel", a, r, cu, i, d::jsonb
        FROM unnest(${entries.map((e) => e.action)}::text[], ${entries.map((e) => e.channel)}::text[], ${entries.map((e) => e.address)}::text[], ${entries.map((e) => e.reason)}::text[],
                    ${entries.map((e) => e.customerId)}::int[], ${entries.map((e) => e.inboundMessageId)}::bigint[], ${entries.map((e) => JSON.stringify(e.details))}::text[]) AS t(ac, ch, a, r, cu, i, d)`;
  }

  async lockCleanupEntry(id: number) {
    const rows = await this.tx.$queryRaw<Array<{ id: number }>>`SELECT id FROM cleanup_log WHERE id = ${id} FOR UPDATE`;
    if (!rows.length) return null;
    return this.tx.cleanupLogEntry.findUnique({ where: { id } });
  }

  async markUndone(id: number, by: string): Promise<void> {
    await this.tx.cleanupLogEntry.update({ where: { id }, data: { undoneAt: new Date(), undoneBy: by } });
  }

  async markApplied(id: number, by: string): Promise<void> {
    await this.tx.cleanupLogEntry.update({ where: { id }, data: { appliedAt: new Date(), appliedBy: by } });
  }

  async createAddressChange(data: {
    customerId: number;
    oldAddress: string | null;
    newAddress: string;
    inboundMessageId: bigint;
    proven: boolean;
  }): Promise<number> {
    return (await this.tx.addressChangeProposal.create({ data, select: { id: true } })).id;
  }

  /** The proposal, locked until the transaction ends. */
  async lockAddressChange(id: number) {
    const rows = await this.tx.$queryRaw<Array<{ id: number }>>`SELECT id FROM address_change_proposals WHERE id = ${id} FOR UPDATE`;
    if (!rows.length) return null;
    return this.tx.addressChangeProposal.findUnique({ where: { id } });
  }

  async decideAddressChange(
    id: number,
    status: 'confirmed' | 'accepted' | 'rejected',
    by: string,
    contactId: number | null,
  ): Promise<void> {
    await this.tx.addressChangeProposal.update({ where: { id }, data: { status, decidedAt: new Date(), decidedBy: by, contactId } });
  }
}

/** An inbound message classified and acted on: what its row records. */
export interface FinishedInbound {
  id: bigint;
  kind: InboundKind;
  classification: Prisma.InputJsonValue;
  fromAddress: string | null;
  subject: string | null;
  messageId: bigint | null;
  customerId: number | null;
  campaignId: number | null;
}

@Injectable()
export class FeedbackRepository {
  private readonly owners: TableOwners;

  constructor(
    private readonly prisma: PrismaService,
    suppressions: SuppressionService,
    consents: ConsentService,
    messages: DeliveryService,
  ) {
    this.owners = { suppressions, consents, messages };
  }

  transaction<T>(work: (store: FeedbackStore) => Promise<T>): Promise<T> {
    return this.prisma.$transaction((tx) => work(new FeedbackStore(tx, this.owners)), { timeout: 30_000 });
  }

  addressChange(id: number) {
    return this.prisma.addressChangeProposal.findUnique({
      where: { id },
      include: { customer: { select: { locale: true, erasedAt: true } } },
    });
  }

  addressChanges(filter: { status?: 'pending' | 'confirmed' | 'accepted' | 'rejected'; before?: number; limit: number }) {
    return this.prisma.addressChangeProposal.findMany({
      where: { status: filter.status, id: filter.before !== undefined ? { lt: filter.before } : undefined },
      orderBy: { id: 'desc' },
      take: filter.limit,
    });
  }

  /** Our messages among these ids, and by the Message-ID header we stored. */
  async findMessages(
    ids: bigint[],
    headerIds: string[],
  ): Promise<{ byId: Map<bigint, CorrelatedMessage>; byHeader: Map<string, CorrelatedMessage> }> {
    type Row = {
      id: bigint;
      channel: Channel;
      customer_id: number | null;
      campaign_id: number | null;
      header_message_id: string | null;
      address: string | null;
    };
    const view = (r: Row): CorrelatedMessage => ({
      id: BigInt(r.id),
      channel: r.channel,
      customerId: r.customer_id,
      campaignId: r.campaign_id,
      address: r.address,
    });
    const byId = new Map<bigint, CorrelatedMessage>();
    const byHeader = new Map<string, CorrelatedMessage>();
    if (ids.length) {
      const rows = await this.prisma.$queryRaw<Row[]>`
        SELECT m.id, m.channel::text AS channel, m.customer_id, m.campaign_id, m.header_message_id,
               coalesce(m.to_address, CASE m.channel WHEN 'email' THEN c.email ELSE c.phone END) AS address
          FROM messages m LEFT JOIN customers c ON c.id = m.customer_id WHERE m.id = ANY(${[...new Set(ids)]}::bigint[])`;
      for (const row of rows) byId.set(BigInt(row.id), view(row));
    }
    if (headerIds.length) {
      const rows = await this.prisma.$queryRaw<Row[]>`
        SELECT m.id, m.channel::text AS channel, m.customer_id, m.campaign_id, m.header_message_id,
               coalesce(m.to_address, CASE m.channel WHEN 'email' THEN c.email ELSE c.phone END) AS address
          FROM messages m LEFT JOIN customers c ON c.id = m.customer_id WHERE m.header_message_id = ANY(${[...new Set(headerIds)]}::text[]) ORDER BY m.id`;
      for (const row of rows) if (row.header_message_id) byHeader.set(row.header_message_id, view(row));
    }
    return { byId, byHeader };
  }

  /** Live customers by (normalised) email, the oldest for each address. */
  async customersByEmail(addresses: string[]): Promise<Map<string, CustomerRef>> {
    const result = new Map<string, CustomerRef>();
    if (!addresses.length) return result;
    const rows = await this.prisma.$queryRaw<Array<{ id: number; email: string; company_id: number | null; company_name: string | null }>>`
      SELECT DISTINCT ON (email) id, email, company_id, company_name FROM customers
       WHERE email = ANY(${addresses}::text[]) AND erased_at IS NULL ORDER BY email, id`;
    for (const row of rows)
      result.set(row.email, { id: row.id, email: row.email, companyId: row.company_id, companyName: row.company_name });
    return result;
  }

  async customerByPhone(phone: string): Promise<number | null> {
    const row = await this.prisma.customer.findFirst({ where: { phone, erasedAt: null }, select: { id: true }, orderBy: { id: 'asc' } });
    return row?.id ?? null;
  }

  /** The last SMS sent to the customer since `since`, the one an SMS reply answers. */
  async lastSmsTo(customerId: number, since: Date): Promise<CorrelatedMessage | null> {
    const row = await this.prisma.message.findFirst({
      where: { customerId, channel: 'sms', sentAt: { gte: since } },
      orderBy: { sentAt: 'desc' },
      select: { id: true, channel: true, customerId: true, campaignId: true, toAddress: true, customer: { select: { phone: true } } },
    });
    return row
      ? {
          id: row.id,
          channel: row.channel,
          customerId: row.customerId,
          campaignId: row.campaignId,
          address: row.toAddress ?? row.customer?.phone ?? null,
        }
      : null;
  }

  /** Bounce domains and reply addresses of every sender, for the inbound server's mailbox policy. */
  senders() {
    return this.prisma.sender.findMany({ where: { channel: 'email' }, select: { fromAddress: true, replyTo: true, bounceDomain: true } });
  }

  /** Null unless the campaign is running. */
  async campaignStats(campaignId: number): Promise<CampaignFeedbackStats | null> {
    // The counts run only for a running campaign (no row otherwise).
    const rows = await this.prisma.$queryRaw<Array<{ sent: number; hard: number; complaints: number }>>`
      SELECT (SELECT count(*)::int FROM messages m WHERE m.campaign_id = c.id AND m.status = ANY(${WENT_OUT}::"MessageStatus"[])) AS sent,
             (SELECT count(DISTINCT coalesce(b.message_id, -b.id))::int FROM bounces b WHERE b.campaign_id = c.id AND b.hard) AS hard,
             (SELECT count(*)::int FROM complaints k WHERE k.campaign_id = c.id AND k.kind = 'feedback_loop') AS complaints
        FROM campaigns c WHERE c.id = ${campaignId} AND c.status = 'running'`;
    const row = rows[0];
    if (!row) return null;
    return { sent: row.sent, hardBounces: row.hard, complaints: row.complaints };
  }

  async runningCampaignIds(): Promise<number[]> {
    const rows = await this.prisma.campaign.findMany({ where: { status: 'running' }, select: { id: true } });
    return rows.map((r) => r.id);
  }

  /** A message and the address it went to (the same expression as the send claim), for its send-time bounce. */
  async sendBounceSubject(id: bigint): Promise<{
    channel: Channel;
    customerId: number | null;
    campaignId: number | null;
    statusReason: string | null;
    address: string | null;
  } | null> {
    const m = await this.prisma.message.findUnique({
      where: { id },
      select: {
        channel: true,
        customerId: true,
        campaignId: true,
        statusReason: true,
        toAddress: true,
        customer: { select: { email: true, phone: true } },
      },
    });
    if (!m) return null;
    const address = m.toAddress ?? (m.channel === 'email' ? m.customer?.email : m.customer?.phone) ?? null;
    return { channel: m.channel, customerId: m.customerId, campaignId: m.campaignId, statusReason: m.statusReason, address };
  }

  /**
   * A send-time bounce, once per message (false when it is already recorded): the Bounce row,
   * and with `suppression` the hard_bounce suppression and the message marked hard_bounced.
   */
  async recordSendBounce(b: {
    channel: Channel;
    address: string | null;
    hard: boolean;
    reason: string;
    statusCode: string | null;
    diagnostic: string;
    evidence: BounceEvidence | null;
    customerId: number | null;
    messageId: bigint;
    campaignId: number | null;
    suppression: { addressHash: string; source: string } | null;
  }): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const seen = await tx.bounce.findFirst({ where: { messageId: b.messageId, inboundMessageId: null }, select: { id: true } });
      if (seen) return false;
      await tx.bounce.create({
        data: {
          channel: b.channel,
          address: b.address,
          domain: b.address?.includes('@') ? b.address.split('@')[1] : null,
          hard: b.hard,
          reason: b.reason,
          statusCode: b.statusCode,
          diagnostic: b.diagnostic,
          evidence: b.evidence ? { ...b.evidence } : undefined,
          customerId: b.customerId,
          messageId: b.messageId,
          campaignId: b.campaignId,
        },
      });
      if (b.suppression && b.address) {
        await this.owners.suppressions.suppressManyIn(tx, [
          {
            channel: b.channel,
            addressHash: b.suppression.addressHash,
            address: b.address,
            reason: 'hard_bounce',
            source: b.suppression.source,
            customerId: b.customerId,
            evidenceId: null,
          },
        ]);
        await this.owners.messages.markHardBouncedIn(tx, b.messageId);
      }
      return true;
    });
  }
}
