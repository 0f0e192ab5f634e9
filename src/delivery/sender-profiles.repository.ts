import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';

/** Who a campaign sends as, through which provider, with which attachments. */
@Injectable()
export class SenderProfilesRepository {
  constructor(private readonly prisma: PrismaService) {}

  findCampaign(campaignId: number) {
    return this.prisma.campaign.findUnique({
      where: { id: campaignId },
      select: {
        id: true,
        name: true,
        sender: { include: { provider: true } },
        attachments: { select: { attachment: { select: { id: true, filename: true, contentType: true, data: true } } } },
      },
    });
  }

  findCustomers(ids: number[]) {
    return this.prisma.customer.findMany({ where: { id: { in: ids } } });
  }

  findOrder(id: number) {
    return this.prisma.order.findUnique({ where: { id }, include: { items: true } });
  }
}
