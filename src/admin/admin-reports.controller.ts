// The admin reports: bounces, complaints, the leads inbox and the base-cleanup log with its undo
// and apply buttons, and the address changes waiting for a decision.
import { Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { IdPipe } from '../common/zod-validation';
import { ReportsService } from '../reports/reports.service';
import { AdminErrorFilter, AdminRole, AdminSessionGuard, sendPage, type AdminRequest } from './admin-http';
import { noticeOf } from './admin-forms';
import { ui } from './views/layout';
import { AdminServices } from './admin-services';
import { bouncesPage, cleanupPage, complaintsPage, leadsPage } from './views/reports';

const LIMIT = 200;

@ApiExcludeController()
@Public()
@UseGuards(AdminSessionGuard)
@UseFilters(AdminErrorFilter)
@Controller('admin/reports')
export class AdminReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly services: AdminServices,
  ) {}

  @Get('bounces')
  async bounces(@Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    sendPage(response, 200, bouncesPage(request.adminSession!, await this.reports.bounces({ limit: 50 })));
  }

  @Get('complaints')
  async complaints(@Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    sendPage(response, 200, complaintsPage(request.adminSession!, await this.reports.complaints({ limit: LIMIT })));
  }

  @Get('leads')
  async leads(@Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    sendPage(response, 200, leadsPage(request.adminSession!, await this.reports.leads({ limit: LIMIT })));
  }

  @Get('cleanup')
  async cleanup(@Query('done') done: unknown, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    const [report, proposals] = await Promise.all([
      this.reports.cleanup({ limit: LIMIT }),
      this.services.addressChanges.list({ status: 'pending', limit: LIMIT }),
    ]);
    sendPage(response, 200, cleanupPage(request.adminSession!, report, proposals, noticeOf(done, ui(request.adminSession!))));
  }

  /** Admins only: puts back what the feedback loop changed for this entry. */
  @Post('cleanup/:id/undo')
  @AdminRole('admin')
  async undo(@Param('id', IdPipe) id: number, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    await this.services.cleanup.undo(id, `admin UI: ${request.adminSession!.user.email}`);
    response.redirect(303, '/admin/reports/cleanup?done=undone');
  }

  /** Admins only: applies a change the feedback loop withheld because the message did not prove it. */
  @Post('cleanup/:id/apply')
  @AdminRole('admin')
  async apply(@Param('id', IdPipe) id: number, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    await this.services.feedback.applyWithheld(id, `admin UI: ${request.adminSession!.user.email}`);
    response.redirect(303, '/admin/reports/cleanup?done=applied');
  }

  /** Admins only: an address change («пишите на X») takes effect: the old address retires, the new one becomes the contact. */
  @Post('address-changes/:id/accept')
  @AdminRole('admin')
  async acceptAddressChange(@Param('id', IdPipe) id: number, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    await this.services.addressChanges.accept(id, `admin UI: ${request.adminSession!.user.email}`);
    response.redirect(303, '/admin/reports/cleanup?done=accepted');
  }

  /** Admins only: the proposal is dropped; nothing changes. */
  @Post('address-changes/:id/reject')
  @AdminRole('admin')
  async rejectAddressChange(@Param('id', IdPipe) id: number, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    await this.services.addressChanges.reject(id, `admin UI: ${request.adminSession!.user.email}`);
    response.redirect(303, '/admin/reports/cleanup?done=rejected');
  }
}
