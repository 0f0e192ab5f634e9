// The suppression list. The customer pages are admin-customers.controller.ts, the segment pages
// admin-segments.controller.ts, the template pages admin-templates.controller.ts.
import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { IdPipe } from '../common/zod-validation';
import { SuppressionService } from '../customers/suppression/suppression.service';
import { AdminErrorFilter, AdminRole, AdminSessionGuard, sendPage, type AdminRequest } from './admin-http';
import { errorNotice, noticeOf, text, type Form } from './admin-forms';
import { suppressionPage } from './views/base';
import { ui } from './views/layout';

@ApiExcludeController()
@Public()
@UseGuards(AdminSessionGuard)
@UseFilters(AdminErrorFilter)
@Controller('admin')
export class AdminBaseController {
  constructor(private readonly suppression: SuppressionService) {}

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
