// Preview: a template version rendered for a real customer (with its latest order) or for a
// sample one, through the same compiled-version cache the workers use.

import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DomainError } from '../common/domain-error';
import type { AppConfig } from '../config/config.module';
import type { Template } from '../generated/prisma/client';
import { BRAND_SOURCE, type BrandSource } from './brand-source';
import type { PreviewInput } from './dto/templates.dto';
import { mergeContext, renderableJson, sampleContext, type RenderContext } from './render';
import { fieldWarningOf, type TemplateFieldWarning } from './template-issues';
import { TemplatesService, type ResolvedTemplateVersion } from './templates.service';
import { TemplatesRepository } from './templates.repository';

/** Parts of the context a real customer's preview still takes from the sample (the brand only while none is set). */
const SAMPLE_EXTRAS = ['message', 'campaign', 'brand', 'data', 'run'] as const;

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
   * the brand settings, or from the sample while none is set.
   */
  private async context(locale: string, customer: Customer | undefined, orderId: number | undefined) {
    const stored = await this.brand.renderBrand();
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
