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
    return this.prisma.suppression.findMany({ where: { channel, addressHash: { in: addressHashes } }, select: { addressHash: true, reason: true } });
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
}
