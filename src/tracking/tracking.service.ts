// The public side of every email: opens, clicks, unsubscribe, the preference page and the web
// copy of a message. Every route is reached through a link signed for one message, so nothing
// here needs a login and nothing shows a customer id. Hits are classified (person or machine,
// bot-detection.ts), counted per client and per message (common/rate-limiter.ts), and written in
// batches: a campaign's opens arrive in bursts.
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { BrandService } from '../brand/brand.service';
import { BatchCoalescer } from '../common/batch-coalescer';
import { DomainError } from '../common/domain-error';
import { RateLimiter } from '../common/rate-limiter';
import type { KeyRing } from '../common/signed-token';
import { secretKeys, type AppConfig } from '../config/config.module';
import { ConsentService } from '../customers/consent/consent.service';
import { SuppressionService } from '../customers/suppression/suppression.service';
import type { Channel } from '../generated/prisma/enums';
import { JobName } from '../queue/job-catalogue';
import { JobHandlerRegistry } from '../queue/job-handlers';
import { TemplatesService } from '../templates/templates.service';
import { BotDetector, type TrackedHit } from './bot-detection';
import {
  isWanted,
  mayResubscribe,
  planPreferences,
  type ChannelState,
  type PreferenceAction,
  type PreferenceForm,
} from './preference-plan';
import { checkClick, checkFormToken, issueFormToken, messageLinks, messageOfToken, type MessagePurpose } from './tracking-links';
import { TrackingRepository, type HitMessage, type NewTrackingEvent } from './tracking.repository';

export interface ClientFacts {
  ip: string | null;
  userAgent: string | null;
  method: string;
}

/** Per client IP per minute: opens and clicks still work past it, they are just not recorded. */
const HITS_PER_IP_PER_MINUTE = 1200;
/** Per message per minute: a replayed pixel or link cannot inflate the totals. */
const HITS_PER_MESSAGE_PER_MINUTE = 20;
/** Invalid tokens per client IP per minute before it gets 429 (guessing, scanning). */
const BAD_TOKENS_PER_IP_PER_MINUTE = 30;
/** Unsubscribe and preference page requests per client IP per minute. */
const PAGES_PER_IP_PER_MINUTE = 60;
const PAUSE_SWEEP_BATCH = 500;
/** The consent source a pause writes; the sweep only undoes an opt-out it made itself. */
export const PAUSE_SOURCE = 'preference page: pause';

/** A client over a limit of the public routes; the controller answers 429 with Retry-After. */
export class TooManyRequestsError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('Too many requests from this address; wait a minute');
  }
}

export interface PreferenceState {
  messageId: bigint;
  customerId: number;
  channels: Array<ChannelState & { address: string; mayResubscribe: boolean; wanted: boolean }>;
  pausedUntil: Date | null;
}

@Injectable()
export class TrackingService implements OnModuleInit {
  private readonly logger = new Logger(TrackingService.name);
  private readonly detector = new BotDetector();
  private readonly hitsPerIp = new RateLimiter(HITS_PER_IP_PER_MINUTE, 60_000);
  private readonly hitsPerMessage = new RateLimiter(HITS_PER_MESSAGE_PER_MINUTE, 60_000);
  private readonly badTokens = new RateLimiter(BAD_TOKENS_PER_IP_PER_MINUTE, 60_000);
  private readonly pages = new RateLimiter(PAGES_PER_IP_PER_MINUTE, 60_000);
  private readonly messages: BatchCoalescer<bigint, HitMessage>;
  private readonly events: BatchCoalescer<NewTrackingEvent, true>;

  constructor(
    private readonly repository: TrackingRepository,
    private readonly consents: ConsentService,
    private readonly suppressions: SuppressionService,
    private readonly templates: TemplatesService,
    private readonly registry: JobHandlerRegistry,
    @Inject(ConfigService) private readonly config: AppConfig,
    private readonly brand: BrandService,
  ) {
    this.messages = new BatchCoalescer((ids) => this.repository.hitMessages(ids), 500, 2);
    this.events = new BatchCoalescer(
      async (events) => {
        await this.repository.insertEvents(events);
        return new Map(events.map((event) => [event, true as const]));
      },
      1000,
      2,
    );
  }

  onModuleInit(): void {
    this.registry.register(JobName.EndConsentPauses, () => this.endPauses(new Date()));
  }

  private get secret(): KeyRing {
    return secretKeys(this.config);
  }

  /** The message a link names, or null; invalid tokens count towards the client's limit (TooManyRequestsError). */
  messageOf(purpose: MessagePurpose, token: string, client: ClientFacts): bigint | null {
    const id = messageOfToken(this.secret, purpose, token);
    if (id === null) this.refuseBadToken(client);
    return id;
  }

  /** Throws TooManyRequestsError when the client has asked for too many pages this minute. */
  admitPage(client: ClientFacts): void {
    if (!this.pages.allow(client.ip ?? 'unknown')) throw new TooManyRequestsError(this.pages.retryAfterSeconds());
  }

  /** The open pixel. Never fails the image: a bad token or a database hiccup only loses the event. */
  async open(token: string, client: ClientFacts): Promise<void> {
    const id = this.messageOf('open', token, client);
    if (id === null) return;
    await this.record('open', id, client, null, null);
  }

  /** The click redirect: the destination, once the signature over it holds; otherwise a 400 naming why. */
  async click(token: string, destination: unknown, client: ClientFacts): Promise<string> {
    const check = checkClick(this.secret, token, destination);
    if (!check.ok) {
      this.refuseBadToken(client);
      throw DomainError.validation([{ path: check.reason.startsWith('u:') ? 'u' : 'token', message: check.reason.replace(/^u: /, '') }]);
    }
    await this.record('click', check.messageId, client, check.destination, check.linkIndex);
    return check.destination;
  }

  private refuseBadToken(client: ClientFacts): void {
    if (!this.badTokens.allow(client.ip ?? 'unknown')) throw new TooManyRequestsError(this.badTokens.retryAfterSeconds());
  }

  private async record(
    type: TrackedHit,
    messageId: bigint,
    client: ClientFacts,
    url: string | null,
    linkIndex: number | null,
  ): Promise<void> {
    if (!this.hitsPerIp.allow(client.ip ?? 'unknown') || !this.hitsPerMessage.allow(messageId.toString())) return;
    try {
      const message = await this.messages.load(messageId);
      if (!message) return;
      const at = new Date();
      const verdict = this.detector.classify({
        type,
        userAgent: client.userAgent,
        ip: client.ip,
        method: client.method,
        msSinceSent: message.sentAt ? at.getTime() - message.sentAt.getTime() : null,
      });
      await this.events.load({
        type,
        messageId,
        customerId: message.customerId,
        campaignId: message.campaignId,
        url,
        linkIndex,
        isBot: verdict.isBot,
        userAgent: client.userAgent?.slice(0, 500) ?? null,
        ip: client.ip,
        at,
      });
    } catch (error) {
      // The recipient still gets the image or the page they clicked for; only the count suffers.
      this.logger.warn({ msg: 'tracking event not recorded', type, messageId: messageId.toString(), error: (error as Error).message });
    }
  }

  /** The masked-address facts the unsubscribe page shows, or null for a message that is gone. */
  async unsubscribeTarget(messageId: bigint): Promise<{ address: string | null } | null> {
    const message = await this.repository.actionMessage(messageId);
    if (!message) return null;
    return { address: addressOf(message) };
  }

  /**
   * One-click unsubscribe (RFC 8058) and the page's button: opts the customer out of the
   * message's channel, puts the address on the suppression list (reason unsubscribe, so the
   * next campaign skips it at audience and at send time), ends any pause, and records one
   * unsubscribe event for the campaign report. Idempotent.
   */
  async unsubscribe(messageId: bigint, client: ClientFacts, how: string): Promise<{ already: boolean; address: string | null } | null> {
    const message = await this.repository.actionMessage(messageId);
    if (!message) return null;
    const channel = message.channel;
    const address = addressOf(message);
    const customer = message.customer && !message.customer.erasedAt ? message.customer : null;
    const customerAddress = customer ? (channel === 'email' ? customer.email : customer.phone) : null;
    let changed = false;
    if (customer && customerAddress) {
      const consent = (await this.repository.consents(customer.id)).find((c) => c.channel === channel);
      if (consent?.status !== 'opted_out') {
        await this.consents.set(
          customer.id,
          channel,
          { status: 'opted_out', source: 'unsubscribe link', proofIp: client.ip ?? undefined, proofForm: `${how}, message ${messageId}` },
          'unsubscribe link',
        );
        changed = true;
      }
      await this.repository.endPause(customer.id, channel, 'opted_out');
    }
    if (address) {
      try {
        const result = await this.suppressions.suppress(channel, address, 'unsubscribe', `unsubscribe link, message ${messageId}`, {
          customerId: customer?.id ?? null,
        });
        changed ||= result.created;
      } catch (error) {
        // An address that no longer normalises cannot be listed; the consent above still holds.
        if (!(error instanceof DomainError && error.code === 'validation_failed')) throw error;
      }
    }
    if (!(await this.repository.hasEvent(messageId, 'unsubscribe'))) {
      await this.repository.insertEvents([
        {
          type: 'unsubscribe',
          messageId,
          customerId: message.customerId,
          campaignId: message.campaignId,
          url: null,
          linkIndex: null,
          isBot: false,
          userAgent: client.userAgent?.slice(0, 500) ?? null,
          ip: client.ip,
          at: new Date(),
        },
      ]);
    }
    if (changed) this.logger.log({ msg: 'unsubscribed', messageId: messageId.toString(), channel, how });
    return { already: !changed, address };
  }

  /** What the preference page shows, or null when the message has no live customer. */
  async preferences(messageId: bigint): Promise<PreferenceState | null> {
    const message = await this.repository.actionMessage(messageId);
    const customer = message?.customer;
    if (!message || !customer || customer.erasedAt) return null;
    const [consents, pauses] = await Promise.all([this.repository.consents(customer.id), this.repository.activePauses(customer.id)]);
    const channels: PreferenceState['channels'] = [];
    for (const channel of ['email', 'sms'] as const) {
      const address = channel === 'email' ? customer.email : customer.phone;
      if (!address) continue;
      const state: ChannelState = {
        channel,
        consent: consents.find((c) => c.channel === channel)?.status ?? null,
        pausedUntil: pauses.find((p) => p.channel === channel)?.until ?? null,
      };
      channels.push({ ...state, address, mayResubscribe: mayResubscribe(channel) || state.pausedUntil !== null, wanted: isWanted(state) });
    }
    const pausedUntil = channels.reduce<Date | null>(
      (latest, c) => (c.pausedUntil && (!latest || c.pausedUntil > latest) ? c.pausedUntil : latest),
      null,
    );
    return { messageId, customerId: customer.id, channels, pausedUntil };
  }

  formToken(messageId: bigint): { token: string; nonce: string } {
    return issueFormToken(this.secret, messageId);
  }

  /** Applies a submitted preference form, after its CSRF check. Returns the actions taken. */
  async savePreferences(
    state: PreferenceState,
    form: PreferenceForm,
    cookieNonce: unknown,
    client: ClientFacts,
  ): Promise<PreferenceAction[]> {
    const problem = checkFormToken(this.secret, state.messageId, form.csrf, cookieNonce);
    if (problem) throw new DomainError('forbidden', problem);
    const now = new Date();
    const actions = planPreferences(state.channels, form, now);
    const proof = { proofIp: client.ip ?? undefined, proofForm: `preference page, message ${state.messageId}` };
    for (const action of actions) {
      const address = state.channels.find((c) => c.channel === action.channel)?.address;
      switch (action.action) {
        case 'opt_out':
          await this.consents.set(
            state.customerId,
            action.channel,
            { status: 'opted_out', source: 'preference page', ...proof },
            'preference page',
          );
          await this.repository.endPause(state.customerId, action.channel, 'opted_out', now);
          break;
        case 'opt_in':
        case 'resume':
          await this.consents.set(
            state.customerId,
            action.channel,
            { status: 'opted_in', source: action.action === 'resume' ? 'preference page: pause ended early' : 'preference page', ...proof },
            'preference page',
          );
          await this.repository.endPause(state.customerId, action.channel, 'resumed', now);
          if (address) await this.liftUnsubscribe(action.channel, address);
          break;
        case 'pause':
          await this.repository.startPause(state.customerId, action.channel, action.until, state.messageId, now);
          await this.consents.set(state.customerId, action.channel, { status: 'opted_out', source: PAUSE_SOURCE, ...proof }, PAUSE_SOURCE);
          break;
      }
    }
    return actions;
  }

  /**
   * The maintenance job: pauses whose time is up opt their channel in again, unless the
   * customer changed that consent since (another opt-out, an erasure), which then stands.
   */
  async endPauses(now: Date): Promise<{ resumed: number; left: number }> {
    let resumed = 0;
    let left = 0;
    for (;;) {
      const due = await this.repository.duePauses(now, PAUSE_SWEEP_BATCH);
      for (const pause of due) {
        const stillOurs =
          !pause.erased &&
          pause.consent_status === 'opted_out' &&
          pause.consent_source === PAUSE_SOURCE &&
          pause.consent_at !== null &&
          pause.consent_at >= pause.created_at;
        if (stillOurs) {
          await this.consents.set(
            pause.customer_id,
            pause.channel,
            { status: 'opted_in', source: 'pause ended', proofForm: `pause until ${pause.until.toISOString().slice(0, 10)}` },
            'pause ended',
          );
          resumed++;
        } else {
          left++;
        }
        await this.repository.endPause(pause.customer_id, pause.channel, stillOurs ? 'expired' : 'changed', now);
      }
      if (due.length < PAUSE_SWEEP_BATCH) return { resumed, left };
    }
  }

  private async liftUnsubscribe(channel: Channel, address: string): Promise<void> {
    // A proven wish to get mail again outweighs an earlier unsubscribe; bounces and complaints still stand.
    const entry = await this.suppressions.suppressionOf(channel, address);
    if (entry?.reason === 'unsubscribe') await this.suppressions.remove(entry.id);
  }

  /** The web copy of an email, rendered as it was sent (same template version, same data). */
  async viewInBrowser(messageId: bigint): Promise<string | null> {
    const message = await this.repository.viewMessage(messageId);
    if (!message || message.channel !== 'email' || message.templateVersionId === null || message.customer?.erasedAt) return null;
    const data = (message.data && typeof message.data === 'object' && !Array.isArray(message.data) ? message.data : {}) as Record<
      string,
      unknown
    >;
    const orderId = typeof data.orderId === 'number' ? data.orderId : undefined;
    const order = orderId !== undefined ? await this.repository.findOrder(orderId) : null;
    const links = messageLinks(this.config.get('PUBLIC_URL', { infer: true }), this.secret, messageId);
    const context = this.templates.renderContext(message.customer ?? { id: 0, email: message.toAddress, phone: null }, {
      data,
      order: order
        ? { ...order, total: order.total.toString(), items: order.items.map((i) => ({ ...i, price: i.price.toString() })) }
        : null,
      campaign: message.campaign ? { id: message.campaign.id, name: message.campaign.name } : null,
      // No "view in browser" link inside the browser copy.
      message: {
        id: messageId.toString(),
        unsubscribeUrl: links.unsubscribeUrl,
        preferencesUrl: links.preferencesUrl,
        trackLink: (url: string, index: number) => links.trackLink(url, index),
      },
      brand: await this.brand.renderBrand(message.campaign?.sender?.fromName ?? this.config.get('MAIL_FROM_NAME', { infer: true })),
    });
    return (await this.templates.renderEmail(message.templateVersionId, context)).html;
  }
}

function addressOf(message: {
  channel: Channel;
  toAddress: string | null;
  customer: { email: string | null; phone: string | null; erasedAt: Date | null } | null;
}): string | null {
  if (message.customer && !message.customer.erasedAt)
    return (message.channel === 'email' ? message.customer.email : message.customer.phone) ?? message.toAddress;
  return message.customer?.erasedAt ? null : message.toAddress;
}
