// Pages over the customer base: templates (list, edit a locale's source, preview) and the
// suppression list. The customer pages are admin-customers.controller.ts, the segment pages
// admin-segments.controller.ts.
import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { DomainError } from '../common/domain-error';
import { IdPipe, zodIssues } from '../common/zod-validation';
import { SuppressionService } from '../customers/suppression/suppression.service';
import { saveVersionBody } from '../templates/dto/templates.dto';
import { AdminErrorFilter, AdminRole, AdminSessionGuard, sendPage, type AdminRequest } from './admin-http';
import { errorNotice, noticeOf, text, type Form } from './admin-forms';
import { AdminServices } from './admin-services';
import { suppressionPage, templatePage, templatesPage } from './views/base';
import { ui } from './views/layout';

@ApiExcludeController()
@Public()
@UseGuards(AdminSessionGuard)
@UseFilters(AdminErrorFilter)
@Controller('admin')
export class AdminBaseController {
  constructor(
    private readonly suppression: SuppressionService,
    private readonly services: AdminServices,
  ) {}

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
        preheader: typeof body.preheader === 'string' && body.preheader !== '' ? body.preheader : undefined,
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
        preheader: typeof body.preheader === 'string' ? body.preheader : null,
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
    typed?: { subject: string | null; preheader: string | null; body: string },
  ): Promise<void> {
    const template = await this.services.templateEditor.get(id);
    const current = template.current[0] ?? null;
    // The preview is the page's template-preview module (admin-template-preview.controller.ts): it renders what is typed.
    sendPage(
      response,
      status,
      templatePage(
        request.adminSession!,
        template,
        current
          ? {
              locale: current.locale,
              subject: typed ? typed.subject : current.subject,
              preheader: typed ? typed.preheader : current.preheader,
              body: typed?.body ?? current.body,
            }
          : null,
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
