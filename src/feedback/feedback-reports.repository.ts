// Read side of the feedback loop for the admin API: bounces, leads, complaints and the cleanup
// log, newest first, keyset-paginated by id.
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { ComplaintKind, LeadStatus } from '../generated/prisma/enums';

interface Page {
  before?: number;
  limit: number;
}

@Injectable()
export class FeedbackReportsRepository {
  constructor(private readonly prisma: PrismaService) {}

  bounces(filter: Page & { campaignId?: number; customerId?: number; hard?: boolean; address?: string }) {
    return this.prisma.bounce.findMany({
      where: {
        campaignId: filter.campaignId,
        customerId: filter.customerId,
        hard: filter.hard,
        address: filter.address,
        id: filter.before !== undefined ? { lt: filter.before } : undefined,
      },
      orderBy: { id: 'desc' },
      take: filter.limit,
    });
  }

  leads(filter: Page & { status?: LeadStatus; campaignId?: number }) {
    return this.prisma.lead.findMany({
      where: { status: filter.status, campaignId: filter.campaignId, id: filter.before !== undefined ? { lt: filter.before } : undefined },
      orderBy: { id: 'desc' },
      take: filter.limit,
    });
  }

  complaints(filter: Page & { kind?: ComplaintKind; campaignId?: number }) {
    return this.prisma.complaint.findMany({
      where: { kind: filter.kind, campaignId: filter.campaignId, id: filter.before !== undefined ? { lt: filter.before } : undefined },
      orderBy: { id: 'desc' },
      take: filter.limit,
    });
  }

  cleanupLog(filter: Page & { action?: string; customerId?: number; inboundMessageId?: bigint }) {
    return this.prisma.cleanupLogEntry.findMany({
      where: {
        action: filter.action,
        customerId: filter.customerId,
        inboundMessageId: filter.inboundMessageId,
        id: filter.before !== undefined ? { lt: filter.before } : undefined,
      },
      orderBy: { id: 'desc' },
      take: filter.limit,
    });
  }
}
