// A campaign's message rendered for one customer by the send path's own pieces (the sender
// profile, the render context with the run's values, the compiled template version picked for
// the customer's locale), without a Message row: for the campaign pre-flight
// (campaigns/preflight.ts), which checks what would be sent, and for a test send, which sends it
// to a chosen address marked as a test, outside stats, counters and frequency caps.
//
// The one difference from a real send: click-tracked links keep their destination (a test or a
// check has no message to count a click against, and the pre-flight judges where a link leads).
// The unsubscribe and web-copy links are built as for a message with no row behind them.
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { BrandService } from '../brand/brand.service';
import { DomainError } from '../common/domain-error';
import { secretKeys, type AppConfig } from '../config/config.module';
import { normaliseEmail, normalisePhone } from '../customers/contact-normalise';
import { mergeContext, renderableJson, sampleContext, type RenderContext, type RenderedEmail, type RenderedSms } from '../templates/render';
import type { CompiledDraft } from '../templates/template-preview.service';
import { pickTemplateVersion, TemplatesService } from '../templates/templates.service';
import { messageLinks, type MessageLinks } from '../tracking/tracking-links';
import { InlineImages } from './inline-images.service';
import { RunRenderData } from './run-render-data';
import { SenderProfiles } from './sender-profiles';
import { SenderProfilesRepository } from './sender-profiles.repository';

export interface RenderableCampaign {
  id: number;
  channel: 'email' | 'sms';
  templateId: number;
  data: unknown;
  timeZone: string;
}

export interface CampaignRender {
  customerId: number;
  address: string | null;
  locale: string;
  /** The template version rendered. */
  versionId: number;
  email?: RenderedEmail;
  sms?: RenderedSms & { maxSegments: number };
}

/** The subject (and SMS text) prefix of a test send. */
export const TEST_PREFIX = '[ТЕСТ] ';

/** The message id the links of a render without a Message row are signed for (no row has it). */
const NO_MESSAGE = 0n;

@Injectable()
export class CampaignRenderService {
  constructor(
    private readonly profiles: SenderProfiles,
    private readonly runData: RunRenderData,
    private readonly templates: TemplatesService,
    private readonly repository: SenderProfilesRepository,
    private readonly brand: BrandService,
    private readonly inlineImages: InlineImages,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {}

  /** The stored brand settings and the brand a message of this campaign shows (its sender's name standing in for an unset name). */
  async brandOf(campaignId: number) {
    const profile = await this.profiles.forMessage({ campaignId, runId: null, lane: 'bulk' });
    const { updatedAt: _, ...settings } = await this.brand.get();
    return { settings, rendered: await this.brand.renderBrand(profile.fromName) };
  }

  /** The brand a message outside a campaign (a trigger's) shows: the server's default sender name standing in. */
  async defaultBrand() {
    const { updatedAt: _, ...settings } = await this.brand.get();
    return { settings, rendered: await this.brand.renderBrand(this.config.get('MAIL_FROM_NAME', { infer: true })) };
  }

  /** The campaign's message for one customer, as a run at `occurrenceAt` would render it. Null: no such customer. */
  async render(campaign: RenderableCampaign, customerId: number, occurrenceAt: Date): Promise<CampaignRender | null> {
    const [customer] = await this.repository.findCustomers([customerId]);
    if (!customer) return null;
    const versions = await this.templates.currentVersions(campaign.templateId);
    const version = pickTemplateVersion(versions, customer.locale ?? this.config.get('DEFAULT_LOCALE', { infer: true }));
    if (!version) throw new DomainError('invalid_state', `template ${campaign.templateId} has no version to send`);
    const profile = await this.profiles.forMessage({ campaignId: campaign.id, runId: null, lane: 'bulk' });
    const address = (campaign.channel === 'email' ? customer.email : customer.phone) ?? null;
    const context = await this.profiles.renderContext(
      { id: NO_MESSAGE, channel: campaign.channel, runId: null, customerId, templateVersionId: version.versionId, data: null, address },
      profile,
      campaign.channel === 'email' ? this.untrackedLinks() : undefined,
      await this.runData.forOccurrence(campaign, occurrenceAt, version.versionId),
    );
    if (campaign.channel === 'email')
      return {
        customerId,
        address,
        locale: version.locale,
        versionId: version.versionId,
        email: await this.templates.renderEmail(version.versionId, context),
      };
    const compiled = await this.templates.compiledSms(version.versionId);
    return {
      customerId,
      address,
      locale: version.locale,
      versionId: version.versionId,
      sms: { ...compiled.render(context), maxSegments: compiled.maxSegments },
    };
  }

  /**
   * Sends the campaign's message for `customerId` to `to` (default: the sender's own address)
   * through the campaign's own transport: subject (or SMS text) prefixed «[ТЕСТ] », header
   * `X-Otklik-Test: 1`. No Message row, so no status, stats, counter or frequency cap sees it.
   */
  async sendTest(campaign: RenderableCampaign, customerId: number, to: string | undefined, occurrenceAt: Date) {
    const render = await this.render(campaign, customerId, occurrenceAt);
    if (!render) throw DomainError.validation([{ path: 'customerId', message: `customer ${customerId} not found` }]);
    const profile = await this.profiles.forMessage({ campaignId: campaign.id, runId: null, lane: 'bulk' });
    if (render.email) {
      const checked = to === undefined ? undefined : normaliseEmail(to);
      if (checked && !checked.ok) throw DomainError.validation([{ path: 'to', message: `not an email address (${checked.reason})` }]);
      const address = checked?.value ?? profile.fromAddress;
      const body = await this.inlineImages.embed(render.versionId, render.email.html);
      // No Message row to commit: the message is accepted as soon as it is written.
      const prepared = await profile.email.prepare({
        from: profile.fromAddress,
        fromName: profile.fromName,
        replyTo: profile.replyTo ?? undefined,
        to: address,
        subject: `${TEST_PREFIX}${render.email.subject}`,
        html: body.html,
        inlineImages: body.inline,
        text: render.email.text,
        headers: { 'X-Otklik-Test': '1', 'Feedback-ID': `${campaign.id}:test:${profile.feedbackId}` },
        preparedAttachments: profile.attachments,
      });
      const sent = await prepared.commit();
      return {
        channel: campaign.channel,
        to: address,
        customerId,
        subject: `${TEST_PREFIX}${render.email.subject}`,
        providerMessageId: sent.providerMessageId,
      };
    }
    if (!to) throw DomainError.validation([{ path: 'to', message: 'give the phone number to send the test SMS to' }]);
    const phone = normalisePhone(to);
    if (!phone.ok) throw DomainError.validation([{ path: 'to', message: `not a phone number (${phone.reason})` }]);
    const text = `${TEST_PREFIX}${render.sms!.text}`;
    const sent = await profile.sms.send({ from: profile.smsFrom ?? undefined, to: phone.value.e164, text });
    return { channel: campaign.channel, to: phone.value.e164, customerId, subject: null, providerMessageId: sent.providerMessageId };
  }

  /**
   * A template's draft (or saved version) of one locale, as the editor holds it, sent as a test:
   * rendered for `customerId` (or the sample customer and order when null) with the default
   * sender and links as a test send builds them, the sample's `data` and `run` values (a template
   * has no campaign yet) under the editor's own `patch`, through the default transport, subject
   * (or SMS text) prefixed «[ТЕСТ] », header `X-Otklik-Test: 1`. No Message row, as for a
   * campaign's test.
   */
  async sendTemplateTest(compiled: CompiledDraft, customerId: number | null, to: string, patch?: unknown) {
    const profile = await this.profiles.forMessage({ campaignId: null, runId: null, lane: 'bulk' });
    if (customerId !== null && !(await this.repository.findCustomers([customerId])).length)
      throw DomainError.validation([{ path: 'customerId', message: `customer ${customerId} not found` }]);
    const context = async (address: string): Promise<RenderContext> => {
      const own = await this.profiles.renderContext(
        { id: NO_MESSAGE, channel: compiled.channel, runId: null, customerId, templateVersionId: null, data: null, address },
        profile,
        compiled.channel === 'email' ? this.untrackedLinks() : undefined,
      );
      const sample = sampleContext(compiled.locale);
      const stand = customerId === null ? { customer: sample.customer, order: sample.order } : own.order ? {} : { order: sample.order };
      return renderableJson(
        mergeContext<RenderContext>(mergeContext<RenderContext>(own, { ...stand, data: sample.data, run: sample.run }), patch),
      );
    };
    if (compiled.channel === 'email') {
      const checked = normaliseEmail(to);
      if (!checked.ok) throw DomainError.validation([{ path: 'to', message: `not an email address (${checked.reason})` }]);
      const email = compiled.email.render(await context(checked.value));
      const subject = `${TEST_PREFIX}${email.subject}`;
      const prepared = await profile.email.prepare({
        from: profile.fromAddress,
        fromName: profile.fromName,
        replyTo: profile.replyTo ?? undefined,
        to: checked.value,
        subject,
        html: email.html,
        text: email.text,
        headers: { 'X-Otklik-Test': '1', 'Feedback-ID': `template:test:${profile.feedbackId}` },
      });
      const sent = await prepared.commit();
      return { channel: compiled.channel, to: checked.value, subject, providerMessageId: sent.providerMessageId };
    }
    const phone = normalisePhone(to);
    if (!phone.ok) throw DomainError.validation([{ path: 'to', message: `not a phone number (${phone.reason})` }]);
    const text = `${TEST_PREFIX}${compiled.sms.render(await context(phone.value.e164)).text}`;
    const sent = await profile.sms.send({ from: profile.smsFrom ?? undefined, to: phone.value.e164, text });
    return { channel: compiled.channel, to: phone.value.e164, subject: null, providerMessageId: sent.providerMessageId };
  }

  private untrackedLinks(): MessageLinks {
    const links = messageLinks(this.config.get('PUBLIC_URL', { infer: true }), secretKeys(this.config), NO_MESSAGE);
    return { ...links, trackLink: (url) => url };
  }
}
