import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { OutgoingMessagesService, type VersionChoice } from '../delivery/outgoing-messages.service';
import { Prisma } from '../generated/prisma/client';
import type { CampaignStatus, Channel, MessageStatus, RunStatus, ScheduleKind } from '../generated/prisma/enums';

export interface CampaignFields {
  name: string;
  channel: Channel;
  templateId: number;
  segmentId: number;
  senderId: number | null;
  scheduleKind: ScheduleKind;
  scheduledAt: Date | null;
  cron: string | null;
  timeZone: string;
  abTest: Prisma.InputJsonValue | null;
  attachmentIds: number[];
  localTime: string | null;
  sendingWindow: Prisma.InputJsonValue | null;
}

const CAMPAIGN_VIEW = {
  id: true,
  name: true,
  channel: true,
  status: true,
  statusReason: true,
  templateId: true,
  segmentId: true,
  senderId: true,
  scheduleKind: true,
  scheduledAt: true,
  cron: true,
  timeZone: true,
  nextRunAt: true,
  abTest: true,
  localTime: true,
  sendingWindow: true,
  createdAt: true,
  updatedAt: true,
  attachments: { select: { attachment: { select: { id: true, filename: true, contentType: true, size: true } } } },
} as const;

@Injectable()
export class CampaignsRepository {
  constructor(
    private readonly prisma: PrismaService,
    // The owner of `messages`: the A/B release writes them through it, in this module's transaction.
    private readonly messages: OutgoingMessagesService,
  ) {}

  create(fields: CampaignFields) {
    const { attachmentIds, abTest, sendingWindow, ...rest } = fields;
    return this.prisma.campaign.create({
      data: {
        ...rest,
        abTest: abTest ?? Prisma.DbNull,
        sendingWindow: sendingWindow ?? Prisma.DbNull,
        attachments: { create: attachmentIds.map((attachmentId) => ({ attachmentId })) },
      },
      select: CAMPAIGN_VIEW,
    });
  }

  update(id: number, fields: Partial<CampaignFields>) {
    const { attachmentIds, abTest, sendingWindow, ...rest } = fields;
    return this.prisma.$transaction(async (tx) => {
      if (attachmentIds) {
        await tx.campaignAttachment.deleteMany({ where: { campaignId: id } });
        await tx.campaignAttachment.createMany({ data: attachmentIds.map((attachmentId) => ({ campaignId: id, attachmentId })) });
      }
      return tx.campaign.update({
        where: { id },
        data: {
          ...rest,
          ...(abTest !== undefined ? { abTest: abTest ?? Prisma.DbNull } : {}),
          ...(sendingWindow !== undefined ? { sendingWindow: sendingWindow ?? Prisma.DbNull } : {}),
        },
        select: CAMPAIGN_VIEW,
      });
    });
  }

  get(id: number) {
    return this.prisma.campaign.findUnique({ where: { id }, select: CAMPAIGN_VIEW });
  }

  list(filter: { status?: CampaignStatus; after?: number; limit: number }) {
    return this.prisma.campaign.findMany({
      where: { status: filter.status, id: filter.after !== undefined ? { gt: filter.after } : undefined },
      orderBy: { id: 'asc' },
      take: filter.limit,
      select: CAMPAIGN_VIEW,
    });
  }

  setStatus(id: number, status: CampaignStatus, statusReason: string | null = null, extra: { nextRunAt?: Date | null } = {}) {
    return this.prisma.campaign.update({ where: { id }, data: { status, statusReason, ...extra }, select: CAMPAIGN_VIEW });
  }

  /**
   * Scheduled campaigns whose next occurrence has come, and local-time ones whose occurrence is
   * before `localHorizon` (their runs start early; the service picks those whose start has come).
   */
  due(now: Date, localHorizon: Date) {
    return this.prisma.campaign.findMany({
      where: {
        status: { in: ['scheduled', 'running'] },
        OR: [{ nextRunAt: { lte: now } }, { localTime: { not: null }, nextRunAt: { lte: localHorizon } }],
      },
      select: { id: true, scheduleKind: true, cron: true, timeZone: true, nextRunAt: true, localTime: true },
      orderBy: { nextRunAt: 'asc' },
      take: 100,
    });
  }

  /**
   * Moves nextRunAt from the occurrence being started to the following one. Conditional on the
   * old value, so of two schedulers ticking at once only one advances it.
   */
  async advanceSchedule(id: number, from: Date, to: Date | null): Promise<boolean> {
    const result = await this.prisma.campaign.updateMany({ where: { id, nextRunAt: from }, data: { nextRunAt: to } });
    return result.count === 1;
  }

  /** The run of one occurrence; null when it exists already (unique on campaign and occurrence). */
  async createRun(campaignId: number, occurrenceAt: Date): Promise<number | null> {
    const rows = await this.prisma.$queryRaw<Array<{ id: number }>>`
      INSERT INTO campaign_runs (campaign_id, occurrence_at, status) VALUES (${campaignId}, ${occurrenceAt}, 'preparing')
      ON CONFLICT (campaign_id, occurrence_at) DO NOTHING RETURNING id`;
    return rows[0]?.id ?? null;
  }

  getRun(id: number) {
    return this.prisma.campaignRun.findUnique({
      where: { id },
      include: {
        campaign: {
          select: {
            id: true,
            channel: true,
            templateId: true,
            segmentId: true,
            abTest: true,
            scheduleKind: true,
            nextRunAt: true,
            status: true,
            timeZone: true,
            localTime: true,
          },
        },
      },
    });
  }

  runs(campaignId: number) {
    return this.prisma.campaignRun.findMany({ where: { campaignId }, orderBy: { id: 'asc' } });
  }

  /** The run that is preparing, sending or paused, if any. */
  activeRun(campaignId: number) {
    return this.prisma.campaignRun.findFirst({
      where: { campaignId, status: { in: ['preparing', 'sending', 'paused'] } },
      orderBy: { id: 'desc' },
    });
  }

  /** Runs whose jobs should exist: preparing (its prepare job) or sending (its feeder). */
  async runsInProgress(): Promise<Array<{ id: number; status: RunStatus }>> {
    return this.prisma.campaignRun.findMany({ where: { status: { in: ['preparing', 'sending'] } }, select: { id: true, status: true } });
  }

  setRunStatus(id: number, status: RunStatus, extra: Prisma.CampaignRunUpdateInput = {}) {
    return this.prisma.campaignRun.update({ where: { id }, data: { status, ...extra } });
  }

  /**
   * A sending run → paused with the reason, and its running campaign with it (the same states as
   * a user's pause, so resume undoes it). Null when the run was not sending: already paused,
   * cancelled or done, so a pause asked for twice changes nothing the second time.
   */
  async pauseSendingRun(runId: number, reason: string): Promise<{ campaignId: number } | null> {
    return this.prisma.$transaction(async (tx) => {
      const moved = await tx.campaignRun.updateMany({
        where: { id: runId, status: 'sending' },
        data: { status: 'paused', statusReason: reason },
      });
      if (moved.count === 0) return null;
      const { campaignId } = await tx.campaignRun.findUniqueOrThrow({ where: { id: runId }, select: { campaignId: true } });
      await tx.campaign.updateMany({ where: { id: campaignId, status: 'running' }, data: { status: 'paused', statusReason: reason } });
      return { campaignId };
    });
  }

  /**
   * A running campaign → paused with the reason, and its sending run with it (the same states as
   * a user's pause: the send path stops at the commit point). False when it was not running.
   */
  async pauseRunningCampaign(campaignId: number, reason: string): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const paused = await tx.campaign.updateMany({
        where: { id: campaignId, status: 'running' },
        data: { status: 'paused', statusReason: reason },
      });
      if (paused.count === 0) return false;
      await tx.campaignRun.updateMany({ where: { campaignId, status: 'sending' }, data: { status: 'paused', statusReason: reason } });
      return true;
    });
  }

  async countMessages(runId: number): Promise<number> {
    return this.prisma.message.count({ where: { runId } });
  }

  /** The next window of a run's queued messages after `after`, by id. */
  async queuedWindow(runId: number, after: bigint, limit: number): Promise<bigint[]> {
    const rows = await this.prisma.$queryRaw<Array<{ id: bigint }>>`
      SELECT id FROM messages WHERE run_id = ${runId} AND status = 'queued' AND id > ${after} ORDER BY id LIMIT ${limit}`;
    return rows.map((row) => row.id);
  }

  /** Rows in flight for longer than `seconds`: their job may be gone (a worker died after its job was dropped). */
  async staleInFlight(runId: number, seconds: number, limit: number): Promise<bigint[]> {
    const rows = await this.prisma.$queryRaw<Array<{ id: bigint }>>`
      SELECT id FROM messages WHERE run_id = ${runId} AND status IN ('sending', 'committing')
         AND sending_at < now() - make_interval(secs => ${seconds}) ORDER BY id LIMIT ${limit}`;
    return rows.map((row) => row.id);
  }

  /** The run's oldest unsettled messages (not held for quiet hours), by id. */
  async unsettled(runId: number, limit: number): Promise<bigint[]> {
    const rows = await this.prisma.$queryRaw<Array<{ id: bigint }>>`
      SELECT id FROM messages WHERE run_id = ${runId} AND status IN ('queued', 'sending', 'committing') ORDER BY id LIMIT ${limit}`;
    return rows.map((row) => row.id);
  }

  async statusCounts(runId: number): Promise<Partial<Record<MessageStatus, number>>> {
    const rows = await this.prisma.$queryRaw<Array<{ status: MessageStatus; n: number }>>`
      SELECT status, count(*)::int AS n FROM messages WHERE run_id = ${runId} GROUP BY status`;
    return Object.fromEntries(rows.map((row) => [row.status, row.n]));
  }

  async abResults(runId: number): Promise<Array<{ key: string; sent: number; opened: number; clicked: number }>> {
    return this.prisma.$queryRaw`
      SELECT variant AS key,
             count(*) FILTER (WHERE status IN ('sent', 'delivered', 'committing'))::int AS sent,
             count(opened_at)::int AS opened,
             count(clicked_at)::int AS clicked
        FROM messages WHERE run_id = ${runId} AND variant IS NOT NULL GROUP BY variant ORDER BY variant`;
  }

  /** Releases the held rest of the audience to the winning variant and records the winner, together. */
  async releaseToWinner(runId: number, winner: string, versions: VersionChoice): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await this.messages.releaseToWinnerIn(tx, runId, winner, versions);
      await tx.campaignRun.update({ where: { id: runId }, data: { abWinner: winner } });
    });
  }

  /** Stores an attachment once (by content hash) and returns its id. */
  async storeAttachment(file: { filename: string; contentType: string; data: Buffer; sha256: string }) {
    return this.prisma.attachment.upsert({
      where: { sha256: file.sha256 },
      create: {
        filename: file.filename,
        contentType: file.contentType,
        size: file.data.length,
        sha256: file.sha256,
        data: new Uint8Array(file.data),
      },
      update: {},
      select: { id: true, filename: true, contentType: true, size: true, sha256: true },
    });
  }

  async existingIds(table: 'templates' | 'segments' | 'senders' | 'attachments', ids: number[]): Promise<Set<number>> {
    const found =
      table === 'templates'
        ? await this.prisma.template.findMany({ where: { id: { in: ids } }, select: { id: true } })
        : table === 'segments'
          ? await this.prisma.segment.findMany({ where: { id: { in: ids } }, select: { id: true } })
          : table === 'senders'
            ? await this.prisma.sender.findMany({ where: { id: { in: ids } }, select: { id: true } })
            : await this.prisma.attachment.findMany({ where: { id: { in: ids } }, select: { id: true } });
    return new Set(found.map((row) => row.id));
  }

  templateChannel(id: number) {
    return this.prisma.template.findUnique({ where: { id }, select: { channel: true } });
  }
}
