// Pages over the customer base: segments (JSON rules with a live count), templates (list, edit a
// locale's source, preview) and the suppression list. The customer pages are admin-customers.controller.ts.
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { DomainError } from '../common/domain-error';
import { IdPipe, zodIssues } from '../common/zod-validation';
import { SuppressionService } from '../customers/suppression/suppression.service';
import { AudienceService } from '../segments/audience.service';
import { fieldCatalogue } from '../segments/dsl/field-catalogue';
import { segmentRulesSchema } from '../segments/dsl/segment-rules';
import { SegmentsService } from '../segments/segments.service';
import { saveVersionBody } from '../templates/dto/templates.dto';
import { AdminErrorFilter, AdminRole, AdminSessionGuard, sendPage, type AdminRequest } from './admin-http';
import { errorNotice, noticeOf, text, type Form } from './admin-forms';
import { AdminServices } from './admin-services';
import {
  segmentDescription,
  segmentName,
  segmentPage,
  segmentsPage,
  suppressionPage,
  templatePage,
  templatesPage,
  type FieldInfo,
} from './views/base';
import { ui } from './views/layout';

@ApiExcludeController()
@Public()
@UseGuards(AdminSessionGuard)
@UseFilters(AdminErrorFilter)
@Controller('admin')
export class AdminBaseController {
  constructor(
    private readonly suppression: SuppressionService,
    private readonly segments: SegmentsService,
    private readonly audience: AudienceService,
    private readonly services: AdminServices,
  ) {}

  // ── segments ──

  @Get('segments')
  async segmentList(@Query('done') done: unknown, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    sendPage(response, 200, segmentsPage(request.adminSession!, await this.segments.list(), noticeOf(done, ui(request.adminSession!))));
  }

  @Get('segments/new')
  newSegment(@Req() request: AdminRequest, @Res() response: Response): void {
    sendPage(
      response,
      200,
      segmentPage(
        request.adminSession!,
        { id: null, name: '', description: null, rules: '{"all":[{"field":"tags","op":"has","value":"vip"}]}' },
        fieldsTable(),
        null,
      ),
    );
  }

  @Get('segments/:id')
  async segment(
    @Param('id', IdPipe) id: number,
    @Query('done') done: unknown,
    @Req() request: AdminRequest,
    @Res() response: Response,
  ): Promise<void> {
    const s = await this.segments.get(id);
    sendPage(
      response,
      200,
      segmentPage(
        request.adminSession!,
        {
          id: s.id,
          name: segmentName(ui(request.adminSession!), s),
          description: segmentDescription(ui(request.adminSession!), s),
          rules: JSON.stringify(s.rules, null, 2),
        },
        fieldsTable(),
        noticeOf(done, ui(request.adminSession!)),
      ),
    );
  }

  /** The live count of unsaved rules (JSON for admin.js); changes nothing, so viewers may. */
  @Post('segments/count')
  @HttpCode(200)
  @AdminRole('viewer')
  async count(@Body() body: Form, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    const u = ui(request.adminSession!);
    try {
      const count = await this.audience.count({ rules: parseRules(body) });
      response.json({ count, shown: u.f.number(count) });
    } catch (error) {
      response.status(400).json({ error: errorNotice(error, u).text });
    }
  }

  @Post('segments')
  async createSegment(@Body() body: Form, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    try {
      const created = await this.segments.create({
        name: text(body, 'name', { required: true, max: 200 }),
        description: text(body, 'description') || null,
        rules: parseRules(body),
      });
      response.redirect(303, `/admin/segments/${created.id}?done=created`);
    } catch (error) {
      sendPage(
        response,
        400,
        segmentPage(
          request.adminSession!,
          { id: null, name: text(body, 'name'), description: text(body, 'description'), rules: text(body, 'rules') },
          fieldsTable(),
          errorNotice(error, ui(request.adminSession!)),
        ),
      );
    }
  }

  @Post('segments/:id')
  async saveSegment(
    @Param('id', IdPipe) id: number,
    @Body() body: Form,
    @Req() request: AdminRequest,
    @Res() response: Response,
  ): Promise<void> {
    try {
      await this.segments.update(id, {
        name: text(body, 'name', { required: true, max: 200 }),
        description: text(body, 'description') || null,
        rules: parseRules(body),
      });
      response.redirect(303, `/admin/segments/${id}?done=saved`);
    } catch (error) {
      sendPage(
        response,
        400,
        segmentPage(
          request.adminSession!,
          { id, name: text(body, 'name'), description: text(body, 'description'), rules: text(body, 'rules') },
          fieldsTable(),
          errorNotice(error, ui(request.adminSession!)),
        ),
      );
    }
  }

  // ── templates ──

  @Get('templates')
  async templateList(@Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    sendPage(response, 200, templatesPage(request.adminSession!, (await this.services.templateEditor.list({})).items));
  }

  @Get('templates/:id')
  async template(
    @Param('id', IdPipe) id: number,
    @Query('done') done: unknown,
    @Req() request: AdminRequest,
    @Res() response: Response,
  ): Promise<void> {
    await this.sendTemplate(request, response, id, 200, noticeOf(done, ui(request.adminSession!)));
  }

  /** Saves the edited source as a new version of the locale, then shows its preview. */
  @Post('templates/:id')
  async saveTemplate(
    @Param('id', IdPipe) id: number,
    @Body() body: Form,
    @Req() request: AdminRequest,
    @Res() response: Response,
  ): Promise<void> {
    try {
      const locale = text(body, 'locale') || undefined;
      // The form edits subject and body; the data declaration (what campaigns are checked
      // against) stays that of the locale's current version rather than being dropped.
      const current = locale ? (await this.services.templateEditor.get(id)).current.find((v) => v.locale === locale) : undefined;
      const parsed = saveVersionBody.safeParse({
        locale,
        subject: typeof body.subject === 'string' ? body.subject : undefined,
        body: typeof body.body === 'string' ? body.body : '',
        ...(current?.dataSchema.length ? { dataSchema: current.dataSchema } : {}),
      });
      if (!parsed.success) throw DomainError.validation(zodIssues(parsed.error));
      await this.services.templateEditor.saveVersion(id, parsed.data, `admin UI: ${request.adminSession!.user.email}`);
      response.redirect(303, `/admin/templates/${id}?done=saved`);
    } catch (error) {
      // The page shows the refused source again, not the saved version, so nothing typed is lost.
      await this.sendTemplate(request, response, id, 400, errorNotice(error, ui(request.adminSession!)), {
        subject: typeof body.subject === 'string' ? body.subject : null,
        body: typeof body.body === 'string' ? body.body : '',
      });
    }
  }

  private async sendTemplate(
    request: AdminRequest,
    response: Response,
    id: number,
    status: number,
    notice: ReturnType<typeof noticeOf>,
    typed?: { subject: string | null; body: string },
  ): Promise<void> {
    const template = await this.services.templateEditor.get(id);
    const current = template.current[0] ?? null;
    let preview: { subject?: string; html?: string; text?: string; warnings: Array<{ path: string; message: string }> };
    try {
      preview = await this.services.templatePreview.preview(id, current ? { locale: current.locale } : {});
    } catch (error) {
      preview = { warnings: [{ path: 'preview', message: errorNotice(error, ui(request.adminSession!)).text }] };
    }
    sendPage(
      response,
      status,
      templatePage(
        request.adminSession!,
        template,
        current ? { locale: current.locale, subject: typed?.subject ?? current.subject, body: typed?.body ?? current.body } : null,
        preview,
        notice,
      ),
    );
  }

  // ── suppression ──

  @Get('suppression')
  async suppressionList(@Query('done') done: unknown, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    sendPage(
      response,
      200,
      suppressionPage(request.adminSession!, await this.suppression.list({ limit: 200 }), noticeOf(done, ui(request.adminSession!))),
    );
  }

  @Post('suppression')
  @AdminRole('admin')
  async suppress(@Body() body: Form, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    const channel = text(body, 'channel') === 'sms' ? 'sms' : 'email';
    try {
      await this.suppression.suppress(
        channel,
        text(body, 'address', { required: true, max: 320 }),
        'manual',
        `admin UI: ${request.adminSession!.user.email}`,
      );
      response.redirect(303, '/admin/suppression?done=created');
    } catch (error) {
      sendPage(
        response,
        400,
        suppressionPage(request.adminSession!, await this.suppression.list({ limit: 200 }), errorNotice(error, ui(request.adminSession!)), {
          channel,
          address: text(body, 'address'),
        }),
      );
    }
  }

  @Post('suppression/:id/delete')
  @AdminRole('admin')
  async unsuppress(@Param('id', IdPipe) id: number, @Res() response: Response): Promise<void> {
    await this.suppression.remove(id);
    response.redirect(303, '/admin/suppression?done=deleted');
  }
}

function parseRules(body: Form): never {
  let json: unknown;
  try {
    json = JSON.parse(text(body, 'rules', { required: true, max: 100_000 }));
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw DomainError.validation([{ path: 'rules', message: `not valid JSON (${(error as Error).message})` }]);
  }
  const parsed = segmentRulesSchema.safeParse(json);
  if (!parsed.success) throw DomainError.validation(zodIssues(parsed.error, 'rules'));
  return parsed.data as never;
}

function fieldsTable(): FieldInfo[] {
  return fieldCatalogue().map((f) => ({ field: f.field, kind: f.type ?? f.kind, ops: f.ops }));
}
