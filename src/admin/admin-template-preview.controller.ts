// The template editor's preview: the draft (what is typed, not what is saved) rendered for a
// customer picked by search or for the sample, as a frame document under the email frame's own
// policy and as JSON (subject, preheader, text part, SMS length, warnings); and a test send of
// the draft to a typed address. A viewer sees the saved version; a draft needs a marketer.
import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { roleAllows } from '../auth/roles';
import { DomainError, type FieldIssue } from '../common/domain-error';
import { IdPipe } from '../common/zod-validation';
import { CustomersService } from '../customers/customers.service';
import { CampaignRenderService } from '../delivery/campaign-render.service';
import { TemplatePreviewService } from '../templates/template-preview.service';
import { AdminErrorFilter, AdminRole, AdminSessionGuard, sendFrame, type AdminRequest } from './admin-http';
import { issueText, text, type Form } from './admin-forms';
import { html, SafeHtml } from './html';
import { readPreviewForm, type PreviewForm } from './template-preview-form';
import { nameOf } from './views/customers';
import { ui } from './views/layout';

/** Customers the picker lists for one query. */
const PICK_LIMIT = 10;

@ApiExcludeController()
@Public()
@UseGuards(AdminSessionGuard)
@UseFilters(AdminErrorFilter)
@Controller('admin')
export class AdminTemplatePreviewController {
  constructor(
    private readonly preview: TemplatePreviewService,
    private readonly customers: CustomersService,
    private readonly renderer: CampaignRenderService,
  ) {}

  /** The rendered email (or SMS text) as the preview frame's own document; errors are shown in the frame. */
  @Post('templates/:id/preview-frame')
  @AdminRole('viewer')
  async frame(@Param('id', IdPipe) id: number, @Body() body: Form, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    try {
      const form = this.readForm(request, body);
      const shown = await this.preview.previewDraft(id, form.locale, form.draft, form);
      sendFrame(response, shown.channel === 'email' ? shown.html : smsDocument(shown.text));
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'validation_failed') throw error;
      sendFrame(response, problemDocument(this.issueTexts(request, error)), 400);
    }
  }

  /** The draft's subject, preheader, text part, SMS length and warnings, as JSON. */
  @Post('templates/:id/preview')
  @AdminRole('viewer')
  async json(@Param('id', IdPipe) id: number, @Body() body: Form, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    try {
      const form = this.readForm(request, body);
      const shown = await this.preview.previewDraft(id, form.locale, form.draft, form);
      const warnings = shown.warnings.map((w) => ({
        path: w.path,
        message: w.message,
        ...('line' in w ? { line: w.line, column: w.column } : {}),
      }));
      const head = { locale: shown.locale, variant: shown.variant, customerId: shown.customerId, sample: shown.sample, warnings };
      if (shown.channel === 'sms') {
        const { encoding, units: length, segments, perSegment, characters, nonGsmCharacters } = shown.sms;
        response.status(200).json({
          ...head,
          subject: null,
          preheader: null,
          text: shown.text,
          sms: { encoding, length, characters, segments, perSegment, maxSegments: shown.maxSegments, nonGsmCharacters },
        });
        return;
      }
      response.status(200).json({ ...head, subject: shown.subject, preheader: shown.preheader, text: shown.text });
    } catch (error) {
      this.refuseJson(request, response, error);
    }
  }

  /** Sends the draft (or the saved version) rendered for the picked customer or the sample to a typed address. */
  @Post('templates/:id/test-send')
  @AdminRole('marketer')
  async testSend(
    @Param('id', IdPipe) id: number,
    @Body() body: Form,
    @Req() request: AdminRequest,
    @Res() response: Response,
  ): Promise<void> {
    try {
      const to = text(body, 'to', { required: true, max: 320 });
      const form = readPreviewForm(body);
      const compiled = await this.preview.compileDraft(id, form.locale, form.draft);
      const sent = await this.renderer.sendTemplateTest(compiled, form.customerId ?? null, to, form.context);
      response.status(200).json({ ok: true, messageId: sent.providerMessageId, to: sent.to, subject: sent.subject });
    } catch (error) {
      this.refuseJson(request, response, error);
    }
  }

  /** The picker's search: a name, an email, a phone, as the customers list's search box. */
  @Get('customers/pick')
  async pick(@Query('q') q: unknown, @Res() response: Response): Promise<void> {
    const query = typeof q === 'string' ? q.trim().slice(0, 100) : '';
    if (!query) {
      response.status(200).json({ items: [] });
      return;
    }
    const page = await this.customers.list({ q: query, limit: PICK_LIMIT });
    response.status(200).json({
      items: page.items.map((c) => ({ id: c.id, name: nameOf(c), email: c.email, locale: c.locale })),
    });
  }

  /** The posted fields; a draft needs a marketer (a viewer previews the saved version only). */
  private readForm(request: AdminRequest, body: Form): PreviewForm {
    const form = readPreviewForm(body);
    if (form.draft && !roleAllows(request.adminSession!.user.role, 'marketer')) return { ...form, draft: undefined };
    return form;
  }

  private issueTexts(request: AdminRequest, error: DomainError): string[] {
    const u = ui(request.adminSession!);
    return error.issues.length ? error.issues.map((issue) => issueText(u, issue)) : [error.message];
  }

  /** 400 with the fields named (in the user's language and as the API's paths); other errors go to the error filter. */
  private refuseJson(request: AdminRequest, response: Response, error: unknown): void {
    if (!(error instanceof DomainError) || error.code !== 'validation_failed') throw error;
    const issues: FieldIssue[] = error.issues;
    response.status(400).json({ ok: false, error: this.issueTexts(request, error).join('; '), issues });
  }
}

/** A small page of ours in the preview frame (the frame's policy allows its inline style). */
function frameDocument(style: string, body: SafeHtml): string {
  return html`<!doctype html>
    <html>
      <head>
        <meta charset="utf-8" />
        <style>
          ${new SafeHtml(style)}
        </style>
      </head>
      <body>
        ${body}
      </body>
    </html>`.value;
}

/** An SMS shown in the frame as a phone would: the text, line breaks kept. */
function smsDocument(textPart: string): string {
  return frameDocument(
    'body{font:16px/1.4 system-ui,sans-serif;margin:12px}p{white-space:pre-wrap;background:#e9e9eb;border-radius:16px;padding:10px 14px;max-width:320px}',
    html`<p>${textPart}</p>`,
  );
}

/** Why the draft cannot be shown, in the frame where the email would be. */
function problemDocument(lines: string[]): string {
  return frameDocument(
    'body{font:14px/1.4 system-ui,sans-serif;margin:12px;color:#8a1c1c}',
    html`<ul data-test="frame-problems">
      ${lines.map((line) => html`<li>${line}</li>`)}
    </ul>`,
  );
}
