// Campaign rules: the status machine, schedules, and a run's life: freeze the audience into
// Message rows, feed them to the bulk lane in windows (so Redis holds a window, not a million
// jobs), notice when the run is done. Every step is a job keyed by ids and re-entrant: a crash
// anywhere resumes from the database.
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SendClock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import type { SendingWindow } from '../common/sending-window';
import type { AppConfig } from '../config/config.module';
import { DocumentsService } from '../documents/documents.service';
import { CampaignRenderService } from '../delivery/campaign-render.service';
import { OutgoingMessagesService, type VersionChoice } from '../delivery/outgoing-messages.service';
import type { CampaignStatus, Channel, UnchangedDocumentPolicy } from '../generated/prisma/enums';
import { JobName, messageJobId, QueueName, SEND_LEASE_SECONDS } from '../queue/job-catalogue';
import { JobHandlerRegistry } from '../queue/job-handlers';
import { JobQueue } from '../queue/job-queue';
import { AudienceService } from '../segments/audience.service';
import { DEFAULT_MAX_SEGMENTS } from '../templates/render/compile-sms';
import { dataValueIssues, mergeDeclarations, missingDataIssues, type DataField } from '../templates/render/data-fields';
import { pickTemplateVersion, TemplatesService } from '../templates/templates.service';
import { pickWinner, sampleSize, type AbTestSettings } from './ab-test';
import {
  firstRunAt,
  followingRunAt,
  LOCAL_TIME_LATE_GRACE_MS,
  LOCAL_TIME_MAX_LEAD_MS,
  runDate,
  runStartAt,
  transitionProblem,
  type CampaignAction,
  type Schedule,
} from './campaign-schedule';
import { CampaignsRepository, type CampaignFields } from './campaigns.repository';
import { preflight, type PreflightReport, type PreflightSample } from './preflight';

export interface CampaignInput {
  name: string;
  channel: Channel;
  templateId: number;
  segmentId: number;
  senderId?: number | null;
  /** Document ids attached with the default policy (`send`); or `attachments` with a policy each. */
  attachmentIds?: number[];
  attachments?: Array<{ documentId: number; ifUnchanged: UnchangedDocumentPolicy }>;
  schedule: Schedule;
  abTest?: AbTestSettings | null;
  /** values of the template's declared data fields */
  data?: Record<string, unknown>;
  /** HH:MM: delivered at that time in each recipient's zone on the run's date. */
  localTime?: string | null;
  sendingWindow?: SendingWindow | null;
  /** Custom headers over the sender's (name → Handlebars value); left out on an edit: kept. */
  headers?: Record<string, string>;
}

/** Recipients picked at random for a pre-flight, besides the longest and the emptiest profiles. */
const PREFLIGHT_RANDOM = 3;

/** Messages enqueued per feeder step, and the bulk backlog above which the feeder waits. */
const FEED_WINDOW = 5000;
const BACKLOG_HIGH_WATER = 20000;
const FEED_RETRY_MS = 500;
const RUN_WATCH_MS = 2000;
/**
 * The watch step while every unsettled message is held (a local-time run waiting for the next
 * zone, up to a day): counting a large run's statuses every 2 s for hours would load the database.
 */
const HELD_WATCH_MS = 10_000;
const UNFINISHED = ['queued', 'held', 'sending', 'committing'] as const;
/** How long the tick waits before it looks again at a run that seemed to have no job. */
const ORPHAN_RECHECK_MS = 1000;
/** Unsettled messages whose jobs are looked at per watch step, oldest first. */
const REVIVE_CHECK_LIMIT = 200;
/** Held messages whose time has come released per feeder step. */
const RELEASE_LIMIT = 5000;

@Injectable()
export class CampaignsService implements OnModuleInit {
  private readonly logger = new Logger(CampaignsService.name);

  constructor(
    private readonly campaigns: CampaignsRepository,
    private readonly messages: OutgoingMessagesService,
    private readonly audience: AudienceService,
    private readonly templates: TemplatesService,
    private readonly documents: DocumentsService,
    private readonly renderer: CampaignRenderService,
    private readonly jobs: JobQueue,
    private readonly registry: JobHandlerRegistry,
    private readonly clock: SendClock,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register(JobName.CampaignsTick, () => this.tick(this.clock.now()));
    this.registry.register(JobName.PrepareRun, ({ runId }) => this.prepareRun(runId));
    this.registry.register(JobName.FeedRun, ({ runId, after }) => this.feedRun(runId, BigInt(after)));
    this.registry.register(JobName.DecideAbTest, ({ runId }) => this.decideAbTest(runId));
    this.registry.register(JobName.PauseRun, ({ runId, reason }) => this.pauseRun(runId, reason));
  }

  // ── the API side ──────────────────────────────────────────────────────────

  async create(input: CampaignInput) {
    await this.checkReferences(input);
    return this.campaigns.create(this.fields(input));
  }

  async update(id: number, input: CampaignInput) {
    const current = await this.requireAction(id, 'edit');
    await this.checkReferences(input);
    // A scheduled (or paused) campaign keeps what scheduling required: its required data.
    if (current.status !== 'draft') {
      const missing = await this.missingData({ templateId: input.templateId, abTest: input.abTest, data: input.data });
      if (missing.length) throw DomainError.validation(missing);
    }
    return this.campaigns.update(id, this.fields(input));
  }

  async get(id: number) {
    const campaign = await this.campaigns.get(id);
    if (!campaign) throw DomainError.notFound('Campaign', id);
    return campaign;
  }

  list(filter: { status?: CampaignStatus; after?: number; limit: number }) {
    return this.campaigns.list(filter);
  }

  /**
   * draft → scheduled; a "send now" campaign starts its run at once. Refused (400, every field
   * named) while a required data field has neither a value nor a default, and (400 with the
   * whole report) while the pre-flight finds an error: nothing is sent.
   */
  async schedule(id: number, now = this.clock.now()) {
    const campaign = await this.requireAction(id, 'schedule');
    const schedule: Schedule =
      campaign.scheduleKind === 'recurring'
        ? { kind: 'recurring', cron: campaign.cron as string, timeZone: campaign.timeZone }
        : campaign.scheduleKind === 'at'
          ? { kind: 'at', at: campaign.scheduledAt as Date }
          : { kind: 'now' };
    const nextRunAt = firstRunAt(schedule, now);
    const report = await this.preflightOf(campaign, nextRunAt ?? now);
    if (!report.ok) throw preflightRefusal(report);
    await this.campaigns.setStatus(id, 'scheduled', null, { nextRunAt });
    if (schedule.kind === 'now') await this.startDueRuns(now);
    return this.get(id);
  }

  async pause(id: number) {
    await this.requireAction(id, 'pause');
    const run = await this.campaigns.activeRun(id);
    if (run) await this.campaigns.setRunStatus(run.id, 'paused');
    return this.campaigns.setStatus(id, 'paused', 'paused by a user');
  }

  async resume(id: number) {
    await this.requireAction(id, 'resume');
    const run = await this.campaigns.activeRun(id);
    if (!run) return this.campaigns.setStatus(id, 'scheduled');
    if (run.status === 'paused') await this.campaigns.setRunStatus(run.id, 'sending', { statusReason: null });
    const campaign = await this.campaigns.setStatus(id, 'running');
    // Rows left queued while paused are enqueued again from the start of the run.
    await this.enqueueFeed(run.id, 0n);
    return campaign;
  }

  async cancel(id: number) {
    await this.requireAction(id, 'cancel');
    const run = await this.campaigns.activeRun(id);
    if (run) {
      await this.campaigns.setRunStatus(run.id, 'cancelled', { finishedAt: new Date() });
      await this.messages.cancelRunPending(run.id);
    }
    await this.campaigns.endWaitingRuns(id, 'cancelled by a user');
    return this.campaigns.setStatus(id, 'cancelled', 'cancelled by a user', { nextRunAt: null });
  }

  /**
   * The pre-flight report (campaigns/preflight.ts) for the campaign's next occurrence (or now):
   * its messages rendered for a sample of its recipients and every problem found. Changes nothing.
   */
  async preflight(id: number, now = this.clock.now()): Promise<PreflightReport> {
    const campaign = await this.get(id);
    return this.preflightOf(campaign, campaign.nextRunAt ?? now);
  }

  /**
   * Sends the real render of the campaign for a customer (default: a recipient of its segment) to
   * `to` (default: the sender's own address), marked as a test. No Message row: nothing in the
   * campaign's runs, counters, stats or anyone's frequency cap changes.
   */
  async testSend(id: number, input: { customerId?: number; to?: string }, now = this.clock.now()) {
    const campaign = await this.get(id);
    let customerId = input.customerId;
    if (customerId === undefined) {
      const [first] =
        campaign.segmentId === null
          ? []
          : await this.audience.preflightSample({ segmentId: campaign.segmentId }, { channel: campaign.channel, now, random: 1 });
      if (!first)
        throw DomainError.validation([{ path: 'customerId', message: 'the segment has no reachable recipient now: name a customer' }]);
      customerId = first.customerId;
    }
    return this.renderer.sendTest(campaign, customerId, input.to, campaign.nextRunAt ?? now);
  }

  async runs(id: number) {
    await this.get(id);
    const runs = await this.campaigns.runs(id);
    return Promise.all(
      runs.map(async (run) => ({
        ...run,
        messages: await this.campaigns.statusCounts(run.id),
        documents: await this.documents.runRecord(run.id),
      })),
    );
  }

  // ── the job side ──────────────────────────────────────────────────────────

  /**
   * The minute's job: start the runs that are due, let waiting runs go once their document has
   * a new version, and restart the jobs of runs that lost theirs.
   */
  async tick(now: Date): Promise<{ started: number[]; resumed: number[]; rescued: number[] }> {
    const started = await this.startDueRuns(now);
    const resumed = await this.resumeWaitingRuns();
    return { started, resumed, rescued: await this.rescueOrphanedRuns() };
  }

  /**
   * Runs waiting for a new version of a document (policy `wait`) go back to preparing once every
   * document they attach allows it; the versions are recorded as they are found here.
   */
  async resumeWaitingRuns(): Promise<number[]> {
    const resumed: number[] = [];
    for (const run of await this.campaigns.waitingRuns()) {
      const documents = await this.documents.resolveRun(run, await this.campaigns.attachmentsOf(run.campaignId));
      if (documents.waitFor) continue;
      if (!(await this.campaigns.stopWaiting(run.id, run.campaignId))) continue;
      await this.jobs.enqueue({ name: JobName.PrepareRun, data: { runId: run.id } }, { jobId: `prepare-${run.id}-resumed` });
      this.logger.log(`run ${run.id}: a new version arrived; preparing`);
      resumed.push(run.id);
    }
    return resumed;
  }

  /**
   * Starts one run per due occurrence: at the occurrence, or for a local-time campaign when its
   * local time comes in the earliest zone (campaign-schedule.ts, runStartAt). Safe to run twice
   * at once: the run is unique per occurrence.
   */
  async startDueRuns(now: Date): Promise<number[]> {
    const started: number[] = [];
    for (const campaign of await this.campaigns.due(now, new Date(now.getTime() + LOCAL_TIME_MAX_LEAD_MS))) {
      const occurrenceAt = campaign.nextRunAt as Date;
      if (runStartAt(occurrenceAt, campaign.timeZone, campaign.localTime) > now) continue;
      const next = followingRunAt(campaign.scheduleKind, campaign.cron, campaign.timeZone, occurrenceAt);
      if (!(await this.campaigns.advanceSchedule(campaign.id, occurrenceAt, next))) continue;
      const runId = await this.campaigns.createRun(campaign.id, occurrenceAt);
      if (runId === null) continue;
      await this.campaigns.setStatus(campaign.id, 'running');
      await this.jobs.enqueue({ name: JobName.PrepareRun, data: { runId } }, { jobId: `prepare-${runId}` });
      started.push(runId);
    }
    return started;
  }

  /**
   * A run preparing or sending always has a job in Redis (its prepare job, or the feeder, which
   * enqueues its next step before it finishes). A run with none lost it: Redis restarted
   * without its data, or a step failed for good. Its prepare job (idempotent: frozen rows are
   * unique per run and customer) or a feeder from the start is enqueued again. A run missing
   * at two looks, a second apart, counts: a job moving between states can be missed once.
   */
  private async rescueOrphanedRuns(): Promise<number[]> {
    const orphaned = async () => {
      const runs = await this.campaigns.runsInProgress();
      if (!runs.length) return [];
      const withJobs = new Set(
        [...(await this.jobs.pendingPayloads(JobName.PrepareRun)), ...(await this.jobs.pendingPayloads(JobName.FeedRun))].map(
          (data) => data.runId,
        ),
      );
      return runs.filter((run) => !withJobs.has(run.id));
    };
    const first = await orphaned();
    if (!first.length) return [];
    await new Promise((resolve) => setTimeout(resolve, ORPHAN_RECHECK_MS));
    const again = new Set((await orphaned()).map((run) => run.id));
    const runs = first.filter((run) => again.has(run.id));
    for (const run of runs) {
      this.logger.warn(`run ${run.id} (${run.status}) had no job in Redis; enqueued again`);
      if (run.status === 'preparing')
        await this.jobs.enqueue({ name: JobName.PrepareRun, data: { runId: run.id } }, { jobId: `prepare-${run.id}-again-${Date.now()}` });
      else await this.enqueueFeed(run.id, 0n);
    }
    return runs.map((run) => run.id);
  }

  /** Freezes the audience: the segment, streamed in batches, becomes Message rows. */
  async prepareRun(runId: number): Promise<{ audience: number }> {
    const run = await this.campaigns.getRun(runId);
    if (!run || run.status !== 'preparing') return { audience: 0 };
    const campaign = run.campaign;
    if (campaign.segmentId === null) {
      await this.failRun(runId, campaign, 'the campaign has no segment');
      return { audience: 0 };
    }
    // The template may have gained a required field since the campaign was scheduled (a
    // recurring one runs for months): such a run fails, naming the fields, and sends nothing.
    const missing = await this.missingData(campaign);
    if (missing.length) {
      await this.failRun(runId, campaign, `required data missing: ${missing.map((i) => i.path).join(', ')}`);
      return { audience: 0 };
    }
    // The pre-flight again, at every run: the brand, the template or the data may have changed
    // since scheduling. A run with an error sends nothing and says why.
    const report = await this.preflightOf(campaign, run.occurrenceAt);
    if (!report.ok) {
      await this.failRun(runId, campaign, `pre-flight failed: ${errorLines(report)}`);
      return { audience: 0 };
    }
    // A run still waiting for a document when the next occurrence starts is not sent late.
    await this.campaigns.endWaitingRuns(campaign.id, `skipped: run ${runId} of a later occurrence started`, runId);
    // The documents' versions are fixed now; the whole run attaches these.
    const documents = await this.documents.resolveRun(
      { id: runId, campaignId: campaign.id },
      await this.campaigns.attachmentsOf(campaign.id),
    );
    if (documents.waitFor) {
      await this.campaigns.waitRun(runId, campaign.id, documents.waitFor);
      this.logger.log(`run ${runId}: ${documents.waitFor}`);
      return { audience: 0 };
    }
    const versions = await this.versionChoice(campaign.templateId);
    const frozen = { id: runId, campaignId: campaign.id, channel: campaign.channel };
    // A local-time run holds each message until the recipient's local time on the run's date
    // (the next day's when that passed over LOCAL_TIME_LATE_GRACE_MS ago); the feeder releases them.
    const local = campaign.localTime
      ? {
          date: runDate(run.occurrenceAt, campaign.timeZone),
          time: campaign.localTime,
          notBefore: new Date(this.clock.now().getTime() - LOCAL_TIME_LATE_GRACE_MS),
          defaultTimeZone: this.config.get('DEFAULT_TIME_ZONE', { infer: true }),
        }
      : null;
    for await (const ids of this.audience.streamAudience(
      { segmentId: campaign.segmentId },
      { channel: campaign.channel, now: run.occurrenceAt },
    )) {
      await this.messages.freezeRunBatch(frozen, ids, versions, local);
    }
    const audience = await this.campaigns.countMessages(runId);
    const abTest = campaign.abTest as AbTestSettings | null;
    if (abTest && audience > 0) {
      const variants = await Promise.all(
        abTest.variants.map(async (v) => ({ key: v.key, versions: await this.versionChoice(v.templateId) })),
      );
      await this.messages.assignAbSample(runId, variants, sampleSize(audience, abTest));
      await this.jobs.enqueue(
        { name: JobName.DecideAbTest, data: { runId } },
        { jobId: `ab-${runId}`, delay: abTest.decideAfterMinutes * 60_000 },
      );
    }
    await this.campaigns.setRunStatus(runId, 'sending', {
      audienceCount: audience,
      startedAt: this.clock.now(),
      statusReason: documents.warnings.length ? documents.warnings.join('; ') : null,
    });
    await this.enqueueFeed(runId, 0n);
    return { audience };
  }

  /**
   * One feeder step: enqueue the next window of queued messages (job id = message id), or, when
   * the bulk lane is full, wait a little; when nothing is left to enqueue, release the held
   * messages whose time has come (local time, sending window, quiet hours: by the send clock)
   * and watch until every message is settled, then complete the run. A run with held messages
   * stays `sending` until the last of them went out.
   */
  async feedRun(runId: number, after: bigint): Promise<{ enqueued: number }> {
    const run = await this.campaigns.getRun(runId);
    if (!run || run.status !== 'sending') return { enqueued: 0 };
    const bulk = this.jobs.queue(QueueName.Bulk);
    if ((await bulk.getWaitingCount()) > BACKLOG_HIGH_WATER) {
      await this.enqueueFeed(runId, after, FEED_RETRY_MS);
      return { enqueued: 0 };
    }
    const ids = await this.campaigns.queuedWindow(runId, after, FEED_WINDOW);
    if (ids.length) {
      await this.enqueueSends(ids);
      await this.enqueueFeed(runId, ids[ids.length - 1]);
      return { enqueued: ids.length };
    }
    const counts = await this.campaigns.statusCounts(runId);
    if ((counts.held ?? 0) > 0) {
      const released = await this.messages.releaseDueInRun(runId, this.clock.now(), RELEASE_LIMIT);
      if (released.length) {
        await this.enqueueSends(released);
        await this.enqueueFeed(runId, after, RUN_WATCH_MS);
        return { enqueued: released.length };
      }
    }
    if (UNFINISHED.some((status) => (counts[status] ?? 0) > 0)) {
      // A message whose worker died keeps its job only while BullMQ still knows it; enqueue it
      // again (same job id, so a job that still exists is not doubled) and let the claim decide.
      const stale = await this.campaigns.staleInFlight(runId, SEND_LEASE_SECONDS * 2, FEED_WINDOW);
      if (stale.length) await this.enqueueSends(stale);
      await this.reviveStuckSends(runId);
      // Retries have their own jobs; held rows are released above when due; rows put back to
      // queued (a resumed run) are picked up by walking again from the start.
      const onlyHeld = UNFINISHED.every((status) => status === 'held' || !counts[status]);
      await this.enqueueFeed(runId, (counts.queued ?? 0) > 0 ? 0n : after, onlyHeld ? HELD_WATCH_MS : RUN_WATCH_MS);
      return { enqueued: 0 };
    }
    await this.completeRun(runId, run.campaign);
    return { enqueued: 0 };
  }

  /**
   * Pauses a sending run and its campaign, with the reason shown on both. The send path asks for
   * it when our relay refuses our message, account or connection (delivery/message-sender): a
   * failure no recipient caused, which would repeat for every one of them. The run's unsent
   * messages stay queued; resuming once the relay or the message is fixed sends them.
   */
  async pauseRun(runId: number, reason: string): Promise<{ paused: boolean }> {
    const paused = await this.campaigns.pauseSendingRun(runId, reason);
    if (paused)
      this.logger.error(
        `campaign ${paused.campaignId} run ${runId} paused: ${reason}. Fix the relay or the message, then resume the campaign.`,
      );
    return { paused: paused !== null };
  }

  /**
   * Pauses a running campaign and its sending run with a reason: the campaign guard asks when a
   * campaign's hard-bounce or complaint rate is too high (feedback/campaign-guard.service.ts).
   * False when the campaign was not running.
   */
  async pauseRunning(campaignId: number, reason: string): Promise<boolean> {
    return this.campaigns.pauseRunningCampaign(campaignId, reason);
  }

  async decideAbTest(runId: number): Promise<{ winner: string | null }> {
    const run = await this.campaigns.getRun(runId);
    const abTest = run?.campaign.abTest as AbTestSettings | null | undefined;
    if (!run || !abTest || run.abWinner || run.status === 'cancelled') return { winner: run?.abWinner ?? null };
    const winner = pickWinner(await this.campaigns.abResults(runId), abTest.metric);
    const variant = abTest.variants.find((v) => v.key === winner) ?? abTest.variants[0];
    await this.campaigns.releaseToWinner(runId, variant.key, await this.versionChoice(variant.templateId));
    if (run.status === 'sending') await this.enqueueFeed(runId, 0n);
    this.logger.log(`run ${runId}: A/B winner ${variant.key} (${abTest.metric} rate)`);
    return { winner: variant.key };
  }

  // ── helpers ───────────────────────────────────────────────────────────────

  private async completeRun(runId: number, campaign: { id: number; scheduleKind: string; nextRunAt: Date | null; status: CampaignStatus }) {
    // The campaign first: whoever sees the run completed sees the campaign's new status too.
    if (campaign.status === 'running') {
      const more = campaign.scheduleKind === 'recurring' && campaign.nextRunAt !== null;
      await this.campaigns.setStatus(campaign.id, more ? 'scheduled' : 'completed');
    }
    await this.campaigns.setRunStatus(runId, 'completed', { finishedAt: new Date() });
  }

  /**
   * The run fails with the reason; its campaign too, unless it is recurring with a next
   * occurrence: then it stays scheduled (the reason shown) and the next run tries again.
   */
  private async failRun(runId: number, campaign: { id: number; scheduleKind: string; nextRunAt: Date | null }, reason: string) {
    await this.campaigns.setRunStatus(runId, 'failed', { statusReason: reason, finishedAt: new Date() });
    const more = campaign.scheduleKind === 'recurring' && campaign.nextRunAt !== null;
    await this.campaigns.setStatus(campaign.id, more ? 'scheduled' : 'failed', more ? `run ${runId} failed: ${reason}` : reason);
  }

  /** The pre-flight of a campaign for a run at `occurrenceAt`: its template's sources, brand, documents and sample renders. */
  private async preflightOf(
    campaign: {
      id: number;
      channel: Channel;
      templateId: number;
      segmentId: number | null;
      abTest: unknown;
      data: unknown;
      timeZone: string;
    },
    occurrenceAt: Date,
  ): Promise<PreflightReport> {
    const abTest = campaign.abTest as AbTestSettings | null;
    const templateIds = [...new Set([campaign.templateId, ...(abTest?.variants ?? []).map((v) => v.templateId)])];
    const [declaration, sources, attachments, brand] = await Promise.all([
      this.dataDeclaration(campaign.templateId, abTest),
      Promise.all(templateIds.map((t) => this.templates.currentSources(t))),
      this.campaigns.attachmentsOf(campaign.id),
      this.renderer.brandOf(campaign.id),
    ]);
    const picks =
      campaign.segmentId === null
        ? []
        : await this.audience.preflightSample(
            { segmentId: campaign.segmentId },
            { channel: campaign.channel, now: occurrenceAt, random: PREFLIGHT_RANDOM },
          );
    const samples: PreflightSample[] = [];
    let maxSmsSegments = DEFAULT_MAX_SEGMENTS;
    for (const recipient of picks) {
      const render = await this.renderer.render(campaign, recipient.customerId, occurrenceAt);
      if (!render) continue;
      if (render.sms) maxSmsSegments = render.sms.maxSegments;
      samples.push({
        recipient,
        email: render.email && { subject: render.email.subject, html: render.email.html, text: render.email.text },
        sms: render.sms && {
          text: render.sms.text,
          segments: render.sms.length.segments,
          encoding: render.sms.length.encoding,
          units: render.sms.length.units,
        },
      });
    }
    return preflight({
      channel: campaign.channel,
      declaration,
      data: dataOf(campaign.data),
      attachmentCount: attachments.length,
      brand,
      templates: sources.flat(),
      samples,
      maxSmsSegments,
    });
  }

  /**
   * Jobs BullMQ still shows active long after they started belong to a dead worker that the
   * stalled check has not handed back. Their messages get a second job under another id; the
   * claim (and the attempt-checked commit) keep each message to one copy whichever job runs.
   */
  private async reviveStuckSends(runId: number) {
    const unsettled = await this.campaigns.unsettled(runId, REVIVE_CHECK_LIMIT);
    const stuck = await this.jobs.activeSince(QueueName.Bulk, unsettled.map(messageJobId), SEND_LEASE_SECONDS * 2000);
    if (!stuck.length) return;
    this.logger.warn(
      `run ${runId}: ${stuck.length} send jobs active for over ${SEND_LEASE_SECONDS * 2} s (a worker died?); sending their messages under new jobs`,
    );
    await this.jobs.enqueueBulk(
      JobName.SendBulk,
      stuck.map(({ id, processedOn }) => ({
        data: { messageId: id.slice(messageJobId('').length) },
        options: { jobId: `${id}-again-${processedOn}` },
      })),
    );
  }

  private async enqueueSends(ids: bigint[]) {
    await this.jobs.enqueueBulk(
      JobName.SendBulk,
      ids.map((id) => ({ data: { messageId: id.toString() }, options: { jobId: messageJobId(id) } })),
    );
  }

  private async enqueueFeed(runId: number, after: bigint, delay = 0) {
    await this.jobs.enqueue({ name: JobName.FeedRun, data: { runId, after: after.toString() } }, { delay });
  }

  private async versionChoice(templateId: number): Promise<VersionChoice> {
    const versions = await this.templates.currentVersions(templateId);
    const fallback = pickTemplateVersion(versions, this.config.get('DEFAULT_LOCALE', { infer: true }));
    if (!fallback) throw new DomainError('invalid_state', `template ${templateId} has no version to send`);
    return { locales: versions.map((v) => v.locale), versionIds: versions.map((v) => v.versionId), fallbackVersionId: fallback.versionId };
  }

  /** The data fields of the campaign's template and its A/B variants' templates (they share the campaign's data). */
  private async dataDeclaration(templateId: number, abTest: AbTestSettings | null | undefined): Promise<DataField[]> {
    const templateIds = [...new Set([templateId, ...(abTest?.variants ?? []).map((v) => v.templateId)])];
    return mergeDeclarations(await Promise.all(templateIds.map((t) => this.templates.dataDeclaration(t))));
  }

  private async missingData(campaign: { templateId: number; abTest: unknown; data: unknown }) {
    const declared = await this.dataDeclaration(campaign.templateId, campaign.abTest as AbTestSettings | null);
    return missingDataIssues(declared, dataOf(campaign.data));
  }

  private async requireAction(id: number, action: CampaignAction) {
    const campaign = await this.campaigns.get(id);
    if (!campaign) throw DomainError.notFound('Campaign', id);
    const problem = transitionProblem(campaign.status, action);
    if (problem) throw new DomainError('invalid_state', problem);
    return campaign;
  }

  private async checkReferences(input: CampaignInput) {
    const issues: Array<{ path: string; message: string }> = [];
    const template = await this.campaigns.templateChannel(input.templateId);
    if (!template) issues.push({ path: 'templateId', message: `template ${input.templateId} not found` });
    else if (template.channel !== input.channel)
      issues.push({
        path: 'templateId',
        message: `template ${input.templateId} is an ${template.channel} template, the campaign sends ${input.channel}`,
      });
    if (!(await this.campaigns.existingIds('segments', [input.segmentId])).has(input.segmentId))
      issues.push({ path: 'segmentId', message: `segment ${input.segmentId} not found` });
    if (input.senderId != null && !(await this.campaigns.existingIds('senders', [input.senderId])).has(input.senderId)) {
      issues.push({ path: 'senderId', message: `sender ${input.senderId} not found` });
    }
    if (input.attachments && input.attachmentIds?.length)
      issues.push({ path: 'attachments', message: 'give attachmentIds or attachments (with a policy each), not both' });
    issues.push(
      ...(await this.documents.attachmentProblems(
        input.attachments
          ? input.attachments.map((a, i) => ({ documentId: a.documentId, path: `attachments[${i}].documentId` }))
          : (input.attachmentIds ?? []).map((documentId, i) => ({ documentId, path: `attachmentIds[${i}]` })),
      )),
    );
    const variants = input.abTest?.variants ?? [];
    const variantTemplates = await this.campaigns.existingIds(
      'templates',
      variants.map((v) => v.templateId),
    );
    variants.forEach(
      (v, i) =>
        variantTemplates.has(v.templateId) ||
        issues.push({ path: `abTest.variants[${i}].templateId`, message: `template ${v.templateId} not found` }),
    );
    // Names and types of the data against the template's declaration; required fields are
    // checked when scheduling, so a draft can be saved before the price list has a name.
    if (template && template.channel === input.channel && !issues.some((i) => i.path.startsWith('abTest')))
      issues.push(...dataValueIssues(await this.dataDeclaration(input.templateId, input.abTest), input.data ?? {}));
    if (input.localTime && input.abTest)
      issues.push({
        path: 'localTime',
        message: 'an A/B test cannot be combined with local-time delivery (its sample would go out across the day); remove one',
      });
    if (issues.length) throw DomainError.validation(issues);
  }

  private fields(input: CampaignInput): CampaignFields {
    const schedule = input.schedule;
    return {
      name: input.name,
      channel: input.channel,
      templateId: input.templateId,
      segmentId: input.segmentId,
      senderId: input.senderId ?? null,
      scheduleKind: schedule.kind,
      scheduledAt: schedule.kind === 'at' ? schedule.at : null,
      cron: schedule.kind === 'recurring' ? schedule.cron : null,
      timeZone: schedule.timeZone ?? 'Europe/Moscow',
      abTest: input.abTest ? (input.abTest as unknown as CampaignFields['abTest']) : null,
      data: (input.data ?? {}) as CampaignFields['data'],
      attachments: input.attachments ?? (input.attachmentIds ?? []).map((documentId) => ({ documentId, ifUnchanged: 'send' as const })),
      localTime: input.localTime ?? null,
      sendingWindow: input.sendingWindow ? { ...input.sendingWindow } : null,
      ...(input.headers !== undefined ? { headers: { ...input.headers } } : {}),
    };
  }
}

/** The errors of a report, one line. */
function errorLines(report: PreflightReport): string {
  return report.problems
    .filter((p) => p.severity === 'error')
    .map((p) => `${p.code}${p.field ? ` (${p.field})` : ''}: ${p.message}`)
    .join('; ');
}

/**
 * The 400 of a refused schedule: every error as an issue naming its field (`data.month`,
 * `brand.name` …) with its pre-flight code and the recipient whose message shows it.
 * Warnings are left to POST /campaigns/:id/preflight.
 */
function preflightRefusal(report: PreflightReport): DomainError {
  const errors = report.problems.filter((p) => p.severity === 'error');
  return new DomainError(
    'validation_failed',
    `pre-flight found ${errors.length} problem${errors.length === 1 ? '' : 's'}: ${errorLines(report)}`,
    errors.map((p) => ({
      path: p.field ?? p.code,
      message: p.message,
      code: p.code,
      ...(p.recipient ? { recipient: p.recipient } : {}),
    })),
  );
}

function dataOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
