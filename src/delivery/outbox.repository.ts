import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Channel } from '../generated/prisma/enums';

export interface CapturedMessage {
  channel: Channel;
  messageId?: bigint;
  toAddress: string;
  fromAddress?: string;
  subject?: string;
  text?: string;
  html?: string;
  headers?: Record<string, string>;
}

const SUMMARY = { id: true, channel: true, messageId: true, toAddress: true, fromAddress: true, subject: true, createdAt: true } as const;

@Injectable()
export class OutboxRepository {
  constructor(private readonly prisma: PrismaService) {}

  async insert(message: CapturedMessage): Promise<bigint> {
    const row = await this.prisma.outboxMessage.create({
      data: { ...message, headers: message.headers ?? {} },
      select: { id: true },
    });
    return row.id;
  }

  /** Newest first, keyset-paginated by id. */
  list(filter: { channel?: Channel; to?: string; before?: bigint; limit: number }) {
    return this.prisma.outboxMessage.findMany({
      where: {
        channel: filter.channel,
        toAddress: filter.to,
        id: filter.before !== undefined ? { lt: filter.before } : undefined,
      },
      orderBy: { id: 'desc' },
      take: filter.limit,
      select: SUMMARY,
    });
  }

  get(id: bigint) {
    return this.prisma.outboxMessage.findUnique({ where: { id }, omit: { raw: true } });
  }

  async deleteOlderThan(cutoff: Date): Promise<number> {
    const result = await this.prisma.outboxMessage.deleteMany({ where: { createdAt: { lt: cutoff } } });
    return result.count;
  }
}
