import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { CustomerRow } from '../templates/customer-context';

/** The customer columns a render reads (CustomerRow), and no others: this runs for every message. */
const RENDERED_CUSTOMER_COLUMNS = {
  id: true,
  kind: true,
  firstName: true,
  patronymic: true,
  lastName: true,
  companyName: true,
  position: true,
  email: true,
  phone: true,
  birthday: true,
  locale: true,
  timeZone: true,
  orderCount: true,
  orderSum: true,
  lastOrderAt: true,
  registeredAt: true,
  rating: true,
  tags: true,
  attributes: true,
} as const satisfies Record<keyof CustomerRow, true>;

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
        headers: true,
        sender: { include: { provider: true } },
        attachments: { select: { attachmentId: true }, orderBy: { attachmentId: 'asc' } },
      },
    });
  }

  findCustomers(ids: number[]): Promise<CustomerRow[]> {
    return this.prisma.customer.findMany({ where: { id: { in: ids } }, select: RENDERED_CUSTOMER_COLUMNS });
  }

  findOrder(id: number) {
    return this.prisma.order.findUnique({ where: { id }, include: { items: true } });
  }
}
