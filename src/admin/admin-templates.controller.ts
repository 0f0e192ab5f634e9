// The template pages: the list and its create form, a template's page per locale (edit form,
// add a locale, rename, clone, delete) and the version history (one version, its diff with the
// current one, restore). A refused save shows the page again with everything typed kept and
// the errors at their fields and lines; the preview on the page is another module's.
import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { Public } from '../auth/auth.decorators';
import { DomainError, type FieldIssue } from '../common/domain-error';
import { ownValue } from '../common/own-value';
import { IdPipe, zodIssues } from '../common/zod-validation';
import { createTemplateBody, localeSchema, saveVersionBody, templateKey, updateTemplateBody } from '../templates/dto/templates.dto';
import type { DataField } from '../templates/render/data-fields';
import type { VersionView } from '../templates/template-views';
import { AdminErrorFilter, AdminSessionGuard, BUILDER_PAGE_POLICY, sendPage, type AdminRequest } from './admin-http';
import { noticeOf, text, typedValues, type Form } from './admin-forms';
import { AdminServices } from './admin-services';
import { t as translate, type MessageKey } from './i18n/t';
import { dataFieldsText, diffRows, emailSkeleton, literalText, parseDataFieldsText } from './template-form';
import { ui, type Notice } from './views/layout';
import {
  templateNotice,
  templatePage,
  templatesPage,
  versionPage,
  versionsPage,
  versionText,
  type CreateTemplateForm,
  type TemplateDraft,
  type TemplatePageOptions,
} from './views/templates';

/** Notices of this area after a redirect (`?done=key`), beside the shared ones. */
const DONE: Record<string, MessageKey> = { restored: 'tpl.restored', localeAdded: 'tpl.localeAdded', cloned: 'tpl.cloned' };

const cloneBody = z.object({ key: templateKey, name: z.string().trim().min(1).max(200) });
const addLocaleBody = z.object({ from: localeSchema, locale: localeSchema });

type TemplateOfEditor = Awaited<ReturnType<AdminServices['templateEditor']['get']>>;

function draftOf(version: VersionView): TemplateDraft {
  return {
    locale: version.locale,
    subject: version.subject ?? '',
    preheader: version.preheader ?? '',
    body: version.body,
    dataFields: dataFieldsText(version.dataSchema),
  };
}

function typedDraft(body: Form, locale: string): TemplateDraft {
  // browsers post a textarea's lines with CRLF; stored sources keep the files' LF
  const raw = (field: string) => (typeof body[field] === 'string' ? body[field].replace(/\r\n?/g, '\n') : '');
  return { locale, subject: raw('subject'), preheader: raw('preheader'), body: raw('body'), dataFields: raw('dataFields') };
}

/** Issues of a refused form, or rethrown when the error is not a refusal. */
function refusal(error: unknown): DomainError {
  if (error instanceof DomainError && (error.code === 'validation_failed' || error.code === 'conflict')) return error;
  throw error;
}

@ApiExcludeController()
@Public()
@UseGuards(AdminSessionGuard)
@UseFilters(AdminErrorFilter)
@Controller('admin')
export class AdminTemplatesController {
  constructor(private readonly services: AdminServices) {}

  private get editor() {
    return this.services.templateEditor;
  }

  private author(request: AdminRequest): string {
    return `admin UI: ${request.adminSession!.user.email}`;
  }

  private notice(done: unknown, request: AdminRequest): Notice | null {
    const u = ui(request.adminSession!);
    const key = typeof done === 'string' ? ownValue(DONE, done) : undefined;
    return key ? { kind: 'ok', text: u.t(key) } : noticeOf(done, u);
  }

  // ── the list and a new template ──

  @Get('templates')
  async templateList(@Query('done') done: unknown, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    sendPage(response, 200, templatesPage(request.adminSession!, (await this.editor.list({})).items, this.notice(done, request)));
  }

  /** A new template with one locale whose first version is a small valid skeleton. */
  @Post('templates')
  async createTemplate(@Body() body: Form, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    const session = request.adminSession!;
    const typed = typedValues(body);
    const form: CreateTemplateForm = {
      key: typed.key ?? '',
      name: typed.name ?? '',
      channel: typed.channel === 'sms' ? 'sms' : 'email',
      locale: typed.locale ?? 'ru',
      description: typed.description ?? '',
    };
    try {
      const locale = localeSchema.safeParse(form.locale);
      const greeting = translate(locale.success && locale.data === 'en' ? 'en' : 'ru', 'tpl.skeletonGreeting');
      const parsed = createTemplateBody.safeParse({
        key: form.key.trim(),
        name: form.name,
        channel: text(body, 'channel'),
        locale: form.locale,
        ...(form.description.trim() ? { description: form.description } : {}),
        ...(form.channel === 'email'
          ? { subject: literalText(form.name.trim() || form.key), body: emailSkeleton(greeting) }
          : { body: greeting }),
      });
      if (!parsed.success) throw DomainError.validation(zodIssues(parsed.error));
      const created = await this.editor.create(parsed.data, this.author(request));
      response.redirect(303, `/admin/templates/${created.id}?locale=${parsed.data.locale ?? ''}&done=created`);
    } catch (error) {
      const refused = refusal(error);
      const items = (await this.editor.list({})).items;
      sendPage(response, 400, templatesPage(session, items, templateNotice(ui(session), refused.issues, refused.message), form));
    }
  }

  // ── one template ──

  @Get('templates/:id')
  async template(
    @Param('id', IdPipe) id: number,
    @Query('locale') locale: unknown,
    @Query('done') done: unknown,
    @Req() request: AdminRequest,
    @Res() response: Response,
  ): Promise<void> {
    const template = await this.editor.get(id);
    const version = this.versionOf(template, locale);
    this.sendTemplate(response, 200, request, template, version ? draftOf(version) : null, {
      notice: this.notice(done, request),
      warnings: version?.warnings ?? [],
      dataSchema: version?.dataSchema ?? [],
    });
  }

  /** Saves the form as a new version of its locale; refused: 400 with everything typed and the errors at their lines. */
  @Post('templates/:id')
  async saveTemplate(
    @Param('id', IdPipe) id: number,
    @Body() body: Form,
    @Req() request: AdminRequest,
    @Res() response: Response,
  ): Promise<void> {
    const template = await this.editor.get(id);
    const current = this.versionOf(template, text(body, 'locale'));
    const locale = current?.locale ?? text(body, 'locale');
    const draft = typedDraft(body, locale);
    const declared = parseDataFieldsText(draft.dataFields);
    try {
      const email = template.channel === 'email';
      const parsed = saveVersionBody.safeParse({
        locale,
        body: draft.body,
        ...(email ? { subject: draft.subject, preheader: draft.preheader } : {}),
        ...(declared.fields.length ? { dataSchema: declared.fields } : {}),
        // what the form does not edit stays that of the current version
        ...(current?.text !== null && current?.text !== undefined ? { text: current.text } : {}),
        ...(current?.maxSegments !== null && current?.maxSegments !== undefined ? { maxSegments: current.maxSegments } : {}),
      });
      const issues: FieldIssue[] = [...(parsed.success ? [] : zodIssues(parsed.error)), ...declared.issues];
      if (issues.length || !parsed.success) throw DomainError.validation(issues);
      await this.editor.saveVersion(id, parsed.data, this.author(request));
      response.redirect(303, `/admin/templates/${id}?locale=${encodeURIComponent(locale)}&done=saved`);
    } catch (error) {
      const refused = refusal(error);
      const u = ui(request.adminSession!);
      const notice: Notice = refused.issues.length
        ? { kind: 'error', text: u.t('tpl.refused', { n: refused.issues.length }) }
        : { kind: 'error', text: refused.message };
      this.sendTemplate(response, 400, request, template, draft, {
        notice,
        errors: refused.issues,
        dataSchema: declared.issues.length ? (current?.dataSchema ?? []) : declared.fields,
      });
    }
  }

  /** A new locale whose first version copies the locale the page showed. */
  @Post('templates/:id/locales')
  async addLocale(
    @Param('id', IdPipe) id: number,
    @Body() body: Form,
    @Req() request: AdminRequest,
    @Res() response: Response,
  ): Promise<void> {
    try {
      const parsed = addLocaleBody.safeParse({ from: text(body, 'from'), locale: text(body, 'locale') });
      if (!parsed.success) throw DomainError.validation(zodIssues(parsed.error));
      await this.editor.addLocale(id, parsed.data.from, parsed.data.locale, this.author(request));
      response.redirect(303, `/admin/templates/${id}?locale=${encodeURIComponent(parsed.data.locale)}&done=localeAdded`);
    } catch (error) {
      await this.refusedOnPage(error, request, response, id, text(body, 'from'), { addLocale: text(body, 'locale') });
    }
  }

  @Post('templates/:id/details')
  async saveDetails(
    @Param('id', IdPipe) id: number,
    @Body() body: Form,
    @Req() request: AdminRequest,
    @Res() response: Response,
  ): Promise<void> {
    const details = {
      name: typeof body.name === 'string' ? body.name : '',
      description: typeof body.description === 'string' ? body.description : '',
      embedImages: body.embedImages === '1',
    };
    try {
      const template = await this.editor.get(id);
      const parsed = updateTemplateBody.safeParse({
        name: details.name,
        description: details.description.trim() || null,
        // the checkbox is on email templates' form only
        ...(template.channel === 'email' ? { embedImages: details.embedImages } : {}),
      });
      if (!parsed.success) throw DomainError.validation(zodIssues(parsed.error));
      await this.editor.update(id, parsed.data);
      response.redirect(303, `/admin/templates/${id}?done=saved`);
    } catch (error) {
      await this.refusedOnPage(error, request, response, id, undefined, { details });
    }
  }

  /** A copy under a new key with every locale's current version; opens the copy. */
  @Post('templates/:id/clone')
  async cloneTemplate(
    @Param('id', IdPipe) id: number,
    @Body() body: Form,
    @Req() request: AdminRequest,
    @Res() response: Response,
  ): Promise<void> {
    const clone = { key: text(body, 'key'), name: typeof body.name === 'string' ? body.name : '' };
    try {
      const parsed = cloneBody.safeParse(clone);
      if (!parsed.success) throw DomainError.validation(zodIssues(parsed.error));
      const copy = await this.editor.clone(id, parsed.data, this.author(request));
      response.redirect(303, `/admin/templates/${copy.id}?done=cloned`);
    } catch (error) {
      await this.refusedOnPage(error, request, response, id, undefined, { clone });
    }
  }

  /** Deleted unless built in or in use; the service's refusal is shown on the page. */
  @Post('templates/:id/delete')
  async deleteTemplate(@Param('id', IdPipe) id: number, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    try {
      await this.editor.remove(id);
      response.redirect(303, '/admin/templates?done=deleted');
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'conflict') throw error;
      const u = ui(request.adminSession!);
      const uses = /in use \((.+)\)/.exec(error.message)?.[1];
      const reason = /built in/.test(error.message) ? u.t('tpl.delete.builtIn') : uses ? u.t('tpl.delete.inUse', { uses }) : error.message;
      const template = await this.editor.get(id);
      const version = this.versionOf(template, undefined);
      this.sendTemplate(response, 409, request, template, version ? draftOf(version) : null, {
        notice: { kind: 'error', text: u.t('tpl.delete.refused', { reason }) },
        warnings: version?.warnings ?? [],
        dataSchema: version?.dataSchema ?? [],
      });
    }
  }

  // ── version history ──

  @Get('templates/:id/versions')
  async versions(
    @Param('id', IdPipe) id: number,
    @Query('locale') locale: unknown,
    @Req() request: AdminRequest,
    @Res() response: Response,
  ): Promise<void> {
    const template = await this.editor.get(id);
    const shown = this.versionOf(template, locale)?.locale ?? (typeof locale === 'string' ? locale : '');
    const rows = shown ? (await this.editor.listVersions(id, shown)).items : [];
    sendPage(response, 200, versionsPage(request.adminSession!, template, shown, rows, null));
  }

  @Get('templates/:id/versions/:versionId')
  async version(
    @Param('id', IdPipe) id: number,
    @Param('versionId', IdPipe) versionId: number,
    @Req() request: AdminRequest,
    @Res() response: Response,
  ): Promise<void> {
    const u = ui(request.adminSession!);
    const [template, version] = await Promise.all([this.editor.get(id), this.editor.getVersion(id, versionId)]);
    const current = template.current.find((v) => v.locale === version.locale) ?? null;
    const content = { ...draftOf(version), subject: version.subject, preheader: version.preheader };
    const diff = current ? diffRows(versionText(u, content), versionText(u, { ...draftOf(current), subject: current.subject })) : null;
    sendPage(
      response,
      200,
      versionPage(
        request.adminSession!,
        template,
        { ...content, id: version.id, version: version.version, createdBy: version.createdBy, createdAt: version.createdAt },
        current,
        diff,
      ),
    );
  }

  /** Saves an older version's content as the locale's new current version. */
  @Post('templates/:id/versions/:versionId/restore')
  async restore(
    @Param('id', IdPipe) id: number,
    @Param('versionId', IdPipe) versionId: number,
    @Req() request: AdminRequest,
    @Res() response: Response,
  ): Promise<void> {
    const version = await this.editor.getVersion(id, versionId);
    try {
      await this.editor.restore(id, versionId, this.author(request));
      response.redirect(303, `/admin/templates/${id}?locale=${encodeURIComponent(version.locale)}&done=restored`);
    } catch (error) {
      // the old content no longer passes today's checks: shown in the form with its errors
      const refused = refusal(error);
      const u = ui(request.adminSession!);
      this.sendTemplate(response, 400, request, await this.editor.get(id), draftOf(version), {
        notice: { kind: 'error', text: u.t('tpl.refused', { n: Math.max(1, refused.issues.length) }) },
        errors: refused.issues,
        dataSchema: version.dataSchema,
      });
    }
  }

  // ── helpers ──

  /** The version of the asked locale, else the first one. */
  private versionOf(template: TemplateOfEditor, locale: unknown): VersionView | undefined {
    return (typeof locale === 'string' && template.current.find((v) => v.locale === locale)) || template.current[0];
  }

  private async refusedOnPage(
    error: unknown,
    request: AdminRequest,
    response: Response,
    id: number,
    locale: string | undefined,
    typed: Pick<TemplatePageOptions, 'details' | 'clone' | 'addLocale'>,
  ): Promise<void> {
    const refused = refusal(error);
    const template = await this.editor.get(id);
    const version = this.versionOf(template, locale);
    this.sendTemplate(response, 400, request, template, version ? draftOf(version) : null, {
      notice: templateNotice(ui(request.adminSession!), refused.issues, refused.message),
      warnings: version?.warnings ?? [],
      dataSchema: version?.dataSchema ?? [],
      ...typed,
    });
  }

  private sendTemplate(
    response: Response,
    status: number,
    request: AdminRequest,
    template: TemplateOfEditor,
    draft: TemplateDraft | null,
    options: TemplatePageOptions & { dataSchema: DataField[] },
  ): void {
    // The visual builder draws the email with inline styles: this page has the builder's policy.
    sendPage(response, status, templatePage(request.adminSession!, template, draft, options), BUILDER_PAGE_POLICY);
  }
}
