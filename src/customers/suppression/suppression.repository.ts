import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service';
import type { Prisma } from '../../generated/prisma/client';
import type { Channel, SuppressionReason } from '../../generated/prisma/enums';

export interface NewSuppression {
  channel: Channel;
  addressHash: string;
  /** Null for an erased customer's address: only the hash is kept. */
  address: string | null;
  reason: SuppressionReason;
  source: string | null;
  customerId?: number | null;
  evidenceId?: bigint | null;
}

/** A suppression with its cause: an inbound message (`evidenceId`), or none for a bounce seen while sending. */
export interface EvidencedSuppression {
  channel: Channel;
  addressHash: string;
  address: string;
  reason: SuppressionReason;
  source: string;
  customerId: number | null;
  evidenceId: bigint | null;
}

export interface SuppressionListFilter {
  channel?: Channel;
  reason?: SuppressionReason;
  addressHash?: string;
  /** Keyset cursor: entries with a smaller id (newest first). */
  before?: number;
  limit: number;
}

@Injectable()
export class SuppressionRepository {
  constructor(private readonly prisma: PrismaService) {}

  find(channel: Channel, addressHash: string) {
    return this.prisma.suppression.findUnique({ where: { channel_addressHash: { channel, addressHash } } });
  }

  findMany(channel: Channel, addressHashes: string[]) {
    return this.prisma.suppression.findMany({
      where: { channel, addressHash: { in: addressHashes } },
      select: { addressHash: true, reason: true },
    });
  }

  /**
   * Adds the entry unless the address is already suppressed (the first reason stays: it is the
   * evidence). Returns the entry as stored and whether this call created it.
   */
  async insertIfAbsent(entry: NewSuppression) {
    const created = await this.prisma.suppression.createMany({ data: [entry], skipDuplicates: true });
    const stored = await this.find(entry.channel, entry.addressHash);
    return { created: created.count === 1, suppression: stored! };
  }

  /** An erased address keeps its entry as a hash only, whatever its first reason was. */
  async forgetAddress(channel: Channel, addressHash: string): Promise<void> {
    await this.prisma.suppression.updateMany({ where: { channel, addressHash }, data: { address: null } });
  }

  list(filter: SuppressionListFilter) {
    const where: Prisma.SuppressionWhereInput = {
      channel: filter.channel,
      reason: filter.reason,
      addressHash: filter.addressHash,
      id: filter.before !== undefined ? { lt: filter.before } : undefined,
    };
    return this.prisma.suppression.findMany({ where, orderBy: { id: 'desc' }, take: filter.limit });
  }

  get(id: number) {
    return this.prisma.suppression.findUnique({ where: { id } });
  }

  async delete(id: number): Promise<void> {
    await this.prisma.suppression.delete({ where: { id } });
  }

  // ── writes inside another module's transaction (the feedback loop applies an inbound
  //    message's actions, or a send-time bounce, in one): the caller passes its `tx` ──

  /** Entries not yet on the list; returns the ids this call created, by `channel:hash`. */
  async insertManyIn(tx: Prisma.TransactionClient, entries: EvidencedSuppression[]): Promise<Map<string, number>> {
    if (!entries.length) return new Map();
    const rows = await tx.$queryRaw<Array<{ id: number; channel: string; address_hash: string }>>`
      INSERT INTO suppressions (channel, address_hash, address, reason, source, customer_id, evidence_id)
      SELECT c::"Channel", h, a, r::"SuppressionReason", s, cu, e
        FROM unnest(${entries.map((e) => e.channel)}::text[], ${entries.map((e) => e.addressHash)}::text[], ${entries.map((e) => e.address)}::text[],
                    ${entries.map((e) => e.reason)}::text[], ${entries.map((e) => e.source.slice(0, 500))}::text[], ${entries.map((e) => e.customerId)}::int[],
                    ${entries.map((e) => e.evidenceId)}::bigint[]) AS t(c, h, a, r, s, cu, e)
      ON CONFLICT (channel, address_hash) DO NOTHING RETURNING id, channel::text AS channel, address_hash`;
    return new Map(rows.map((r) => [`${r.channel}:${r.address_hash}`, r.id]));
  }

  /** Lifts a suppression only if it is still the one the given evidence created. */
  async deleteByEvidenceIn(tx: Prisma.TransactionClient, id: number, evidenceId: bigint | null): Promise<boolean> {
    const result = await tx.suppression.deleteMany({ where: { id, evidenceId: evidenceId ?? undefined } });
    return result.count === 1;
  }
}
