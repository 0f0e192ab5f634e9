// The processing job of one stored inbound message: classify it (the pure classifier), find
// the message and customer it is about, and apply what it means in one transaction, each
// change written to the cleanup log with the inbound message as evidence. Idempotent: the
// inbound row is locked and applied once; a second run finds it applied and does nothing.
// Jobs running at the same time share their queries and their transaction (processBatch).
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { BatchCoalescer } from '../common/batch-coalescer';
import { DomainError } from '../common/domain-error';
import { cutText } from '../common/storable-text';
import type { KeyRing } from '../common/signed-token';
import { secretKeys, type AppConfig } from '../config/config.module';
import { hashAddress, normaliseAddress } from '../customers/contact-normalise';
import type { Prisma } from '../generated/prisma/client';
import type { Channel, ConsentStatus, SuppressionReason } from '../generated/prisma/enums';
import { JobName } from '../queue/job-catalogue';
import { JobHandlerRegistry } from '../queue/job-handlers';
import { JobQueue } from '../queue/job-queue';
import { classifyMessage, DEFAULT_MAX_BYTES, type Classification, type Evidence } from './classify';
import { CampaignGuardService } from './campaign-guard.service';
import { AddressChangesService } from './address-changes.service';
import {
  actionFromStored,
  messageRefs,
  planActions,
  softBouncesSuppress,
  storedAction,
  withholdUnproven,
  type FeedbackAction,
  type Target,
} from './feedback-actions';
import { FeedbackRepository, FeedbackStore, type CorrelatedMessage, type CustomerRef } from './feedback.repository';
import { InboundRepository } from './inbound.repository';
import { envelopeMailbox, type Mailbox } from './intake/mailbox-policy';
import { PendingWrites, type Flushed } from './pending-writes';
import { smsReplyClassification } from './sms-reply';
import { providerClassification, type Provider } from './webhooks/provider-events';

/** Inbound rows still `received` this long after intake get their job again (the sweep). */
const STALE_RECEIVED_MS = 2 * 60_000;
const MAX_STORED_TEXT = 20_000;
const PROVIDER_OF: Partial<Record<string, Provider>> = {
  webhook_mailgun: 'mailgun',
  webhook_sendgrid: 'sendgrid',
  webhook_postmark: 'postmark',
};
/**
 * What processing loads of raw bytes: the classifier reads an email's first DEFAULT_MAX_BYTES,
 * so that much and one byte more (which tells it the message goes on) is all that is loaded;
 * and a batch loads at most 8 MB at once, the rest one message at a time. So however large
 * and many the stored messages, a batch holds about 9 MB of raw bytes (three batches run at once).
 */
const RAW_WINDOW = { prefixBytes: DEFAULT_MAX_BYTES + 1, batchBytes: 8 * 1024 * 1024 };
/** An SMS reply is about the last SMS we sent that number within this window. */
const SMS_REPLY_WINDOW_MS = 14 * 86_400_000;

type Prepared =
  | { classification: Classification; message: CorrelatedMessage | null; actions: FeedbackAction[] }
  | { error: string; classification: Classification | null };

/** A message read and planned, waiting for the transaction. */
interface Ready {
  id: bigint;
  classification: Classification;
  message: CorrelatedMessage | null;
  actions: FeedbackAction[];
}

interface SoftBounceState {
  since: Date;
  count: number;
  /** Messages already counted in this batch. */
  seen: Set<string>;
}

interface BatchContext {
  windowStart: Date;
  /** By `c:<customer id>` or `a:<address>`. */
  soft: Map<string, SoftBounceState>;
  /** By `<customer id>:<channel>`; updated as the batch unsubscribes. */
  consents: Map<string, { status: ConsentStatus; source: string | null } | null>;
  /** Address-change proposals the new address may confirm: their emails go out after the commit. */
  confirmable: number[];
}

type LogFn = (
  name: string,
  reason: string | null,
  details: Prisma.InputJsonObject | ((flushed: Flushed) => Prisma.InputJsonObject),
  customerId?: number | null,
) => string;

/** An email read by the classifier, before its lookups (batched across the messages of a batch). */
interface ReadEmail {
  classification: Classification;
  mailbox: Mailbox | null;
  refs: { ids: bigint[]; headerIds: string[] };
  addresses: Map<string, string | null>;
}

export interface ProcessOutcome {
  outcome: 'applied' | 'unclassified' | 'already done' | 'missing';
  kind?: string;
  actions?: string[];
}

@Injectable()
export class FeedbackService implements OnModuleInit {
  private readonly softLimit: number;
  private readonly softWindowMs: number;
  private readonly region: string;
  private readonly keys: KeyRing;
  private readonly batches = new BatchCoalescer<bigint, ProcessOutcome | Error>((ids) => this.processBatch(ids), 100, 3);

  constructor(
    private readonly inbound: InboundRepository,
    private readonly feedback: FeedbackRepository,
    private readonly guard: CampaignGuardService,
    private readonly jobs: JobQueue,
    private readonly registry: JobHandlerRegistry,
    private readonly addressChanges: AddressChangesService,
    @Inject(ConfigService) config: AppConfig,
  ) {
    this.keys = secretKeys(config);
    this.softLimit = config.get('SOFT_BOUNCE_LIMIT', { infer: true });
    this.softWindowMs = config.get('SOFT_BOUNCE_WINDOW_DAYS', { infer: true }) * 86_400_000;
    this.region = config.get('DEFAULT_PHONE_REGION', { infer: true });
  }

  onModuleInit(): void {
    this.registry.register(JobName.ProcessInbound, async ({ inboundId }, meta) => {
      try {
        return await this.process(BigInt(inboundId));
      } catch (error) {
        if (!meta.isLastAttempt) throw error;
        // Out of attempts (a database problem, a bug): kept for review, never dropped.
        await this.inbound.markUnclassified(
          BigInt(inboundId),
          `processing failed after ${meta.attemptsMade + 1} attempts: ${(error as Error).message}`,
          null,
        );
        return { outcome: 'unclassified' };
      }
    });
    this.registry.register(JobName.FeedbackSweep, () => this.sweep());
  }

  /**
   * The job. Jobs running at the same time are gathered into one batch: one query loads their
   * rows, one finds their messages, one their customers, and one transaction applies them all
   * (a batch that fails is applied message by message, so one bad message fails alone).
   */
  async process(inboundId: bigint): Promise<ProcessOutcome> {
    const result = await this.batches.load(inboundId);
    if (result instanceof Error) throw result;
    return result ?? { outcome: 'missing' };
  }

  private async processBatch(ids: bigint[]): Promise<Map<bigint, ProcessOutcome | Error>> {
    const results = new Map<bigint, ProcessOutcome | Error>();
    const rows = await this.inbound.loadMany(ids, RAW_WINDOW);
    const emails: Array<{ id: bigint; read: ReadEmail }> = [];
    const ready: Ready[] = [];
    for (const id of ids) {
      const row = rows.get(id);
      if (!row) {
        results.set(id, { outcome: 'missing' });
        continue;
      }
      if (row.status === 'applied' || row.status === 'unclassified') {
        results.set(id, { outcome: 'already done' });
        continue;
      }
      // Past the batch's raw window: loaded now, alone, and dropped once read.
      const bytes = row.raw ?? (await this.inbound.rawOf(id, RAW_WINDOW.prefixBytes));
      if (!bytes) {
        results.set(id, { outcome: 'missing' });
        continue;
      }
      row.raw = null;
      const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const provider = PROVIDER_OF[row.source];
      const read =
        row.source === 'sms'
          ? await this.prepareSms(raw, row.envelopeFrom)
          : provider
            ? this.readProviderEvent(provider, raw)
            : row.source === 'webhook_ses'
              ? this.readEmail(snsAsEmail(raw), null, true)
              : this.readEmail(raw, row.envelopeTo, false);
      if ('error' in read) {
        await this.inbound.markUnclassified(id, read.error, read.classification ? storedClassification(read.classification) : null);
        results.set(id, { outcome: 'unclassified', kind: read.classification?.kind });
      } else if ('actions' in read) ready.push({ id, ...read });
      else emails.push({ id, read });
    }

    if (emails.length) {
      const messages = await this.feedback.findMessages(
        emails.flatMap((e) => e.read.refs.ids),
        emails.flatMap((e) => e.read.refs.headerIds),
      );
      const customers = await this.feedback.customersByEmail([
        ...new Set(emails.flatMap((e) => [...e.read.addresses.values()].filter((a): a is string => a !== null))),
      ]);
      for (const { id, read } of emails) {
        const message =
          read.refs.ids.map((ref) => messages.byId.get(ref)).find((m) => m !== undefined) ??
          read.refs.headerIds.map((ref) => messages.byHeader.get(ref)).find((m) => m !== undefined) ??
          null;
        const targetFor = this.targetResolver(read.classification, message, customers, read.addresses);
        const planned = planActions({ classification: read.classification, mailbox: read.mailbox?.kind ?? null, targetFor });
        const from = read.classification.from ? (read.addresses.get(read.classification.from) ?? null) : null;
        const proof = { correlated: message !== null, fromIsRecipient: message !== null && from !== null && from === message.address };
        ready.push({ id, classification: read.classification, message, actions: withholdUnproven(planned, proof) });
      }
    }
    if (!ready.length) return results;

    let applied: Map<bigint, string[]>;
    try {
      applied = await this.applyAll(ready);
    } catch (error) {
      if (ready.length === 1) {
        results.set(ready[0].id, error instanceof Error ? error : new Error(String(error)));
        return results;
      }
      applied = new Map();
      for (const one of ready) {
        try {
          for (const [id, done] of await this.applyAll([one])) applied.set(id, done);
        } catch (oneError) {
          results.set(one.id, oneError instanceof Error ? oneError : new Error(String(oneError)));
        }
      }
    }

    // After the commit: a campaign that just got a hard bounce or complaint may have to stop.
    const campaigns = new Set<number>();
    for (const one of ready) {
      if (results.has(one.id)) continue;
      const done = applied.get(one.id);
      results.set(one.id, done ? { outcome: 'applied', kind: one.classification.kind, actions: done } : { outcome: 'already done' });
      if (!done) continue;
      for (const action of one.actions) {
        if ((action.type === 'hard_bounce' || action.type === 'complaint') && action.target.campaignId !== null)
          campaigns.add(action.target.campaignId);
      }
    }
    for (const campaignId of campaigns) await this.guard.check(campaignId);
    return results;
  }

  /**
   * One transaction: locks the rows, walks the actions of those still to apply (gathering their
   * writes), then writes them all set-based, with the cleanup log.
   */
  private async applyAll(ready: Ready[]): Promise<Map<bigint, string[]>> {
    let confirmable: number[] = [];
    const result = await this.feedback.transaction(async (store) => {
      const statuses = await store.lockInbound(ready.map((r) => r.id));
      const todo = ready.filter((r) => statuses.get(r.id) === 'received' || statuses.get(r.id) === 'classified');
      const context = await this.batchContext(
        store,
        todo.flatMap((r) => r.actions),
      );
      confirmable = context.confirmable;
      const writes = new PendingWrites();
      const applied = new Map<bigint, string[]>();
      for (const { id, classification, message, actions } of todo) {
        const done: string[] = [];
        for (const action of actions) done.push(...(await this.apply(store, writes, context, action, id)));
        const primary = actions[0]?.target ?? null;
        writes.finish({
          id,
          kind: classification.kind,
          classification: storedClassification(classification),
          fromAddress: classification.from?.slice(0, 500) ?? null,
          subject: classification.subject?.slice(0, 1000) ?? null,
          messageId: message?.id ?? null,
          customerId: primary?.customerId ?? null,
          campaignId: message?.campaignId ?? primary?.campaignId ?? null,
        });
        applied.set(id, done);
      }
      await writes.flush(store);
      return applied;
    });
    // After the commit: the new addresses of proven change requests get their confirmation link.
    await this.addressChanges.sendConfirmations(confirmable);
    return result;
  }

  /**
   * An admin's one click on a `withheld` cleanup entry: the change the message could not prove
   * it may make is applied as if it had (the admin vouches), logged like any other, and the
   * entry marked applied. Once only.
   */
  async applyWithheld(entryId: number, by: string): Promise<{ id: number; applied: string[] }> {
    const done = await this.feedback.transaction(async (store) => {
      const entry = await store.lockCleanupEntry(entryId);
      if (!entry) throw DomainError.notFound('Cleanup entry', entryId);
      if (entry.action !== 'withheld')
        throw new DomainError('invalid_state', `Cleanup entry ${entryId} (${entry.action}) is not a withheld change`);
      if (entry.appliedAt)
        throw new DomainError(
          'invalid_state',
          `Cleanup entry ${entryId} was already applied at ${entry.appliedAt.toISOString()} by ${entry.appliedBy ?? 'someone'}`,
        );
      const action = actionFromStored((entry.details as { action?: unknown } | null)?.action);
      if (!action || entry.inboundMessageId === null)
        throw new DomainError('invalid_state', `Cleanup entry ${entryId} does not hold a change that can be applied`);
      const context = await this.batchContext(store, [action]);
      const writes = new PendingWrites();
      const applied = await this.apply(store, writes, context, action, entry.inboundMessageId);
      await writes.flush(store);
      await store.markApplied(entryId, by);
      return { applied, action };
    });
    const { campaignId } = done.action.target;
    if ((done.action.type === 'hard_bounce' || done.action.type === 'complaint') && campaignId !== null) await this.guard.check(campaignId);
    return { id: entryId, applied: done.applied };
  }

  /** What the rules need to know before walking a batch: soft-bounce counts so far, current consents. */
  private async batchContext(store: FeedbackStore, actions: FeedbackAction[]): Promise<BatchContext> {
    const windowStart = new Date(Date.now() - this.softWindowMs);
    const customers: number[] = [];
    const addresses: string[] = [];
    const consentKeys: Array<{ customerId: number; channel: Channel }> = [];
    for (const action of actions) {
      const t = action.target;
      if (action.type === 'soft_bounce') {
        const address = t.address ? this.normalise(t.channel, t.address) : null;
        if (t.customerId !== null) customers.push(t.customerId);
        else if (address) addresses.push(address);
      }
      if ((action.type === 'complaint' || action.type === 'unsubscribe') && t.customerId !== null)
        consentKeys.push({ customerId: t.customerId, channel: t.channel });
    }
    const soft = new Map<string, SoftBounceState>();
    for (const [key, state] of await store.softBounceState(customers, addresses, windowStart)) soft.set(key, { ...state, seen: new Set() });
    const consents = new Map<string, { status: ConsentStatus; source: string | null } | null>(await store.consentsOf(consentKeys));
    return { windowStart, soft, consents, confirmable: [] };
  }

  /** One event of an email provider's webhook, stored as its JSON. */
  private readProviderEvent(provider: Provider, raw: Buffer): ReadEmail | { error: string; classification: Classification | null } {
    let classification: Classification | null;
    try {
      classification = providerClassification(provider, JSON.parse(raw.toString('utf8')));
    } catch (error) {
      return { error: `${provider} event is not JSON: ${(error as Error).message}`, classification: null };
    }
    if (!classification) return { error: `${provider} event means nothing to the base`, classification: null };
    // The webhook is authenticated (signature or signed URL): the ids it names are the provider's word.
    return {
      classification,
      mailbox: null,
      refs: messageRefs(classification, null, this.keys, true),
      addresses: this.addressesOf(classification),
    };
  }

  /** `trusted`: an event of an authenticated provider channel (SES through signed SNS), whose ids need no MAC. */
  private readEmail(
    raw: Buffer,
    envelopeTo: string | null,
    trusted: boolean,
  ): ReadEmail | { error: string; classification: Classification | null } {
    let classification: Classification;
    try {
      classification = classifyMessage(raw);
    } catch (error) {
      // The classifier promises never to throw; if it does, the message still waits for review.
      return { error: `classifier failed: ${(error as Error).message}`, classification: null };
    }
    const mailbox = envelopeMailbox(envelopeTo, this.keys);
    if (classification.error || classification.kind === 'unknown') {
      // Whatever reaches the List-Unsubscribe mailbox asks to unsubscribe, readable or not.
      if (mailbox?.kind !== 'unsubscribe')
        return { error: classification.error ?? 'not recognised as a bounce, complaint or reply', classification };
      classification = { ...classification, kind: 'reply', intent: 'unsubscribe', error: undefined };
    }
    return {
      classification,
      mailbox,
      refs: messageRefs(classification, mailbox?.messageId ?? null, this.keys, trusted),
      addresses: this.addressesOf(classification),
    };
  }

  /** An inbound SMS (stored as JSON by the webhook): from a phone, about the last SMS we sent it. */
  private async prepareSms(raw: Buffer, envelopeFrom: string | null): Promise<Prepared> {
    let body: { from?: unknown; text?: unknown };
    try {
      body = JSON.parse(raw.toString('utf8')) as typeof body;
    } catch {
      return { error: 'inbound SMS is not the JSON the webhook stores', classification: null };
    }
    const phone = this.normalise('sms', String(body.from ?? envelopeFrom ?? ''));
    if (!phone || typeof body.text !== 'string') return { error: 'inbound SMS without a valid sender phone or text', classification: null };
    const classification = smsReplyClassification(phone, body.text);
    const customerId = await this.feedback.customerByPhone(phone);
    const message = customerId !== null ? await this.feedback.lastSmsTo(customerId, new Date(Date.now() - SMS_REPLY_WINDOW_MS)) : null;
    const target: Target = {
      address: phone,
      channel: 'sms',
      customerId,
      messageId: message?.id ?? null,
      campaignId: message?.campaignId ?? null,
    };
    return { classification, message, actions: planActions({ classification, mailbox: 'reply', targetFor: () => target }) };
  }

  /** Every minute: inbound rows whose job never ran get it again, and the guard looks at every running campaign. */
  async sweep(): Promise<{ requeued: number; paused: number[] }> {
    const stale = await this.inbound.staleReceived(new Date(Date.now() - STALE_RECEIVED_MS), 1000);
    for (const id of stale) await this.enqueue(id);
    const paused = await this.guard.checkAllRunning();
    return { requeued: stale.length, paused };
  }

  async enqueue(inboundId: bigint): Promise<void> {
    await this.jobs.enqueue(
      { name: JobName.ProcessInbound, data: { inboundId: inboundId.toString() } },
      { jobId: inboundJobId(inboundId) },
    );
  }

  // ── who a message is about ────────────────────────────────────────────────

  /** Addresses the message names (recipients, the sender, a new address), normalised; null when invalid. */
  private addressesOf(c: Classification): Map<string, string | null> {
    const out = new Map<string, string | null>();
    for (const address of [...c.recipients.map((r) => r.address), c.from, c.newAddress]) {
      if (address && !out.has(address)) out.set(address, this.normalise('email', address));
    }
    return out;
  }

  private targetResolver(
    c: Classification,
    message: CorrelatedMessage | null,
    customers: Map<string, CustomerRef>,
    addresses: Map<string, string | null>,
  ) {
    const messageTarget: Target | null = message
      ? {
          address: message.address,
          channel: message.channel,
          customerId: message.customerId,
          messageId: message.id,
          campaignId: message.campaignId,
        }
      : null;
    // One recipient (or a reply): whatever address the report names, it is about the message we
    // sent (a forwarded mailbox fails under its final address). Several: matched by address.
    const single = c.recipients.length <= 1;
    return (address: string | null): Target => {
      const normalised = address ? (addresses.get(address) ?? this.normalise('email', address)) : null;
      if (messageTarget && (single || normalised === null || normalised === messageTarget.address)) return messageTarget;
      const customer = normalised ? customers.get(normalised) : undefined;
      return { address: normalised, channel: 'email', customerId: customer?.id ?? null, messageId: null, campaignId: null };
    };
  }

  private normalise(channel: Channel, address: string): string | null {
    const result = normaliseAddress(channel, address, this.region as never);
    return result.ok ? result.value : null;
  }

  // ── the actions ───────────────────────────────────────────────────────────

  /** Walks one action: its writes go to the batch; returns the cleanup-log actions it records. */
  private async apply(
    store: FeedbackStore,
    writes: PendingWrites,
    context: BatchContext,
    action: FeedbackAction,
    inboundId: bigint,
  ): Promise<string[]> {
    const t = action.target;
    const address = t.address ? this.normalise(t.channel, t.address) : null;
    const log: LogFn = (name, reason, details, customerId = t.customerId) => {
      writes.log(
        { action: name, channel: t.channel, address, reason: reason?.slice(0, 1000) ?? null, customerId, inboundMessageId: inboundId },
        details,
      );
      return name;
    };

    switch (action.type) {
      case 'hard_bounce': {
        const r = action.recipient;
        writes.bounce(this.bounceRow(t, address, true, r, inboundId));
        if (t.messageId !== null) writes.moveMessage(t.messageId, 'hard_bounced', `${r.status ?? ''} ${r.reason}`.trim());
        if (!address) return [log('noted', `hard bounce (${r.reason}) for an address we cannot read`, { recipient: r.address })];
        // The same rule as a 5xx seen while sending (send-bounces.service.ts): the address is dead.
        const req = writes.requester();
        this.suppress(writes, req, t, address, 'hard_bounce', `bounce ${r.status ?? ''} ${r.diagnostic ?? r.reason}`, inboundId);
        if (t.channel === 'email') writes.invalidateEmail(req, address);
        const diagnostic = r.diagnostic?.slice(0, 500) ?? null;
        return [
          log('invalidated', r.reason, (f) => ({
            suppressionId: f.suppressionId(req),
            customerIds: f.invalidated(req),
            status: r.status,
            diagnostic,
            evidence: r.evidence ? { ...r.evidence } : null,
          })),
        ];
      }
      case 'soft_bounce': {
        const r = action.recipient;
        writes.bounce(this.bounceRow(t, address, false, r, inboundId));
        if (t.messageId !== null) writes.moveMessage(t.messageId, 'soft_bounced', `${r.status ?? ''} ${r.reason}`.trim());
        if (!address) return [log('noted', `soft bounce (${r.reason}) for an address we cannot read`, { recipient: r.address })];
        const key = t.customerId !== null ? `c:${t.customerId}` : `a:${address}`;
        let state = context.soft.get(key);
        if (!state) context.soft.set(key, (state = { since: context.windowStart, count: 0, seen: new Set() }));
        // One per message: a message that bounces twice (a delay, then a failure) counts once.
        const messageKey = t.messageId !== null ? String(t.messageId) : `inbound ${inboundId}`;
        if (!state.seen.has(messageKey)) {
          state.seen.add(messageKey);
          state.count++;
        }
        const { count, since } = state;
        if (!softBouncesSuppress(count, this.softLimit))
          return [log('soft_bounce_counted', r.reason, { count, limit: this.softLimit, since: since.toISOString() })];
        const req = writes.requester();
        this.suppress(writes, req, t, address, 'soft_bounce_repeated', `${count} soft bounces since ${since.toISOString()}`, inboundId);
        return [
          log('suppressed', `${count} soft bounces (${r.reason})`, (f) => ({
            suppressionId: f.suppressionId(req),
            count,
            limit: this.softLimit,
          })),
        ];
      }
      case 'delivered':
        if (t.messageId !== null) writes.moveMessage(t.messageId, 'delivered', null);
        return [log('delivery_confirmed', null, {})];
      case 'complaint': {
        const req = writes.requester();
        writes.complaint(req, {
          kind: 'feedback_loop',
          customerId: t.customerId,
          campaignId: t.campaignId,
          messageId: t.messageId,
          inboundMessageId: inboundId,
          feedbackType: action.feedbackType,
          text: null,
        });
        if (t.messageId !== null) writes.moveMessage(t.messageId, 'complained', `complaint: ${action.feedbackType ?? 'abuse'}`);
        const done = [log('complaint_recorded', action.feedbackType, (f) => ({ complaintId: f.complaintId(req) }))];
        if (address) done.push(this.unsubscribe(writes, context, t, address, 'complaint', inboundId, log));
        return done;
      }
      case 'unsubscribe':
        if (!address) return [log('noted', `unsubscribe request (${action.via}) for an address we cannot read`, {})];
        return [this.unsubscribe(writes, context, t, address, 'unsubscribe', inboundId, log)];
      case 'lead': {
        const req = writes.requester();
        writes.lead(req, {
          customerId: t.customerId,
          campaignId: t.campaignId,
          messageId: t.messageId,
          inboundMessageId: inboundId,
          fromAddress: action.from,
          subject: action.subject?.slice(0, 1000) ?? null,
          text: action.text?.slice(0, MAX_STORED_TEXT) ?? null,
        });
        return [log('lead_created', null, (f) => ({ leadId: f.leadId(req) }))];
      }
      case 'reclamation': {
        const req = writes.requester();
        writes.complaint(req, {
          kind: 'reclamation',
          customerId: t.customerId,
          campaignId: t.campaignId,
          messageId: t.messageId,
          inboundMessageId: inboundId,
          feedbackType: null,
          text: action.text?.slice(0, MAX_STORED_TEXT) ?? null,
        });
        return [log('complaint_recorded', 'reclamation', (f) => ({ complaintId: f.complaintId(req) }))];
      }
      case 'address_change':
        return this.proposeAddressChange(store, context, t, address, action.newAddress, inboundId, log);
      case 'withheld':
        return [log('withheld', action.why, { action: storedAction(action.action) as Prisma.InputJsonObject })];
      case 'note':
        return [log('noted', action.what, {})];
    }
  }

  private bounceRow(
    t: Target,
    address: string | null,
    hard: boolean,
    r: { reason: string; status: string | null; diagnostic: string | null; address: string; evidence?: Evidence },
    inboundId: bigint,
  ) {
    return {
      channel: t.channel,
      address: address ?? (r.address || null),
      hard,
      reason: r.reason,
      statusCode: r.status,
      diagnostic: r.diagnostic?.slice(0, 2000) ?? null,
      evidence: r.evidence ?? null,
      customerId: t.customerId,
      messageId: t.messageId,
      campaignId: t.campaignId,
      inboundMessageId: inboundId,
    };
  }

  private suppress(
    writes: PendingWrites,
    requester: number,
    t: Target,
    address: string,
    reason: SuppressionReason,
    source: string,
    inboundId: bigint,
  ): void {
    writes.suppress(requester, {
      channel: t.channel,
      addressHash: hashAddress(t.channel, address),
      address,
      reason,
      source: `feedback: ${source}`.trim(),
      customerId: t.customerId,
      evidenceId: inboundId,
    });
  }

  /** Unsubscribed from bulk on that channel: on the suppression list, and consent withdrawn with its history. */
  private unsubscribe(
    writes: PendingWrites,
    context: BatchContext,
    t: Target,
    address: string,
    reason: 'complaint' | 'unsubscribe',
    inboundId: bigint,
    log: LogFn,
  ): string {
    const req = writes.requester();
    this.suppress(writes, req, t, address, reason, reason === 'complaint' ? 'feedback-loop complaint' : 'unsubscribe request', inboundId);
    let previousConsent: { status: ConsentStatus; source: string | null } | null = null;
    let consentChanged = false;
    if (t.customerId !== null) {
      const key = `${t.customerId}:${t.channel}`;
      previousConsent = context.consents.get(key) ?? null;
      if (previousConsent?.status !== 'opted_out') {
        const source = `feedback: ${reason} (inbound ${inboundId})`;
        writes.setConsent(t.customerId, t.channel, 'opted_out', source);
        context.consents.set(key, { status: 'opted_out', source });
        consentChanged = true;
      }
    }
    return log('unsubscribed', reason, (f) => ({ suppressionId: f.suppressionId(req), consentChanged, previousConsent }));
  }

  /**
   * «Write to X from now on» becomes a proposal; nothing changes until the new address confirms
   * it (only when the request proved it came from the recipient of a message we sent: a stranger
   * must not be able to confirm his own address) or an admin accepts it (AddressChangesService).
   */
  private async proposeAddressChange(
    store: FeedbackStore,
    context: BatchContext,
    t: Target,
    oldAddress: string | null,
    rawNewAddress: string,
    inboundId: bigint,
    log: LogFn,
  ): Promise<string[]> {
    const newAddress = this.normalise('email', rawNewAddress);
    if (t.customerId === null || !newAddress || newAddress === oldAddress) {
      return [
        log(
          'noted',
          `address change to ${rawNewAddress.slice(0, 200)} not proposed: ${t.customerId === null ? 'no customer found' : 'the new address is not usable'}`,
          { newAddress: rawNewAddress.slice(0, 320) },
        ),
      ];
    }
    const proven = t.messageId !== null;
    const proposalId = await store.createAddressChange({
      customerId: t.customerId,
      oldAddress,
      newAddress,
      inboundMessageId: inboundId,
      proven,
    });
    if (proven) context.confirmable.push(proposalId);
    const how = proven ? 'the new address is asked to confirm; an admin may accept it' : 'unproven request: waits for an admin';
    return [log('address_change_proposed', `${newAddress}: ${how}`, { proposalId, newAddress, proven })];
  }
}

export function inboundJobId(inboundId: bigint): string {
  return `inbound-${inboundId}`;
}

/** The classification for the jsonb column; the reply text is cut short without splitting a surrogate pair, which jsonb refuses. */
function storedClassification(c: Classification): Prisma.InputJsonObject {
  return JSON.parse(
    JSON.stringify({
      ...c,
      replyText: c.replyText == null ? null : cutText(c.replyText, MAX_STORED_TEXT),
      recipients: c.recipients.slice(0, 50),
    }),
  ) as Prisma.InputJsonObject;
}

/** An SES event stored as its SNS body, read the way SES-to-email subscriptions deliver it. */
function snsAsEmail(raw: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from('From: no-reply@sns.amazonaws.com\r\nSubject: Amazon SES event\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n'),
    raw,
  ]);
}
