// Templates as marketers edit them: create, list, save a new version of a locale variant
// (every save is a new immutable version, validated and compiled first), reset a built-in
// variant to its file, delete, and check a draft without saving.

import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DomainError, type FieldIssue } from '../common/domain-error';
import type { AppConfig } from '../config/config.module';
import type { TemplateChannel } from '../generated/prisma/enums';
import { DefaultTemplatesLoader, FILE_AUTHOR } from './default-templates.loader';
import type { CreateTemplateInput, SaveVersionInput, UpdateTemplateInput, ValidateTemplateInput } from './dto/templates.dto';
import { checkSms, sampleContext, type SmsLengthReport } from './render';
import { fieldIssueOf, fieldWarningOf, templateInvalid, type TemplateFieldIssue, type TemplateFieldWarning } from './template-issues';
import { compileVersionSource, versionSource, versionSourceOfFile, type CompiledVersion, type VersionSource } from './template-source';
import { templateSummary, versionView, type LocaleSummary, type VersionView } from './template-views';
import { DEFAULT_SET_LOCK, TemplatesRepository, type TemplateListFilter } from './templates.repository';

export interface ValidationReport {
  valid: boolean;
  errors: TemplateFieldIssue[];
  warnings: TemplateFieldWarning[];
  /** SMS: the text and segment report of a render for a sample customer of the locale */
  sample?: { text: string; sms: SmsLengthReport; warnings: string[] };
}

const SMS_ONLY = 'maxSegments';
const EMAIL_ONLY = ['subject', 'preheader', 'text'] as const;

/** Fields that do not belong to the channel. */
function channelIssues(channel: TemplateChannel, input: SaveVersionInput): FieldIssue[] {
  if (channel === 'sms') {
    return EMAIL_ONLY.filter((field) => input[field] !== undefined).map((field) => ({
      path: field,
      message: `SMS templates have no ${field}`,
    }));
  }
  return input.maxSegments !== undefined ? [{ path: SMS_ONLY, message: 'only SMS templates have a segment limit' }] : [];
}

/** The content of a stored version as a save request (without its locale). */
function copyOf(v: VersionView): Omit<SaveVersionInput, 'locale'> {
  return {
    body: v.body,
    ...(v.subject !== null ? { subject: v.subject } : {}),
    ...(v.preheader !== null ? { preheader: v.preheader } : {}),
    ...(v.text !== null ? { text: v.text } : {}),
    ...(v.maxSegments !== null ? { maxSegments: v.maxSegments } : {}),
    ...(v.dataSchema.length ? { dataSchema: v.dataSchema } : {}),
  };
}

@Injectable()
export class TemplateEditorService {
  constructor(
    private readonly templates: TemplatesRepository,
    private readonly defaults: DefaultTemplatesLoader,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {}

  async list(filter: TemplateListFilter) {
    const templates = await this.templates.list(filter);
    const locales = await this.localesOf(templates.map((t) => t.id));
    return { items: templates.map((t) => templateSummary(t, locales.get(t.id) ?? [])) };
  }

  /** A template with the current version of each locale in full. */
  async get(id: number) {
    const template = await this.templateOrThrow(id);
    const locales = (await this.localesOf([id])).get(id) ?? [];
    const [views, counts] = await Promise.all([
      this.templates.versionViews(locales.map((l) => l.versionId)),
      this.templates.versionCounts(id),
    ]);
    const versionCount = Object.fromEntries(counts.map((c) => [c.locale, c._count._all]));
    return { ...templateSummary(template, locales), current: views.map(versionView), versionCount };
  }

  async create(input: CreateTemplateInput, author: string) {
    const source = this.sourceOf(input.channel, input);
    const compiled = await this.compileOrThrow(source);
    // under the lock the default-set loader also takes, so a key is never taken twice
    const templateId = await this.templates.locked(DEFAULT_SET_LOCK, async (repository) => {
      const existing = await repository.findTemplateByKey(input.channel, input.key);
      if (existing) throw this.keyTaken(input.channel, input.key, existing.id);
      const template = await repository.createTemplate({
        key: input.key,
        name: input.name,
        channel: input.channel,
        description: input.description ?? null,
        builtIn: false,
      });
      await repository.insertVersion({ templateId: template.id, source, compiled, fromFile: false, createdBy: author });
      return template.id;
    });
    return this.get(templateId);
  }

  async update(id: number, input: UpdateTemplateInput) {
    await this.templateOrThrow(id);
    await this.templates.updateTemplate(id, input);
    return this.get(id);
  }

  /** Built-in templates and templates that campaigns, triggers or sent messages use stay. */
  async remove(id: number): Promise<void> {
    const template = await this.templateOrThrow(id);
    if (template.builtIn) {
      throw new DomainError('conflict', `Template ${template.key} is built in: it cannot be deleted; save a new version to change it`);
    }
    const refs = await this.templates.references(id);
    const used = Object.entries(refs).filter(([, n]) => n > 0);
    if (used.length) {
      throw new DomainError(
        'conflict',
        `Template ${template.key} is in use (${used.map(([what, n]) => `${n} ${what}`).join(', ')}); it cannot be deleted`,
      );
    }
    await this.templates.deleteTemplate(id);
  }

  /** Saves a new immutable version of one locale variant; 400 with line and column when invalid. */
  async saveVersion(id: number, input: SaveVersionInput, author: string) {
    const template = await this.templateOrThrow(id);
    const source = this.sourceOf(template.channel, input);
    const compiled = await this.compileOrThrow(source);
    const row = await this.templates.locked(id, (repository) =>
      repository.insertVersion({ templateId: id, source, compiled, fromFile: false, createdBy: author }),
    );
    return versionView(row);
  }

  async listVersions(id: number, locale?: string) {
    await this.templateOrThrow(id);
    const rows = await this.templates.listVersions(id, locale);
    const current = new Set((await this.templates.currentVersions([id])).map((v) => v.id));
    return { items: rows.map((row) => ({ ...row, current: current.has(row.id) })) };
  }

  async getVersion(id: number, versionId: number) {
    const row = await this.templates.versionView(versionId);
    if (!row || row.templateId !== id) throw DomainError.notFound('Template version', versionId);
    return versionView(row);
  }

  /** A built-in variant back to its file: a new version from templates/, which later releases update again. */
  async reset(id: number, locale: string) {
    const template = await this.templateOrThrow(id);
    if (!template.builtIn)
      throw new DomainError('conflict', `Template ${template.key} is not built in: it has no default file to reset to`);
    const file = this.defaults.fileFor(template.channel, template.key, locale);
    if (!file) throw DomainError.notFound('Default template file', `${template.channel}/${template.key}.${locale}`);
    const source = versionSourceOfFile(file);
    const compiled = await this.compileOrThrow(source);
    const row = await this.templates.locked(id, (repository) =>
      repository.insertVersion({ templateId: id, source, compiled, fromFile: true, createdBy: FILE_AUTHOR }),
    );
    return versionView(row);
  }

  /** A new locale variant whose first version copies another locale's current one. */
  async addLocale(id: number, from: string, to: string, author: string) {
    const template = await this.get(id);
    const source = template.current.find((v) => v.locale === from);
    if (!source) throw DomainError.notFound('Template locale', from);
    if (template.current.some((v) => v.locale === to)) {
      throw new DomainError('conflict', `Template ${template.key} has the locale ${to} already`, [
        { path: 'locale', message: 'already exists' },
      ]);
    }
    return this.saveVersion(id, { ...copyOf(source), locale: to }, author);
  }

  /** A new template under another key with every locale's current version copied. */
  async clone(id: number, target: { key: string; name: string }, author: string) {
    const template = await this.get(id);
    const [first, ...rest] = template.current;
    if (!first) throw new DomainError('conflict', `Template ${template.key} has no version to copy`);
    const created = await this.create(
      {
        ...copyOf(first),
        locale: first.locale,
        key: target.key,
        name: target.name,
        channel: template.channel,
        description: template.description ?? undefined,
      },
      author,
    );
    for (const version of rest) await this.saveVersion(created.id, { ...copyOf(version), locale: version.locale }, author);
    return this.get(created.id);
  }

  /** An older version's content saved again as the locale's new current version. */
  async restore(id: number, versionId: number, author: string) {
    const version = await this.getVersion(id, versionId);
    return this.saveVersion(id, { ...copyOf(version), locale: version.locale }, author);
  }

  /** Checks a draft without saving: errors and warnings, and for SMS a sample render's length. */
  async validate(input: ValidateTemplateInput): Promise<ValidationReport> {
    const source = this.sourceOf(input.channel, input);
    const check = await compileVersionSource(source);
    if (!check.ok) return { valid: false, errors: check.errors.map(fieldIssueOf), warnings: check.warnings.map(fieldWarningOf) };
    const report: ValidationReport = { valid: true, errors: [], warnings: check.compiled.warnings.map(fieldWarningOf) };
    if (input.channel === 'sms') {
      const sms = checkSms({
        text: source.body,
        locale: source.locale,
        maxSegments: source.maxSegments ?? undefined,
        dataFields: source.dataFields,
      }).compiled!;
      const out = sms.render(sampleContext(source.locale));
      report.sample = { text: out.text, sms: out.length, warnings: out.warnings };
    }
    return report;
  }

  /** The version source of a request; 400 for fields the channel does not have. */
  private sourceOf(channel: TemplateChannel, input: SaveVersionInput): VersionSource {
    const misplaced = channelIssues(channel, input);
    if (misplaced.length) throw DomainError.validation(misplaced);
    return versionSource(channel, input.locale ?? this.config.get('DEFAULT_LOCALE', { infer: true }), input);
  }

  private async compileOrThrow(source: VersionSource): Promise<CompiledVersion> {
    const check = await compileVersionSource(source);
    if (!check.ok) throw templateInvalid(check.errors);
    return check.compiled;
  }

  private async templateOrThrow(id: number) {
    const template = await this.templates.findTemplate(id);
    if (!template) throw DomainError.notFound('Template', id);
    return template;
  }

  private keyTaken(channel: TemplateChannel, key: string, id: number): DomainError {
    return new DomainError('conflict', `An ${channel === 'sms' ? 'SMS' : 'email'} template with key ${key} exists (id ${id})`, [
      { path: 'key', message: 'already taken' },
    ]);
  }

  private async localesOf(templateIds: number[]): Promise<Map<number, LocaleSummary[]>> {
    const out = new Map<number, LocaleSummary[]>();
    if (!templateIds.length) return out;
    for (const v of await this.templates.currentVersions(templateIds)) {
      const list = out.get(v.templateId) ?? [];
      list.push({ locale: v.locale, versionId: v.id, version: v.version, fromFile: v.fromFile, savedAt: v.createdAt });
      out.set(v.templateId, list);
    }
    return out;
  }
}
