// What a campaign run renders with beyond the recipient: the campaign's data, its time zone and
// the run's occurrence (for {{run.month}}). Read once per run by RunRenderData.
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';

@Injectable()
export class RunDataRepository {
  constructor(private readonly prisma: PrismaService) {}

  findRun(runId: number) {
    return this.prisma.campaignRun.findUnique({
      where: { id: runId },
      select: { occurrenceAt: true, campaign: { select: { data: true, timeZone: true } } },
    });
  }
}
