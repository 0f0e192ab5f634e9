// Who a message is sent as and through what: the campaign's sender and provider (or the
// server's defaults for transactional mail), with the run's documents (the versions it recorded
// at its start, documents/) encoded ONCE and kept for a short while, so a million-recipient run
// reads and encodes its price list once.
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { BrandService } from '../brand/brand.service';
import { BatchCoalescer } from '../common/batch-coalescer';
import { defaultSender } from '../common/mail-ids';
import type { AppConfig } from '../config/config.module';
import type { CustomerRow } from '../templates/customer-context';
import type { RenderContext } from '../templates/render';
import { DocumentsService } from '../documents/documents.service';
import { TemplatesService } from '../templates/templates.service';
import type { MessageLinks } from '../tracking/tracking-links';
import type { ClaimedMessage } from './messages.repository';
import { prepareAttachment, type PreparedAttachment } from './mime/raw-email';
import { DkimKeysService } from './dkim/dkim-keys.service';
import { RunRenderData, type RunRender } from './run-render-data';
import { OutboxRepository } from './outbox.repository';
import { SenderProfilesRepository } from './sender-profiles.repository';
import { smtpTlsPolicy } from './providers/provider-config';
import { mergeCustomHeaders, storedCustomHeaders } from './mime/custom-headers';
import { createSmsProvider } from './sms/create-sms-provider';
import { hasLimits, type RateLimits } from './provider-rate-limit';
import { configuredEhloName, EMAIL_TRANSPORT, TRANSACTIONAL_EMAIL_TRANSPORT, type EmailTransport } from './transports/email-transport';
import { SMS_PROVIDER, type SmsProvider } from './transports/sms-provider';
import { SmtpEmailTransport } from './transports/smtp-email.transport';

export interface SenderProfile {
  /** Identifies the transport for the outage breaker. */
  transportKey: string;
  fromAddress: string;
  fromName: string | null;
  replyTo: string | null;
  smsFrom: string | null;
  bounceDomain: string;
  feedbackId: string;
  attachments: PreparedAttachment[];
  email: EmailTransport;
  sms: SmsProvider;
  campaign: { id: number; name: string } | null;
  /** Custom headers (name → Handlebars value): the sender's, the campaign's over them. */
  customHeaders: Record<string, string>;
  /** Sending limits per channel, counted under `key` by every worker; absent: no limit. */
  rateLimits: Partial<Record<'email' | 'sms', { key: string; limits: RateLimits }>>;
}

const PROFILE_TTL_MS = 30_000;

@Injectable()
export class SenderProfiles implements OnApplicationShutdown {
  private readonly cache = new Map<string, { profile: Promise<SenderProfile>; expires: number }>();
  /**
   * Provider transports live as long as the process (their connection pools are the point), or
   * until the provider's config changes: each is kept with the config it was built from.
   */
  private readonly transports = new Map<string, { config: string; transport: EmailTransport }>();
  private readonly smsProviders = new Map<number, { config: string; provider: SmsProvider }>();
  private readonly customers: BatchCoalescer<number, CustomerRow>;

  constructor(
    private readonly repository: SenderProfilesRepository,
    private readonly templates: TemplatesService,
    private readonly documents: DocumentsService,
    private readonly outbox: OutboxRepository,
    private readonly runData: RunRenderData,
    @Inject(EMAIL_TRANSPORT) private readonly defaultEmail: EmailTransport,
    @Inject(TRANSACTIONAL_EMAIL_TRANSPORT) private readonly transactionalEmail: EmailTransport,
    @Inject(SMS_PROVIDER) private readonly defaultSms: SmsProvider,
    @Inject(ConfigService) private readonly config: AppConfig,
    private readonly brand: BrandService,
    private readonly dkim: DkimKeysService,
  ) {
    this.customers = new BatchCoalescer(async (ids) => new Map((await this.repository.findCustomers(ids)).map((c) => [c.id, c])), 500, 2);
  }

  /**
   * Cached per campaign, run and lane: a run attaches the versions it recorded at its start, so
   * a new version uploaded mid-run changes the next run's profile, never this one's.
   */
  forMessage(message: Pick<ClaimedMessage, 'campaignId' | 'runId' | 'lane'>): Promise<SenderProfile> {
    const key = `${message.campaignId ?? 'none'}:${message.runId ?? 'none'}:${message.lane}`;
    const cached = this.cache.get(key);
    if (cached && cached.expires > Date.now()) return cached.profile;
    // A key per run would keep every past run's encoded attachments: drop the expired on a miss.
    for (const [old, entry] of this.cache) if (entry.expires <= Date.now()) this.cache.delete(old);
    const profile = this.load(message.campaignId, message.runId, message.lane);
    this.cache.set(key, { profile, expires: Date.now() + PROFILE_TTL_MS });
    profile.catch(() => this.cache.delete(key));
    return profile;
  }

  /** Forgets the profiles read so far (a sender or provider changed); other processes see it within PROFILE_TTL_MS. */
  forget(): void {
    this.cache.clear();
  }

  /**
   * The render context of a message. `run` stands in for the run's values when there is no run
   * yet (the campaign pre-flight and test send, delivery/campaign-render.service.ts).
   */
  async renderContext(
    message: Pick<ClaimedMessage, 'id' | 'channel' | 'runId' | 'customerId' | 'templateVersionId' | 'data' | 'address'>,
    profile: SenderProfile,
    links: MessageLinks | undefined,
    run?: RunRender,
  ): Promise<RenderContext> {
    const customer = message.customerId !== null ? await this.customers.load(message.customerId) : undefined;
    const ownData = (message.data && typeof message.data === 'object' ? message.data : {}) as Record<string, unknown>;
    // A campaign message has no data of its own: the run's (campaign values and defaults), one
    // object shared by every render of the run (renders only read it).
    const perRun = run ?? (await this.runData.forMessage(message));
    const data = perRun ? (message.data ? { ...perRun.data, ...ownData } : perRun.data) : ownData;
    const orderId = typeof data.orderId === 'number' ? data.orderId : undefined;
    const order = orderId !== undefined ? await this.repository.findOrder(orderId) : null;
    const row = customer ?? {
      id: 0,
      email: message.channel === 'email' ? message.address : null,
      phone: message.channel === 'sms' ? message.address : null,
    };
    return this.templates.renderContext(row, {
      data,
      order: order
        ? { ...order, total: order.total.toString(), items: order.items.map((i) => ({ ...i, price: i.price.toString() })) }
        : null,
      campaign: profile.campaign,
      run: perRun?.run,
      message: { id: message.id.toString(), ...links, ...confirmLinkOf(data) },
      brand: await this.brand.renderBrand(profile.fromName),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    for (const { transport } of this.transports.values()) await transport.close();
  }

  private async load(campaignId: number | null, runId: number | null, lane: string): Promise<SenderProfile> {
    const defaults = this.defaults(lane);
    if (campaignId === null) return { ...defaults, transportKey: `default:${lane}` };
    const campaign = await this.repository.findCampaign(campaignId);
    if (!campaign) throw new Error(`campaign ${campaignId} not found`);
    // A disabled sender (and so its provider) is not used: the server's defaults are, as for a disabled provider.
    const sender = campaign.sender?.active ? campaign.sender : null;
    const provider = sender?.provider ?? null;
    let email = defaults.email;
    let sms = defaults.sms;
    if (provider && provider.active && provider.kind === 'smtp') email = this.smtpFor(provider.id, provider.config, lane);
    if (provider && provider.active && (provider.kind === 'sms_http' || provider.kind === 'sms_smsru')) sms = this.smsFor(provider);
    const providerLimits = { perSecond: provider?.perSecond ?? null, perHour: provider?.perHour ?? null };
    return {
      ...defaults,
      transportKey: provider ? `provider:${provider.id}:${lane}` : `default:${lane}`,
      fromAddress: sender?.channel === 'email' ? sender.fromAddress : defaults.fromAddress,
      fromName: sender?.fromName ?? defaults.fromName,
      replyTo: sender?.replyTo ?? null,
      smsFrom: sender?.channel === 'sms' ? sender.fromAddress : null,
      bounceDomain: sender?.bounceDomain ?? defaults.bounceDomain,
      feedbackId: sender?.feedbackId ?? defaults.feedbackId,
      attachments: (
        await this.documents.filesFor(
          runId,
          campaign.attachments.map((a) => a.attachmentId),
        )
      ).map((file) => prepareAttachment({ filename: file.filename, contentType: file.contentType, content: file.data })),
      email,
      sms,
      campaign: { id: campaign.id, name: campaign.name },
      customHeaders: mergeCustomHeaders(storedCustomHeaders(sender?.headers), storedCustomHeaders(campaign.headers)),
      rateLimits:
        provider && provider.active && hasLimits(providerLimits)
          ? { [provider.channel]: { key: `provider:${provider.id}`, limits: providerLimits } }
          : defaults.rateLimits,
    };
  }

  private defaults(lane: string): Omit<SenderProfile, 'transportKey'> {
    const relayLimits = {
      perSecond: this.config.get('SMTP_MAX_PER_SECOND', { infer: true }) ?? null,
      perHour: this.config.get('SMTP_MAX_PER_HOUR', { infer: true }) ?? null,
    };
    const { fromAddress, bounceDomain } = defaultSender({
      publicUrl: this.config.get('PUBLIC_URL', { infer: true }),
      mailFrom: this.config.get('MAIL_FROM', { infer: true }),
      bounceDomain: this.config.get('BOUNCE_DOMAIN', { infer: true }),
    });
    return {
      fromAddress,
      fromName: this.config.get('MAIL_FROM_NAME', { infer: true }) ?? null,
      replyTo: null,
      smsFrom: null,
      bounceDomain,
      feedbackId: 'otklik',
      attachments: [],
      email: lane === 'transactional' ? this.transactionalEmail : this.defaultEmail,
      sms: this.defaultSms,
      campaign: null,
      customHeaders: {},
      rateLimits: hasLimits(relayLimits) ? { email: { key: 'default-relay', limits: relayLimits } } : {},
    };
  }

  /** One pool per provider and lane, so transactional mail never queues behind bulk connections. */
  private smtpFor(providerId: number, config: unknown, lane: string): EmailTransport {
    const key = `${providerId}:${lane}`;
    const url = (config as { url?: unknown } | null)?.url;
    if (typeof url !== 'string') throw new Error(`provider ${providerId}: config.url is not set`);
    const built = JSON.stringify(config);
    const known = this.transports.get(key);
    if (known?.config === built) return known.transport;
    // The provider was edited: the old pool closes (sends on its open connections finish; any still
    // waiting for one fail and are retried by their job, now through the new pool).
    if (known) void known.transport.close();
    const transport = new SmtpEmailTransport(url, {
      maxConnections: this.config.get('SMTP_MAX_CONNECTIONS', { infer: true }),
      dkim: this.dkim,
      clientName: configuredEhloName(this.config),
      tls: smtpTlsPolicy(config),
    });
    this.transports.set(key, { config: built, transport });
    return transport;
  }

  private smsFor(provider: { id: number; kind: string; config: unknown }): SmsProvider {
    const config = JSON.stringify([provider.kind, provider.config]);
    const known = this.smsProviders.get(provider.id);
    if (known?.config === config) return known.provider;
    const created = createSmsProvider(provider, { outbox: this.outbox });
    this.smsProviders.set(provider.id, { config, provider: created });
    return created;
  }
}

/**
 * The double opt-in link (customers/consent) travels in the message's data and is shown by
 * `{{confirmUrl}}`, like the other per-message links: untracked, so the link the customer gets
 * is the signed one itself.
 */
function confirmLinkOf(data: Record<string, unknown>): { confirmUrl?: string } {
  return typeof data.confirmUrl === 'string' ? { confirmUrl: data.confirmUrl } : {};
}
