import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { OutgoingMessagesService, type VersionChoice } from '../delivery/outgoing-messages.service';
import { Prisma } from '../generated/prisma/client';
import type { CampaignStatus, Channel, MessageStatus, RunStatus, ScheduleKind, UnchangedDocumentPolicy } from '../generated/prisma/enums';

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
  data: Prisma.InputJsonValue;
  localTime: string | null;
  sendingWindow: Prisma.InputJsonValue | null;
  /** Custom headers (name → Handlebars value); absent on an edit that keeps them. */
  headers?: Record<string, string>;
  /** Document ids, in the order they are attached, each with its policy. */
  attachments: CampaignDocument[];
}

export interface CampaignDocument {
  documentId: number;
  ifUnchanged: UnchangedDocumentPolicy;
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
  data: true,
  localTime: true,
  sendingWindow: true,
  headers: true,
  createdAt: true,
  updatedAt: true,
  attachments: {
    select: {
      ifUnchanged: true,
      attachment: { select: { id: true, name: true, latestVersion: true, filename: true, contentType: true, size: true } },
    },
    orderBy: { attachmentId: 'asc' },
  },
} as const;

@Injectable()
export class CampaignsRepository {
  constructor(
    private readonly prisma: PrismaService,
    // The owner of `messages`: the A/B release writes them through it, in this module's transaction.
    private readonly messages: OutgoingMessagesService,
  ) {}

  create(fields: CampaignFields) {
    const { attachments, abTest, sendingWindow, ...rest } = fields;
    return this.prisma.campaign.create({
      data: {
        ...rest,
        abTest: abTest ?? Prisma.DbNull,
        sendingWindow: sendingWindow ?? Prisma.DbNull,
        attachments: { create: attachments.map((a) => ({ attachmentId: a.documentId, ifUnchanged: a.ifUnchanged })) },
      },
      select: CAMPAIGN_VIEW,
    });
  }

  update(id: number, fields: Partial<CampaignFields>) {
    const { attachments, abTest, sendingWindow, ...rest } = fields;
    return this.prisma.$transaction(async (tx) => {
      if (attachments) {
        await tx.campaignAttachment.deleteMany({ where: { campaignId: id } });
        await tx.campaignAttachment.createMany({
          data: attachments.map((a) => ({ campaignId: id, attachmentId: a.documentId, ifUnchanged: a.ifUnchanged })),
        });
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
            data: true,
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

  /** The documents a campaign attaches, with their policies. */
  async attachmentsOf(campaignId: number): Promise<CampaignDocument[]> {
    const rows = await this.prisma.campaignAttachment.findMany({ where: { campaignId }, orderBy: { attachmentId: 'asc' } });
    return rows.map((r) => ({ documentId: r.attachmentId, ifUnchanged: r.ifUnchanged }));
  }

  /** preparing → waiting for a document, the reason shown on the run and on its campaign. */
  async waitRun(runId: number, campaignId: number, reason: string): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.campaignRun.updateMany({ where: { id: runId, status: 'preparing' }, data: { status: 'waiting', statusReason: reason } }),
      this.prisma.campaign.updateMany({ where: { id: campaignId, status: 'running' }, data: { statusReason: reason } }),
    ]);
  }

  /** Waiting runs of campaigns that may send (not paused, cancelled or failed). */
  waitingRuns() {
    return this.prisma.campaignRun.findMany({
      where: { status: 'waiting', campaign: { status: { in: ['running', 'scheduled'] } } },
      select: { id: true, campaignId: true },
      orderBy: { id: 'asc' },
    });
  }

  /**
   * waiting → preparing, the campaign running again with the reason gone. Conditional on the
   * run still waiting, so of two schedulers only one moves it.
   */
  async stopWaiting(runId: number, campaignId: number): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const moved = await tx.campaignRun.updateMany({
        where: { id: runId, status: 'waiting' },
        data: { status: 'preparing', statusReason: null },
      });
      if (moved.count === 0) return false;
      await tx.campaign.updateMany({
        where: { id: campaignId, status: { in: ['running', 'scheduled'] } },
        data: { status: 'running', statusReason: null },
      });
      return true;
    });
  }

  /** Ends a campaign's waiting runs (the campaign is cancelled, or a later run started). */
  async endWaitingRuns(campaignId: number, reason: string, beforeRunId?: number): Promise<number> {
    const ended = await this.prisma.campaignRun.updateMany({
      where: { campaignId, status: 'waiting', id: beforeRunId !== undefined ? { lt: beforeRunId } : undefined },
      data: { status: 'cancelled', statusReason: reason, finishedAt: new Date() },
    });
    return ended.count;
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

  async existingIds(table: 'templates' | 'segments' | 'senders', ids: number[]): Promise<Set<number>> {
    const found =
      table === 'templates'
        ? await this.prisma.template.findMany({ where: { id: { in: ids } }, select: { id: true } })
        : table === 'segments'
          ? await this.prisma.segment.findMany({ where: { id: { in: ids } }, select: { id: true } })
          : await this.prisma.sender.findMany({ where: { id: { in: ids } }, select: { id: true } });
    return new Set(found.map((row) => row.id));
  }

  templateChannel(id: number) {
    return this.prisma.template.findUnique({ where: { id }, select: { channel: true } });
  }
}
