// What the campaign engine and the automations call per message: find the current version
// of a template for a customer's locale, and render it. MJML never runs here: a version's
// compiled HTML and text were stored on save, so the first render of a version in a process
// costs one Handlebars compile (cached by version id) and every later one only runs it.

import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DomainError } from '../common/domain-error';
import type { AppConfig } from '../config/config.module';
import type { TemplateChannel } from '../generated/prisma/enums';
import { customerRenderContext, type CustomerRow, type RenderExtras } from './customer-context';
import {
  CompiledTemplateCache,
  pickLocale,
  type CompiledEmail,
  type CompiledSms,
  type RenderContext,
  type RenderedEmail,
  type RenderedSms,
} from './render';
import { declarationOf, mergeDeclarations, type DataField } from './render/data-fields';
import { emailOfStored, smsOfStored } from './template-source';
import { TemplatesRepository } from './templates.repository';

export interface ResolvedTemplateVersion {
  templateId: number;
  key: string;
  channel: TemplateChannel;
  /** the TemplateVersion id to render (and to store on the Message row) */
  versionId: number;
  version: number;
  /** the locale variant chosen */
  locale: string;
}

type Compiled = { channel: 'email'; email: CompiledEmail } | { channel: 'sms'; sms: CompiledSms };

/** Compiled versions kept per process; a version never changes, so entries never go stale. */
const CACHE_SIZE = 500;

/**
 * How long the send path trusts a template's `embedImages` setting: the API process changes it,
 * workers read it, so a change reaches messages sent from this long after.
 */
export const EMBED_SETTING_TTL_MS = 10_000;

@Injectable()
export class TemplatesService {
  private readonly compiled = new CompiledTemplateCache<Compiled>(CACHE_SIZE);
  private readonly embedSettings = new Map<number, { embed: boolean; until: number }>();

  constructor(
    private readonly templates: TemplatesRepository,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {}

  /**
   * The current version of template `key` for a customer's locale: the exact tag ("en-GB"),
   * then its language ("en"), then Russian, then English, then any variant.
   */
  async resolveVersion(key: string, locale?: string | null, channel: TemplateChannel = 'email'): Promise<ResolvedTemplateVersion> {
    const template = await this.templates.findTemplateByKey(channel, key);
    if (!template) throw DomainError.notFound(`${channel === 'sms' ? 'SMS' : 'Email'} template`, key);
    return this.pick(template, locale);
  }

  /** The same by template id (campaigns and triggers store the id). */
  async resolveTemplateVersion(templateId: number, locale?: string | null): Promise<ResolvedTemplateVersion> {
    const template = await this.templates.findTemplate(templateId);
    if (!template) throw DomainError.notFound('Template', templateId);
    return this.pick(template, locale);
  }

  /**
   * The current version of every locale of a template, so a run resolves once and picks
   * per recipient with `pickTemplateVersion` (no query per message).
   */
  async currentVersions(templateId: number): Promise<ResolvedTemplateVersion[]> {
    const template = await this.templates.findTemplate(templateId);
    if (!template) throw DomainError.notFound('Template', templateId);
    const rows = await this.templates.currentVersions([templateId]);
    return rows.map((row) => ({
      templateId,
      key: template.key,
      channel: template.channel,
      versionId: row.id,
      version: row.version,
      locale: row.locale,
    }));
  }

  /**
   * The data fields a template declares, over its current locale variants (a campaign gives
   * one set of values for all of them). Empty: the template declares nothing, any data goes.
   */
  async dataDeclaration(templateId: number): Promise<DataField[]> {
    return (await this.dataDeclarations([templateId])).get(templateId) ?? [];
  }

  /**
   * The same for several templates at once (two queries): each template id with its fields; the
   * labels of the `preferLocale` variant first (a page shows them in its user's language).
   */
  async dataDeclarations(templateIds: number[], preferLocale?: string): Promise<Map<number, DataField[]>> {
    const found = templateIds.length ? await this.templates.currentVersions(templateIds) : [];
    const current = [...found.filter((v) => v.locale === preferLocale), ...found.filter((v) => v.locale !== preferLocale)];
    const rows = current.length ? await this.templates.declarations(current.map((v) => v.id)) : [];
    const byVersion = new Map(rows.map((row) => [row.id, row]));
    return new Map(
      templateIds.map((id) => [
        id,
        mergeDeclarations(
          current
            .filter((v) => v.templateId === id)
            .map((v) => byVersion.get(v.id))
            .filter((row) => row !== undefined)
            .map(declarationOf),
        ),
      ]),
    );
  }

  /** The locale and declared data fields of one version (the send path fills defaults per run with them). */
  async versionDeclaration(versionId: number): Promise<{ locale: string; fields: DataField[] }> {
    const [row] = await this.templates.declarations([versionId]);
    if (!row) throw DomainError.notFound('Template version', versionId);
    return { locale: row.locale, fields: declarationOf(row) };
  }

  /**
   * The sources of a template's current locale variants, each as its Handlebars parts (subject,
   * preheader, body, hand-written text) with its declared data field names: what the campaign
   * pre-flight reads for `brand.*` and unknown variables.
   */
  async currentSources(templateId: number): Promise<Array<{ versionId: number; locale: string; parts: string[]; dataFields: string[] }>> {
    const current = await this.templates.currentVersions([templateId]);
    const rows = await this.templates.sources(current.map((v) => v.id));
    return rows.map((row) => ({
      versionId: row.id,
      locale: row.locale,
      parts: [row.subject, row.preheader, row.body, row.textOverride].filter((p): p is string => typeof p === 'string' && p !== ''),
      dataFields: declarationOf(row).map((f) => f.name),
    }));
  }

  private async pick(
    template: { id: number; key: string; channel: TemplateChannel },
    locale?: string | null,
  ): Promise<ResolvedTemplateVersion> {
    const versions = await this.currentVersions(template.id);
    const chosen = pickTemplateVersion(versions, locale);
    if (!chosen) throw new DomainError('invalid_state', `Template ${template.key} (${template.channel}) has no saved version`);
    return chosen;
  }

  /** The render functions of an email version, compiled once per process. */
  async compiledEmail(versionId: number): Promise<CompiledEmail> {
    const compiled = await this.load(versionId);
    if (compiled.channel !== 'email')
      throw new DomainError('invalid_state', `Template version ${versionId} is an SMS template, not an email`);
    return compiled.email;
  }

  /** The render function of an SMS version, compiled once per process. */
  async compiledSms(versionId: number): Promise<CompiledSms> {
    const compiled = await this.load(versionId);
    if (compiled.channel !== 'sms')
      throw new DomainError('invalid_state', `Template version ${versionId} is an email template, not an SMS`);
    return compiled.sms;
  }

  /**
   * Whether messages of this version carry Otklik's images as inline CID parts (the template's
   * `embedImages`), read at most once per EMBED_SETTING_TTL_MS per version in a process.
   */
  async embedsImages(versionId: number): Promise<boolean> {
    const now = Date.now();
    const known = this.embedSettings.get(versionId);
    if (known && known.until > now) return known.embed;
    const embed = await this.templates.embedImagesOfVersion(versionId);
    if (this.embedSettings.size >= CACHE_SIZE) this.embedSettings.clear();
    this.embedSettings.set(versionId, { embed, until: now + EMBED_SETTING_TTL_MS });
    return embed;
  }

  /** `{ subject, preheader, html, text }` of an email version for one recipient. */
  async renderEmail(versionId: number, context: RenderContext): Promise<RenderedEmail> {
    return (await this.compiledEmail(versionId)).render(context);
  }

  /** `{ text, length, warnings }` of an SMS version for one recipient; `length` is the segment report. */
  async renderSms(versionId: number, context: RenderContext): Promise<RenderedSms> {
    return (await this.compiledSms(versionId)).render(context);
  }

  /** The render context of a customer row plus the caller's order, links, campaign, brand and data. */
  renderContext(customer: CustomerRow, extras: RenderExtras = {}): RenderContext {
    return customerRenderContext(customer, extras, {
      locale: this.config.get('DEFAULT_LOCALE', { infer: true }),
      timeZone: this.config.get('DEFAULT_TIME_ZONE', { infer: true }),
    });
  }

  private load(versionId: number): Promise<Compiled> {
    return this.compiled.get(versionId, async () => {
      const row = await this.templates.versionForRender(versionId);
      if (!row) throw DomainError.notFound('Template version', versionId);
      const stored = { ...row, channel: row.template.channel };
      if (stored.channel === 'sms') return { channel: 'sms', sms: smsOfStored(stored) };
      return { channel: 'email', email: await emailOfStored(stored) };
    });
  }
}

/** Picks the version for a customer's locale from a template's current versions (see resolveVersion). */
export function pickTemplateVersion(versions: ResolvedTemplateVersion[], locale?: string | null): ResolvedTemplateVersion | undefined {
  const chosen = pickLocale(
    versions.map((v) => v.locale),
    locale,
  );
  return versions.find((v) => v.locale === chosen);
}
