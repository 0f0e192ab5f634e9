// The providers and senders tables (delivery owns them).
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service';
import { Prisma } from '../../generated/prisma/client';
import type { Channel, ProviderKind } from '../../generated/prisma/enums';

export interface ProviderRow {
  name: string;
  channel: Channel;
  kind: ProviderKind;
  config: Record<string, unknown>;
  perSecond: number | null;
  perHour: number | null;
  concurrency: number;
  active: boolean;
}

export interface SenderRow {
  name: string;
  channel: Channel;
  fromAddress: string;
  fromName: string | null;
  replyTo: string | null;
  bounceDomain: string | null;
  feedbackId: string | null;
  providerId: number | null;
  active: boolean;
  headers: Record<string, string>;
}

interface Filter {
  channel?: Channel;
  active?: boolean;
}

@Injectable()
export class ProvidersRepository {
  constructor(private readonly prisma: PrismaService) {}

  listProviders(filter: Filter) {
    return this.prisma.provider.findMany({ where: filter, orderBy: { id: 'asc' } });
  }

  findProvider(id: number) {
    return this.prisma.provider.findUnique({ where: { id } });
  }

  createProvider(row: ProviderRow) {
    return this.prisma.provider.create({ data: { ...row, config: row.config as Prisma.InputJsonObject } });
  }

  updateProvider(id: number, row: Partial<ProviderRow>) {
    const { config, ...rest } = row;
    return this.prisma.provider.update({
      where: { id },
      data: { ...rest, ...(config !== undefined ? { config: config as Prisma.InputJsonObject } : {}) },
    });
  }

  listSenders(filter: Filter) {
    return this.prisma.sender.findMany({ where: filter, orderBy: { id: 'asc' } });
  }

  findSender(id: number) {
    return this.prisma.sender.findUnique({ where: { id } });
  }

  createSender(row: SenderRow) {
    return this.prisma.sender.create({ data: row });
  }

  updateSender(id: number, row: Partial<SenderRow>) {
    return this.prisma.sender.update({ where: { id }, data: row });
  }
}

/** Whether `error` is the unique index on a name refusing a second row with it. */
export function isDuplicateName(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
