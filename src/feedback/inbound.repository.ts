// Inbound messages: stored raw before anything reads them (DESIGN.md invariant 3), then
// marked with what the classifier made of them. Listing for the admin API.
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import type { InboundKind, InboundSource, InboundStatus } from '../generated/prisma/enums';

export interface NewInbound {
  source: InboundSource;
  raw: Buffer;
  /** Size as received; more than raw.length when truncated. */
  rawSize: number;
  truncated: boolean;
  envelopeFrom: string | null;
  envelopeTo: string | null;
  /** `unclassified` with an error for a message stored only for review (truncated). */
  status: 'received' | 'unclassified';
  error: string | null;
}

export interface InboundListFilter {
  status?: InboundStatus;
  kind?: InboundKind;
  campaignId?: number;
  before?: bigint;
  limit: number;
}

/** Everything but the raw bytes. */
const INBOUND_VIEW = {
  id: true,
  source: true,
  status: true,
  kind: true,
  rawSize: true,
  truncated: true,
  envelopeFrom: true,
  envelopeTo: true,
  fromAddress: true,
  subject: true,
  error: true,
  messageId: true,
  customerId: true,
  campaignId: true,
  receivedAt: true,
  processedAt: true,
} as const;

@Injectable()
export class InboundRepository {
  constructor(private readonly prisma: PrismaService) {}

  async insert(row: NewInbound): Promise<bigint> {
    const created = await this.prisma.inboundMessage.create({
      data: { ...row, raw: new Uint8Array(row.raw.buffer as ArrayBuffer, row.raw.byteOffset, row.raw.byteLength) },
      select: { id: true },
    });
    return created.id;
  }

  /** The rows a batch of jobs processes (plain SQL: this is the hot path of every inbound message). */
  async loadMany(ids: bigint[]) {
    const rows = await this.prisma.$queryRaw<Array<{ id: bigint; status: InboundStatus; raw: Uint8Array; truncated: boolean; envelopeFrom: string | null; envelopeTo: string | null; source: InboundSource }>>`
      SELECT id, status::text AS status, raw, truncated, envelope_from AS "envelopeFrom", envelope_to AS "envelopeTo", source::text AS source
        FROM inbound_messages WHERE id = ANY(${ids}::bigint[])`;
    return new Map(rows.map((row) => [BigInt(row.id), row]));
  }

  async markUnclassified(id: bigint, error: string, classification: Prisma.InputJsonValue | null): Promise<void> {
    await this.prisma.inboundMessage.updateMany({
      where: { id, status: { in: ['received', 'classified'] } },
      data: { status: 'unclassified', error: error.slice(0, 2000), classification: classification ?? Prisma.DbNull, processedAt: new Date() },
    });
  }

  /** True when a message polled from IMAP (named by its key) is stored already. */
  async hasImapMessage(key: string): Promise<boolean> {
    return (await this.prisma.inboundMessage.count({ where: { source: 'imap', envelopeTo: key } })) > 0;
  }

  /** Rows still `received` a while after intake: their job was lost (Redis down at intake). */
  async staleReceived(olderThan: Date, limit: number): Promise<bigint[]> {
    const rows = await this.prisma.inboundMessage.findMany({ where: { status: 'received', receivedAt: { lt: olderThan } }, select: { id: true }, orderBy: { id: 'asc' }, take: limit });
    return rows.map((r) => r.id);
  }

  /** Puts an unclassified row back to `received` for another try (after a classifier fix). */
  async resetForRetry(id: bigint): Promise<boolean> {
    const result = await this.prisma.inboundMessage.updateMany({ where: { id, status: 'unclassified', truncated: false }, data: { status: 'received', error: null } });
    return result.count === 1;
  }

  list(filter: InboundListFilter) {
    return this.prisma.inboundMessage.findMany({
      where: { status: filter.status, kind: filter.kind, campaignId: filter.campaignId, id: filter.before !== undefined ? { lt: filter.before } : undefined },
      orderBy: { id: 'desc' },
      take: filter.limit,
      select: INBOUND_VIEW,
    });
  }

  get(id: bigint) {
    return this.prisma.inboundMessage.findUnique({ where: { id }, select: { ...INBOUND_VIEW, classification: true } });
  }

  raw(id: bigint) {
    return this.prisma.inboundMessage.findUnique({ where: { id }, select: { raw: true } });
  }
}
