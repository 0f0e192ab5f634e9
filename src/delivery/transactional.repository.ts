import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import type { Channel } from '../generated/prisma/enums';

export interface NewTransactionalMessage {
  channel: Channel;
  customerId: number | null;
  toAddress: string | null;
  templateVersionId: number;
  data: Record<string, unknown>;
  idempotencyKey: string | null;
}

const VIEW = {
  id: true,
  channel: true,
  lane: true,
  status: true,
  statusReason: true,
  customerId: true,
  toAddress: true,
  templateVersionId: true,
  idempotencyKey: true,
  attempts: true,
  deferrals: true,
  scheduledFor: true,
  headerMessageId: true,
  providerMessageId: true,
  createdAt: true,
  sentAt: true,
  runId: true,
  campaignId: true,
} as const;

@Injectable()
export class TransactionalRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Creates the row, or returns the existing one for a repeated idempotency key. */
  async create(
    message: NewTransactionalMessage,
  ): Promise<{ created: boolean; message: Prisma.MessageGetPayload<{ select: typeof VIEW }> }> {
    try {
      const created = await this.prisma.message.create({
        data: { ...message, data: message.data as Prisma.InputJsonValue, lane: 'transactional', status: 'queued' },
        select: VIEW,
      });
      return { created: true, message: created };
    } catch (error) {
      if (message.idempotencyKey && error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        const existing = await this.prisma.message.findUnique({ where: { idempotencyKey: message.idempotencyKey }, select: VIEW });
        if (existing) return { created: false, message: existing };
      }
      throw error;
    }
  }

  get(id: bigint) {
    return this.prisma.message.findUnique({ where: { id }, select: VIEW });
  }

  customerContact(id: number) {
    return this.prisma.customer.findUnique({ where: { id }, select: { id: true, locale: true, email: true, phone: true, erasedAt: true } });
  }
}
