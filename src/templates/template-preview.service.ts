// Preview: a template version rendered for a real customer (with its latest order) or for a
// sample one, through the same compiled-version cache the workers use.

import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DomainError } from '../common/domain-error';
import type { AppConfig } from '../config/config.module';
import type { Template } from '../generated/prisma/client';
import { BRAND_SOURCE, type BrandSource } from './brand-source';
import type { PreviewInput } from './dto/templates.dto';
import { mergeContext, renderableJson, sampleContext, type CompiledEmail, type CompiledSms, type RenderContext } from './render';
import { fieldWarningOf, templateInvalid, type TemplateFieldWarning } from './template-issues';
import { compileVersionSource, emailOfStored, smsOfStored, storedOf, versionSource } from './template-source';
import { versionView } from './template-views';
import { pickTemplateVersion, TemplatesService, type ResolvedTemplateVersion } from './templates.service';
import { TemplatesRepository } from './templates.repository';

/** Parts of the context a real customer's preview still takes from the sample (the brand only while none is set). */
const SAMPLE_EXTRAS = ['message', 'campaign', 'brand', 'data', 'run'] as const;

/** What the editor holds for one locale, typed but not saved. */
export interface TemplateDraft {
  locale: string;
  subject?: string;
  preheader?: string;
  body: string;
}

/** A template's locale compiled for a render: the draft as a save would compile it, or the saved version. */
export type CompiledDraft =
  { locale: string; channel: 'email'; email: CompiledEmail } | { locale: string; channel: 'sms'; sms: CompiledSms };

type Customer = NonNullable<Awaited<ReturnType<TemplatesRepository['customerForPreview']>>>;

@Injectable()
export class TemplatePreviewService {
  constructor(
    private readonly templates: TemplatesRepository,
    private readonly renderer: TemplatesService,
    @Inject(ConfigService) private readonly config: AppConfig,
    @Inject(BRAND_SOURCE) private readonly brand: BrandSource,
  ) {}

  async preview(templateId: number, input: PreviewInput) {
    const template = await this.templates.findTemplate(templateId);
    if (!template) throw DomainError.notFound('Template', templateId);
    const customer = input.customerId === undefined ? undefined : await this.customer(input.customerId);
    const version = await this.version(
      template,
      input.versionId,
      input.locale ?? customer?.locale ?? this.config.get('DEFAULT_LOCALE', { infer: true }),
    );
    const { context, fromSample } = await this.context(version.locale, customer, input.orderId);
    // The sample patch is request JSON: it may hold anything anywhere (renderable-json.ts).
    const merged = renderableJson(mergeContext<RenderContext>(context, input.context));
    const head = {
      templateId,
      key: template.key,
      channel: template.channel,
      versionId: version.versionId,
      version: version.version,
      locale: version.locale,
    };
    const meta = { customerId: customer?.id ?? null, sample: fromSample };

    if (template.channel === 'sms') {
      const sms = await this.renderer.compiledSms(version.versionId);
      const out = sms.render(merged);
      const warnings: TemplateFieldWarning[] = sms.warnings.map(fieldWarningOf);
      return {
        ...head,
        text: out.text,
        sms: out.length,
        warnings: [...warnings, ...out.warnings.map((message) => ({ path: 'body', message }))],
        ...meta,
      };
    }
    const email = await this.renderer.compiledEmail(version.versionId);
    return { ...head, ...email.render(merged), warnings: email.warnings.map(fieldWarningOf), ...meta };
  }

  /**
   * A draft of one locale compiled exactly as saving it would (same checks: a Handlebars or MJML
   * error is the same 400 with line and column), keeping what the typed fields leave out (the
   * plain-text part, the data declaration, the SMS segment limit) from the locale's saved
   * version. Without a draft: the saved version of the locale. Nothing is stored.
   */
  async compileDraft(templateId: number, locale: string, draft?: TemplateDraft): Promise<CompiledDraft> {
    const template = await this.templates.findTemplate(templateId);
    if (!template) throw DomainError.notFound('Template', templateId);
    const saved = (await this.renderer.currentVersions(templateId)).find((v) => v.locale === locale);
    if (!draft) {
      if (!saved) throw DomainError.notFound(`Template ${template.key} variant`, locale);
      return template.channel === 'sms'
        ? { locale, channel: 'sms', sms: await this.renderer.compiledSms(saved.versionId) }
        : { locale, channel: 'email', email: await this.renderer.compiledEmail(saved.versionId) };
    }
    const row = saved ? await this.templates.versionView(saved.versionId) : null;
    const view = row ? versionView(row) : null;
    const dataSchema = view ? view.dataSchema : await this.renderer.dataDeclaration(templateId);
    const email = template.channel === 'email';
    const source = versionSource(template.channel, locale, {
      body: draft.body,
      subject: email ? (draft.subject ?? view?.subject ?? '') : undefined,
      preheader: email ? (draft.preheader ?? view?.preheader ?? undefined) : undefined,
      text: email ? (view?.text ?? undefined) : undefined,
      dataSchema,
      maxSegments: view?.maxSegments ?? undefined,
    });
    const check = await compileVersionSource(source);
    if (!check.ok) throw templateInvalid(check.errors);
    const stored = storedOf(source, check.compiled);
    return email ? { locale, channel: 'email', email: await emailOfStored(stored) } : { locale, channel: 'sms', sms: smsOfStored(stored) };
  }

  /**
   * The draft (or saved version) of one locale rendered for a customer or the sample, as the
   * preview route of the editor shows it while typing. `variant` names the locale a picked
   * customer would actually be sent when that is another saved variant.
   */
  async previewDraft(
    templateId: number,
    locale: string,
    draft: TemplateDraft | undefined,
    input: Pick<PreviewInput, 'customerId' | 'context'>,
  ) {
    const compiled = await this.compileDraft(templateId, locale, draft);
    const customer = input.customerId === undefined ? undefined : await this.customer(input.customerId);
    // The brand as a message from the default sender shows it (its name standing in for an unset brand name), as the test send does.
    const { context, fromSample } = await this.context(locale, customer, undefined, this.config.get('MAIL_FROM_NAME', { infer: true }));
    const merged = renderableJson(mergeContext<RenderContext>(context, input.context));
    const variant = customer ? pickTemplateVersion(await this.renderer.currentVersions(templateId), customer.locale)?.locale : undefined;
    const meta = {
      locale,
      customerId: customer?.id ?? null,
      customerLocale: customer?.locale ?? null,
      variant: variant ?? locale,
      sample: fromSample,
    };
    if (compiled.channel === 'sms') {
      const out = compiled.sms.render(merged);
      return {
        channel: 'sms' as const,
        text: out.text,
        sms: out.length,
        maxSegments: compiled.sms.maxSegments,
        warnings: [...compiled.sms.warnings.map(fieldWarningOf), ...out.warnings.map((message) => ({ path: 'body', message }))],
        ...meta,
      };
    }
    return { channel: 'email' as const, ...compiled.email.render(merged), warnings: compiled.email.warnings.map(fieldWarningOf), ...meta };
  }

  private async customer(id: number): Promise<Customer> {
    const customer = await this.templates.customerForPreview(id);
    if (!customer) throw DomainError.notFound('Customer', id);
    return customer;
  }

  private async version(template: Template, versionId: number | undefined, locale: string): Promise<ResolvedTemplateVersion> {
    if (versionId === undefined) return this.renderer.resolveTemplateVersion(template.id, locale);
    const row = await this.templates.versionView(versionId);
    if (!row || row.templateId !== template.id) throw DomainError.notFound('Template version', versionId);
    return {
      templateId: template.id,
      key: template.key,
      channel: template.channel,
      versionId: row.id,
      version: row.version,
      locale: row.locale,
    };
  }

  /**
   * The customer's own fields and order; links, campaign and data from the sample; the brand from
   * the brand settings (`brandName` standing in for an unset name), or from the sample while none is set.
   */
  private async context(locale: string, customer: Customer | undefined, orderId: number | undefined, brandName?: string | null) {
    const stored = await this.brand.renderBrand(brandName);
    const brandSet = Object.keys(stored).length > 0;
    const sample = { ...sampleContext(locale), ...(brandSet ? { brand: stored } : {}) };
    const extras = SAMPLE_EXTRAS.filter((part) => part !== 'brand' || !brandSet);
    if (!customer) return { context: sample, fromSample: ['customer', 'order', ...extras] };
    const order = await this.templates.orderForPreview(customer.id, orderId);
    if (orderId !== undefined && !order) throw DomainError.notFound(`Order of customer ${customer.id}`, orderId);
    const context = this.renderer.renderContext(customer, {
      order,
      company: customer.company,
      message: sample.message,
      campaign: sample.campaign,
      brand: sample.brand,
      data: sample.data,
      run: sample.run,
    });
    if (order) return { context, fromSample: extras };
    return { context: { ...context, order: sample.order }, fromSample: ['order', ...extras] };
  }
}
