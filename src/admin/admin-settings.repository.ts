// Read-only lists for the settings page: senders and providers (provider config holds secrets
// and is never selected here).
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';

@Injectable()
export class AdminSettingsRepository {
  constructor(private readonly prisma: PrismaService) {}

  senders() {
    return this.prisma.sender.findMany({
      orderBy: { id: 'asc' },
      select: {
        id: true,
        name: true,
        channel: true,
        fromAddress: true,
        fromName: true,
        replyTo: true,
        bounceDomain: true,
        provider: { select: { name: true } },
      },
    });
  }

  providers() {
    return this.prisma.provider.findMany({
      orderBy: { id: 'asc' },
      select: { id: true, name: true, channel: true, kind: true, perSecond: true, perHour: true, concurrency: true, active: true },
    });
  }
}
