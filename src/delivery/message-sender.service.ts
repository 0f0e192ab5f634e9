// The send job: one message, by id (docs/conventions.md, "Jobs": payloads are ids, the row owns state).
// claim → decide (consent, suppression, cap, quiet hours, run paused/cancelled) → render →
// prepare (the relay has all but the final dot) → commit point (the row moves to `committing`
// in a transaction whose commit step writes the final dot) → the relay's answer → record the
// outcome. The database work of concurrent jobs is batched (BatchCoalescer).
import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { BatchCoalescer } from '../common/batch-coalescer';
import { headerMessageId, otklikHeader, unsubscribeAddress, verpAddress } from '../common/mail-ids';
import { SendClock } from '../common/clock';
import { quietHoursEnd } from '../common/quiet-hours';
import { formatGap, nextRetryDelay, scheduleSpanMs } from '../common/retry-schedule';
import { sendingWindowOpens } from '../common/sending-window';
import { withRetries } from '../common/with-retries';
import { secretKeys, type AppConfig } from '../config/config.module';
import { hashAddress } from '../customers/contact-normalise';
import type { Lane } from '../generated/prisma/enums';
import { JobName, SEND_LEASE_SECONDS } from '../queue/job-catalogue';
import { JobHandlerRegistry, type JobMeta } from '../queue/job-handlers';
import { JobQueue } from '../queue/job-queue';
import { JobDelayedError, LanePausedError } from '../queue/queue.errors';
import { TemplatesService } from '../templates/templates.service';
import { withOpenPixel } from '../tracking/open-pixel';
import { messageLinks } from '../tracking/tracking-links';
import {
  MessagesRepository,
  type ClaimResult,
  type ClaimedMessage,
  type CommitVerdict,
  type MessageClaim,
  type StatusChange,
} from './messages.repository';
import type { PreparedEmail } from './transports/email-transport';
import { InlineImages } from './inline-images.service';
import { OutageBreaker } from './outage-breaker';
import { reserveSend } from './provider-rate-limit';
import { phraseTokens } from './mime/header-encoding';
import { renderCustomHeaders } from './mime/custom-headers';
import { SenderProfiles, type SenderProfile } from './sender-profiles';
import { decideSend } from './send-decision';
import { SmsSendError } from './sms/sms-send-error';
import { classifySmtpError, describeSmtpFailure, type SmtpFailure } from './smtp/smtp-errors';
import { SmtpSendError } from './smtp/smtp-pool';

/** A send still running after this long is logged with the step it is in (see logStalledSends). */
const STALL_LOG_MS = 2 * SEND_LEASE_SECONDS * 1000;

/** How long a message outside any run waits, held, after the relay refused its content. */
const SENDER_FAULT_HOLD_MS = 10 * 60_000;

/** How long a message waits, its attempts untouched, after the relay could not be reached (the lane pauses past a few in a row). */
const OUTAGE_RETRY_MS = 5_000;

/** The relay's answer to a final dot failed: the connection dropped after the data, or the server closed it. */
class AnswerLostError extends Error {
  constructor(override readonly cause: unknown) {
    super((cause as Error)?.message ?? String(cause));
    this.name = 'AnswerLostError';
  }
}

/** A message at its commit point: the claim, and for email the message prepared on the relay. */
interface CommitRequest {
  claim: MessageClaim;
  prepared?: PreparedEmail;
}

interface LaneBatches {
  claims: BatchCoalescer<bigint, ClaimResult>;
  commits: BatchCoalescer<CommitRequest, CommitVerdict>;
  outcomes: BatchCoalescer<bigint, true>;
}

/** The steps of a send, for the stall log. */
type SendStep = 'claim' | 'decide' | 'profile' | 'render' | 'smtp' | 'commit' | 'sms' | 'record';

/** Thrown at the commit point to stop a message before the final dot. */
class CommitRefusedError extends Error {
  constructor(readonly verdict: Exclude<CommitVerdict, 'commit'>) {
    super(
      `not committed: ${verdict === 'lost' ? 'another worker took the message over' : verdict === 'suppressed' ? 'the address was suppressed' : `the run was ${verdict}`}`,
    );
  }
}

@Injectable()
export class MessageSenderService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MessageSenderService.name);
  /** Each lane batches its own statements, so an order notification never waits behind a campaign's batch. */
  private readonly batches: Record<Lane, LaneBatches>;
  private readonly pendingChanges = new Map<bigint, StatusChange>();
  private readonly breakers = new Map<string, OutageBreaker>();
  /** Sends in progress in this process: the step each is at, and since when it started. */
  private readonly inProgress = new Map<bigint, { lane: Lane; step: SendStep; since: number; stepSince: number }>();
  /** Time spent in each step since the last debug line: where a send's milliseconds go. */
  private readonly stepTotals = new Map<SendStep, { ms: number; count: number }>();
  private readonly transportsUsed = new Set<SenderProfile['email']>();
  private stallTimer?: NodeJS.Timeout;

  constructor(
    private readonly messages: MessagesRepository,
    private readonly profiles: SenderProfiles,
    private readonly templates: TemplatesService,
    private readonly registry: JobHandlerRegistry,
    private readonly jobs: JobQueue,
    private readonly clock: SendClock,
    private readonly inlineImages: InlineImages,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {
    this.batches = { bulk: this.laneBatches(), transactional: this.laneBatches() };
  }

  private laneBatches(): LaneBatches {
    return {
      claims: new BatchCoalescer((ids) => this.messages.claim(ids, SEND_LEASE_SECONDS), 500, 2),
      commits: new BatchCoalescer((requests) => this.commitBatch(requests), 500, 2),
      outcomes: new BatchCoalescer(
        async (ids) => {
          const batch = new Map<bigint, StatusChange>();
          for (const id of ids) {
            const change = this.pendingChanges.get(id);
            if (change) batch.set(id, change);
            this.pendingChanges.delete(id);
          }
          // Idempotent, and it may be all that says a message went out: a dropped connection
          // must not leave a sent message looking unsent (it would be sent again).
          await withRetries(() => this.messages.applyStatusChanges(batch), 'recording outcomes');
          return new Map(ids.map((id) => [id, true as const]));
        },
        1000,
        2,
      ),
    };
  }

  /** The batches of the lane whose job is sending this message. */
  private batchesOf(id: bigint): LaneBatches {
    return this.batches[this.inProgress.get(id)?.lane ?? 'bulk'];
  }

  onModuleInit(): void {
    this.registry.register(JobName.SendBulk, ({ messageId }, meta) => this.send(BigInt(messageId), meta, 'bulk'));
    this.registry.register(JobName.SendTransactional, ({ messageId }, meta) => this.send(BigInt(messageId), meta, 'transactional'));
    this.stallTimer = setInterval(() => this.logStalledSends(), STALL_LOG_MS / 4).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.stallTimer);
  }

  async send(id: bigint, meta: JobMeta, lane: Lane): Promise<{ outcome: string }> {
    const now = performance.now();
    this.inProgress.set(id, { lane, step: 'claim', since: Date.now(), stepSince: now });
    try {
      return await this.sendTracked(id, meta);
    } finally {
      this.step(id, 'claim');
      this.inProgress.delete(id);
    }
  }

  /**
   * A send should take milliseconds; one that has not finished after two leases is waiting on
   * something (a connection, a batch, a lock). Say which step, with the pools' and batches'
   * state, so a stuck worker explains itself in the log instead of going quiet.
   */
  private logStalledSends(): void {
    this.logStepTimes();
    const now = Date.now();
    const steps = new Map<SendStep, number>();
    for (const { step, since } of this.inProgress.values()) if (now - since > STALL_LOG_MS) steps.set(step, (steps.get(step) ?? 0) + 1);
    if (steps.size === 0) return;
    this.logger.warn(
      `${[...steps.values()].reduce((a, b) => a + b, 0)} of ${this.inProgress.size} sends running for over ${STALL_LOG_MS / 1000} s, by step: ` +
        `${[...steps].map(([step, n]) => `${step} ${n}`).join(', ')}; ${this.describeState()}`,
    );
  }

  /** The batches' and SMTP pools' state, for the stall and debug lines. */
  private describeState(): string {
    const batches = (Object.entries(this.batches) as Array<[Lane, LaneBatches]>)
      .flatMap(([lane, b]) =>
        Object.entries(b).map(([name, c]: [string, BatchCoalescer<never, unknown>]) => {
          const { pending, inFlight, meanBatch } = c.stats();
          return `${lane} ${name} ${pending} waiting/${inFlight} running/${meanBatch.toFixed(1)} per batch`;
        }),
      )
      .join(', ');
    const transports = [...this.transportsUsed].map((t) => t.describe?.()).filter(Boolean);
    return `batches: ${batches}; ${transports.join('; ') || 'no SMTP pool used yet'}`;
  }

  private step(id: bigint, step: SendStep): void {
    const entry = this.inProgress.get(id);
    if (!entry) return;
    const now = performance.now();
    const total = this.stepTotals.get(entry.step) ?? { ms: 0, count: 0 };
    total.ms += now - entry.stepSince;
    total.count++;
    this.stepTotals.set(entry.step, total);
    entry.step = step;
    entry.stepSince = now;
  }

  /** With LOG_LEVEL=debug: the mean time of each step (waiting included), to see what limits a lane. */
  private logStepTimes(): void {
    const line = [...this.stepTotals].map(([step, t]) => `${step} ${(t.ms / t.count).toFixed(1)} ms × ${t.count}`).join(', ');
    this.stepTotals.clear();
    this.logger.debug(
      `${this.inProgress.size} sends in progress; mean time in each step: ${line || 'none finished'}; ${this.describeState()}`,
    );
  }

  private async sendTracked(id: bigint, meta: JobMeta): Promise<{ outcome: string }> {
    const claim = await this.batchesOf(id).claims.load(id);
    if (!claim || claim.outcome === 'done') return { outcome: 'nothing to do' };
    if (claim.outcome === 'busy') throw new JobDelayedError(claim.retryAt, 'another worker holds the message');
    const message = claim.message;
    this.step(id, 'decide');

    const now = this.clock.now();
    const defaultTimeZone = this.config.get('DEFAULT_TIME_ZONE', { infer: true });
    const decision = decideSend(
      {
        ...message,
        quietUntil:
          message.channel === 'sms' && message.lane === 'bulk'
            ? quietHoursEnd(now, message.timeZone, { window: this.config.get('SMS_QUIET_HOURS', { infer: true }), defaultTimeZone })
            : null,
        windowOpensAt:
          message.sendingWindow && message.lane === 'bulk'
            ? sendingWindowOpens(now, message.timeZone, message.sendingWindow, defaultTimeZone)
            : null,
      },
      { frequencyCapPerWeek: this.config.get('FREQUENCY_CAP_PER_WEEK', { infer: true }) },
    );
    switch (decision.action) {
      case 'finish':
        await this.record(id, { status: decision.status, reason: decision.reason });
        return { outcome: decision.status };
      case 'wait':
        await this.record(id, { status: 'queued', reason: decision.reason });
        return { outcome: 'waiting' };
      case 'hold':
        await this.messages.hold(id, decision.until, decision.reason);
        // A run's held message is released by the run's feeder, by the send clock; the job ends.
        if (message.runId !== null) return { outcome: 'held' };
        throw new JobDelayedError(decision.until, decision.reason);
    }

    this.step(id, 'profile');
    const profile = await this.profiles.forMessage(message);
    const limited = profile.rateLimits[message.channel];
    if (limited) {
      const wait = await reserveSend((key, ttlMs) => this.jobs.countInWindow(key, ttlMs), limited.key, limited.limits);
      if (wait) {
        // Nothing was sent: the row waits as held and the job comes back when the window ends.
        await this.messages.hold(id, wait.until, wait.reason);
        throw new JobDelayedError(wait.until, wait.reason);
      }
    }
    try {
      const providerMessageId = message.channel === 'email' ? await this.sendEmail(message, profile) : await this.sendSms(message, profile);
      this.breaker(profile.transportKey).recordSuccess();
      await this.record(id, {
        status: 'sent',
        reason: null,
        providerMessageId,
        headerMessageId: message.channel === 'email' ? headerMessageId(secretKeys(this.config), profile.bounceDomain, id) : null,
      });
      return { outcome: 'sent' };
    } catch (error) {
      return this.handleFailure(message, profile, error, meta);
    }
  }

  /**
   * prepare → commit point → the relay's answer. The final dot is written by the commit batch,
   * inside its commit step (commitBatch); what comes back here is the relay's answer to it.
   */
  private async sendEmail(message: ClaimedMessage, profile: SenderProfile): Promise<string> {
    const prepared = await this.prepareEmail(message, profile);
    await this.commitPoint(message, prepared);
    this.step(message.id, 'smtp');
    // Granted: the dot went out in the commit step, and this is the same answer it awaits.
    const result = await prepared.commit().catch((error: unknown) => {
      throw new AnswerLostError(error);
    });
    return result.providerMessageId;
  }

  /** Renders the email and writes it to the relay but for its final dot. */
  private async prepareEmail(message: ClaimedMessage, profile: SenderProfile): Promise<PreparedEmail> {
    this.step(message.id, 'render');
    const publicUrl = this.config.get('PUBLIC_URL', { infer: true });
    const keys = secretKeys(this.config);
    const links = messageLinks(publicUrl, keys, message.id);
    const context = await this.profiles.renderContext(message, profile, links);
    const versionId = requireVersion(message);
    const content = await this.templates.renderEmail(versionId, context);
    const body = await this.inlineImages.embed(versionId, content.html);
    const headers: Record<string, string> = {
      // The sender's and campaign's own first: Otklik's below cannot be overridden (the API
      // refuses those names too), and every one is signed by DKIM.
      ...renderCustomHeaders(profile.customHeaders, context),
      // RFC 8058 one-click unsubscribe; the mailto form serves clients that ignore the URL.
      'List-Unsubscribe': `<${links.unsubscribeUrl}>, <mailto:${unsubscribeAddress(keys, profile.bounceDomain, message.id)}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'Feedback-ID': `${message.campaignId ?? 0}:${message.lane}:${profile.feedbackId}`,
      'X-Otklik-Message': otklikHeader(keys, message.id),
    };
    if (message.lane === 'transactional') delete headers['List-Unsubscribe-Post'];
    // Bulk mail names its list (RFC 2919), so mailbox providers group and filter it per campaign;
    // mail no person sent by hand (transactional, triggers, double opt-in) says so (RFC 3834),
    // so auto-responders stay quiet.
    if (message.lane === 'bulk') headers['List-Id'] = listId(profile);
    if (message.campaignId === null) headers['Auto-Submitted'] = 'auto-generated';
    this.step(message.id, 'smtp');
    this.transportsUsed.add(profile.email);
    return profile.email.prepare({
      from: profile.fromAddress,
      fromName: profile.fromName,
      replyTo: profile.replyTo ?? undefined,
      to: message.address as string,
      subject: content.subject,
      html: body.html === undefined ? undefined : withOpenPixel(body.html, links.openPixelUrl),
      inlineImages: body.inline,
      text: content.text,
      messageId: headerMessageId(keys, profile.bounceDomain, message.id),
      returnPath: verpAddress(keys, profile.bounceDomain, message.id),
      headers,
      preparedAttachments: profile.attachments,
      otklikMessageId: message.id,
    });
  }

  private async sendSms(message: ClaimedMessage, profile: SenderProfile): Promise<string> {
    this.step(message.id, 'render');
    const context = await this.profiles.renderContext(message, profile, undefined);
    const content = await this.templates.renderSms(requireVersion(message), context);
    // An HTTP gateway has no "final dot": the request is the commit, recorded just before it.
    await this.commitPoint(message);
    this.step(message.id, 'sms');
    const result = await profile.sms.send({
      from: profile.smsFrom ?? undefined,
      to: message.address as string,
      text: content.text,
      otklikMessageId: message.id,
    });
    return result.providerMessageId;
  }

  /**
   * The commit point of one message, in its lane's commit batch (commitBatch). Returns when the
   * message may go (its dot, for email, is out); throws CommitRefusedError when it may not (the
   * prepared email is aborted, so the relay discards it). When the database fails, the dot
   * decides: not written, the email is aborted and the error thrown (the message is tried
   * again); written, the relay's answer decides whatever the database said.
   */
  private async commitPoint(message: ClaimedMessage, prepared?: PreparedEmail): Promise<void> {
    const id = message.id;
    this.step(id, 'commit');
    let verdict: CommitVerdict;
    try {
      verdict = (await this.batchesOf(id).commits.load({ claim: { id, attempt: message.attempts }, prepared })) ?? 'lost';
    } catch (error) {
      if (prepared?.committed) return;
      prepared?.abort();
      throw error;
    }
    if (verdict !== 'commit') {
      prepared?.abort();
      throw new CommitRefusedError(verdict);
    }
  }

  /**
   * A commit batch, read top-down: begin (the rows that may still be sent move to `committing`
   * in an open transaction) → the commit step: the final dot of each message granted `commit`,
   * then the COMMIT, in one tick with no await between (see PendingCommit: a crash leaves both
   * or neither) → the COMMIT's answer (on failure the granted rows are recorded again).
   */
  private async commitBatch(requests: CommitRequest[]): Promise<Map<CommitRequest, CommitVerdict>> {
    const pending = await this.messages.beginCommit(requests.map((request) => request.claim));
    const verdicts = new Map(requests.map((request) => [request, pending.verdicts.get(request.claim) ?? 'lost'] as const));
    try {
      for (const [request, verdict] of verdicts) {
        if (verdict !== 'commit' || !request.prepared) continue;
        try {
          // Writes the dot now; its answer is read by the message's own send (sendEmail).
          void request.prepared.commit();
        } catch (error) {
          this.logger.warn(`message ${request.claim.id}: final dot not written: ${(error as Error).message}`);
        }
      }
    } finally {
      await pending.commit();
    }
    return verdicts;
  }

  private async handleFailure(
    message: ClaimedMessage,
    profile: SenderProfile,
    error: unknown,
    meta: JobMeta,
  ): Promise<{ outcome: string }> {
    const id = message.id;
    if (error instanceof CommitRefusedError) {
      const refused = error;
      // Stopped before the final dot: nothing reached the recipient.
      if (refused.verdict === 'paused') await this.record(id, { status: 'queued', reason: 'run paused' });
      if (refused.verdict === 'cancelled') await this.record(id, { status: 'cancelled', reason: 'run cancelled' });
      if (refused.verdict === 'suppressed') await this.record(id, { status: 'suppressed', reason: 'suppressed before sending' });
      return { outcome: refused.verdict };
    }

    if (error instanceof SmsSendError) {
      if (error.kind === 'permanent') {
        await this.record(id, { status: 'failed', reason: error.message });
        return { outcome: 'failed' };
      }
      return this.retryOrGiveUp(message, profile, error.message, meta, error);
    }

    // The connection lost after the final dot, before any answer, is retried like a 4xx: a
    // server takes responsibility for a message only with its 250 (RFC 5321 6.1), so without it
    // the message counts as not delivered. (A server that kept it anyway sends a copy: RFC 1047.)
    const afterDot = error instanceof AnswerLostError;
    const cause = afterDot ? error.cause : error;
    const failure = classifySmtpError(cause instanceof SmtpSendError ? cause.cause : cause);
    if (failure.kind === 'sender') return this.senderFault(message, profile, failure);
    // A 4xx answer (greylisting, a full mailbox or queue): this message waits its turn on the
    // retry schedule, the others go on.
    if (failure.kind === 'transient' && failure.responseCode !== undefined) return this.defer(message, failure);
    // No answer after the data: the server may or may not have the message, so it is tried
    // again on the same schedule as a 4xx, never more often.
    if (failure.kind === 'outage' && afterDot) return this.defer(message, failure);
    if (failure.kind === 'outage') return this.outage(message, profile, failure);
    if (failure.kind === 'recipient') {
      await this.record(id, { status: 'failed', reason: `${failure.responseCode ?? ''} ${failure.response ?? failure.message}`.trim() });
      // The feedback module records the bounce (and suppresses a dead address) like an inbound one.
      await this.jobs.enqueue(
        {
          name: JobName.RecordSendBounce,
          data: { messageId: id.toString(), addressHash: message.address ? hashAddress(message.channel, message.address) : null },
        },
        { jobId: `send-bounce-${id}` },
      );
      return { outcome: 'failed' };
    }
    return this.retryOrGiveUp(message, profile, failure.response ?? failure.message, meta, cause);
  }

  /**
   * The relay refused our message, our account or our connection (smtp/smtp-errors.ts): no
   * recipient caused it, so no bounce is recorded and the message is neither sent nor failed.
   * It waits for the operator to fix the relay or the message. A campaign's run pauses with the
   * reason, as every other message of it would fail alike; resuming sends what is left. A
   * refused account or connection pauses the lane too, like an outage, so the relay is not
   * hammered meanwhile. Outside a run (transactional), a refused account or connection keeps
   * the lane paused, doubling the pause each time, until the relay takes mail again; a refused
   * message waits, held, and is tried again later, without holding up the rest of the lane.
   */
  private async senderFault(
    message: ClaimedMessage,
    profile: SenderProfile,
    failure: Extract<SmtpFailure, { kind: 'sender' }>,
  ): Promise<{ outcome: string }> {
    const id = message.id;
    const reason = describeSmtpFailure(failure);
    if (message.runId !== null) {
      await this.record(id, { status: 'queued', reason: `waiting for the run to be resumed: ${reason}` });
      // One job per run while it waits: every failing message of the run asks, the first one pauses it.
      await this.jobs.enqueue(
        { name: JobName.PauseRun, data: { runId: message.runId, reason: `sender-side failure, no recipient is counted: ${reason}` } },
        { jobId: `pause-run-${message.runId}` },
      );
      if (failure.fault === 'relay') this.pauseLane(message.lane, profile, reason);
      return { outcome: 'sender-side failure: run paused' };
    }
    if (failure.fault === 'relay') {
      await this.record(id, { status: 'queued', reason: `retrying: ${reason}` });
      this.pauseLane(message.lane, profile, reason);
    }
    const until = new Date(Date.now() + SENDER_FAULT_HOLD_MS);
    await this.messages.hold(id, until, `held after a sender-side failure: ${reason}`);
    this.logger.error(
      `message ${id}: ${reason}; a sender-side failure, not counted against the recipient; held until ${until.toISOString()}`,
    );
    throw new JobDelayedError(until, reason);
  }

  /**
   * The relay answered this message with a 4xx: it waits, held, for its next try on
   * SMTP_RETRY_SCHEDULE (a run's feeder releases it when due; outside a run its job is delayed to
   * the same moment), or, the schedule spent, fails with that last answer. Not the lane's fault:
   * the breaker is not told, and no bounce is recorded (a relay deferring everything would
   * otherwise count against every recipient).
   */
  private async defer(message: ClaimedMessage, failure: SmtpFailure): Promise<{ outcome: string }> {
    const id = message.id;
    const answer = describeSmtpFailure(failure);
    const schedule = this.config.get('SMTP_RETRY_SCHEDULE', { infer: true });
    const delay = nextRetryDelay(schedule, message.deferrals);
    if (delay === null) {
      const tries = message.deferrals + 1;
      await this.record(id, {
        status: 'failed',
        reason: `gave up after ${tries} temporary refusals over ${formatGap(scheduleSpanMs(schedule))}; last answer: ${answer}`,
      });
      return { outcome: 'failed' };
    }
    const until = new Date(this.clock.now().getTime() + delay);
    const reason = `deferred (try ${message.deferrals + 1} of ${schedule.length + 1}), next try in ${formatGap(delay)}: ${answer}`;
    await this.messages.defer({ id, attempt: message.attempts }, until, reason);
    if (message.runId !== null) return { outcome: 'deferred' };
    throw new JobDelayedError(until, reason);
  }

  /**
   * The relay could not be reached (refused or dropped connection, timeout, 421) before the
   * message was written: the relay's state, not the message's, so no attempt is spent, ever.
   * The message waits a few seconds; a few such failures in a row pause the whole lane (5 s,
   * doubling up to 5 min) until the relay answers again.
   */
  private async outage(message: ClaimedMessage, profile: SenderProfile, failure: SmtpFailure): Promise<never> {
    const reason = `the relay cannot be reached: ${describeSmtpFailure(failure)}`;
    await this.record(message.id, { status: 'queued', reason: `waiting: ${reason}` });
    const pauseMs = this.breaker(profile.transportKey).recordFailure();
    if (pauseMs > 0) {
      this.logger.warn(`${profile.transportKey}: ${reason}; pausing the ${message.lane} lane for ${pauseMs} ms, no attempt spent`);
      throw new LanePausedError(pauseMs, reason);
    }
    throw new JobDelayedError(new Date(Date.now() + OUTAGE_RETRY_MS), reason);
  }

  /** Trips the transport's breaker at once: the whole lane waits, no attempt spent. */
  private pauseLane(lane: Lane, profile: SenderProfile, reason: string): never {
    const pauseMs = this.breaker(profile.transportKey).recordSenderFault();
    this.logger.error(
      `${profile.transportKey}: ${reason}; a sender-side failure, not counted against any recipient; pausing the ${lane} lane for ${pauseMs} ms`,
    );
    throw new LanePausedError(pauseMs, reason);
  }

  private async retryOrGiveUp(
    message: ClaimedMessage,
    profile: SenderProfile,
    reason: string,
    meta: JobMeta,
    error: unknown,
  ): Promise<never> {
    if (meta.isLastAttempt) {
      await this.record(message.id, { status: 'failed', reason: `gave up after ${meta.attemptsMade + 1} attempts: ${reason}` });
      throw error;
    }
    await this.record(message.id, { status: 'queued', reason: `retrying: ${reason}` });
    const pauseMs = this.breaker(profile.transportKey).recordFailure();
    if (pauseMs > 0) {
      this.logger.warn(`${profile.transportKey}: ${reason}; pausing the ${message.lane} lane for ${pauseMs} ms`);
      throw new LanePausedError(pauseMs, reason);
    }
    throw error instanceof Error ? error : new Error(reason);
  }

  private async record(id: bigint, change: StatusChange): Promise<void> {
    this.step(id, 'record');
    this.pendingChanges.set(id, change);
    await this.batchesOf(id).outcomes.load(id);
  }

  private breaker(key: string): OutageBreaker {
    let breaker = this.breakers.get(key);
    if (!breaker) this.breakers.set(key, (breaker = new OutageBreaker()));
    return breaker;
  }
}

function requireVersion(message: ClaimedMessage): number {
  if (message.templateVersionId === null) throw new Error(`message ${message.id} has no template version`);
  return message.templateVersionId;
}

/** `"Campaign name" <campaign-12.bounces.shop.example>`; trigger mail (no campaign) is one list per sending domain. */
function listId(profile: SenderProfile): string {
  const label = profile.campaign ? `campaign-${profile.campaign.id}.${profile.bounceDomain}` : `triggers.${profile.bounceDomain}`;
  return [...phraseTokens(profile.campaign?.name ?? 'Automated messages'), `<${label}>`].join(' ');
}
