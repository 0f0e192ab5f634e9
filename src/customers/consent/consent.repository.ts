import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service';
import type { Channel, ConsentStatus } from '../../generated/prisma/enums';

export interface ConsentChange {
  status: ConsentStatus;
  source: string | null;
  proofIp: string | null;
  proofForm: string | null;
  proofFile?: string | null;
}

@Injectable()
export class ConsentRepository {
  constructor(private readonly prisma: PrismaService) {}

  list(customerId: number) {
    return this.prisma.consent.findMany({ where: { customerId }, orderBy: { channel: 'asc' }, omit: { customerId: true } });
  }

  find(customerId: number, channel: Channel) {
    return this.prisma.consent.findUnique({ where: { customerId_channel: { customerId, channel } } });
  }

  /** Newest first. */
  history(customerId: number, limit = 500) {
    return this.prisma.consentEvent.findMany({ where: { customerId }, orderBy: [{ at: 'desc' }, { id: 'desc' }], take: limit, omit: { customerId: true } });
  }

  /** The current consent and its history event, in one transaction. Returns the event id. */
  async record(customerId: number, channel: Channel, change: ConsentChange, at: Date): Promise<number> {
    const data = { status: change.status, source: change.source, proofIp: change.proofIp, proofForm: change.proofForm, proofFile: change.proofFile ?? null, at };
    const [, event] = await this.prisma.$transaction([
      this.prisma.consent.upsert({
        where: { customerId_channel: { customerId, channel } },
        create: { customerId, channel, ...data },
        update: data,
      }),
      this.prisma.consentEvent.create({ data: { customerId, channel, ...data }, select: { id: true } }),
    ]);
    return event.id;
  }
}
