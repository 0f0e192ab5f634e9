// The dashboard's few aggregate queries (counts and messages sent per day); read-only.
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';

export interface DashboardCounts {
  customers: number;
  campaigns: number;
  running: number;
  suppressed: number;
  sent30d: number;
  openComplaints: number;
}

@Injectable()
export class AdminDashboardRepository {
  constructor(private readonly prisma: PrismaService) {}

  async counts(since: Date): Promise<DashboardCounts> {
    const [row] = await this.prisma.$queryRawUnsafe<Array<Record<keyof DashboardCounts, number>>>(
      `SELECT (SELECT count(*) FROM customers)::int AS customers,
              (SELECT count(*) FROM campaigns)::int AS campaigns,
              (SELECT count(*) FROM campaigns WHERE status IN ('running', 'scheduled'))::int AS running,
              (SELECT count(*) FROM suppressions)::int AS suppressed,
              (SELECT count(*) FROM messages WHERE sent_at >= $1)::int AS "sent30d",
              (SELECT count(*) FROM complaints WHERE status = 'open')::int AS "openComplaints"`,
      since,
    );
    return row;
  }

  /** Messages sent per calendar day in `timeZone` since `since`, days without any left out (the caller fills them). */
  sentPerDay(since: Date, timeZone: string): Promise<Array<{ day: string; channel: string; count: number }>> {
    return this.prisma.$queryRawUnsafe(
      `SELECT to_char((sent_at AT TIME ZONE 'UTC') AT TIME ZONE $2, 'YYYY-MM-DD') AS day, channel::text AS channel, count(*)::int AS count
         FROM messages WHERE sent_at >= $1 GROUP BY 1, 2 ORDER BY 1`,
      since,
      timeZone,
    );
  }

  recentCampaigns(limit: number): Promise<Array<{ id: number; name: string; channel: string; status: string; updatedAt: Date }>> {
    return this.prisma.campaign.findMany({
      orderBy: { id: 'desc' },
      take: limit,
      select: { id: true, name: true, channel: true, status: true, updatedAt: true },
    });
  }
}
