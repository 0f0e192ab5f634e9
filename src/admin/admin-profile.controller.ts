// Each user's own preferences: the language of the pages (also one click in the navigation) and
// the time zone they show times in.
import { All, Body, Controller, Get, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { AdminAuthService } from './admin-auth.service';
import { AdminErrorFilter, AdminRole, AdminSessionGuard, localPath, PageNotFound, sendPage, type AdminRequest } from './admin-http';
import { errorNotice, noticeOf, text, type Form } from './admin-forms';
import { localeOf } from './i18n/t';
import { ui } from './views/layout';
import { profilePage } from './views/settings';

/** The zones offered in the time-zone field (any IANA name is accepted). */
const ZONES = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

@ApiExcludeController()
@Public()
@UseGuards(AdminSessionGuard)
@UseFilters(AdminErrorFilter)
@Controller('admin/profile')
export class AdminProfileController {
  constructor(private readonly auth: AdminAuthService) {}

  @Get()
  show(@Query('done') done: unknown, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    const session = request.adminSession!;
    return this.send(request, response, 200, noticeOf(done, ui(session)));
  }

  /** Every signed-in user may change their own preferences, a viewer too. */
  @Post()
  @AdminRole('viewer')
  async save(@Body() body: Form, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    const session = request.adminSession!;
    const zone = text(body, 'timeZone', { max: 64 });
    try {
      await this.auth.setPreferences(session.user.id, { locale: localeOf(text(body, 'locale')), timeZone: zone || null });
      response.redirect(303, '/admin/profile?done=profileSaved');
    } catch (error) {
      await this.send(request, response, 400, errorNotice(error, ui(session)), zone);
    }
  }

  /** The language switch in the navigation: back to the page it was pressed on. */
  @Post('locale')
  @AdminRole('viewer')
  async switchLocale(@Body() body: Form, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    await this.auth.setLocale(request.adminSession!.user.id, localeOf(text(body, 'locale')));
    response.redirect(303, localPath(body.back, '/admin'));
  }

  private async send(
    request: AdminRequest,
    response: Response,
    status: number,
    notice: ReturnType<typeof noticeOf>,
    typedZone?: string,
  ): Promise<void> {
    const session = request.adminSession!;
    const user = await this.auth.findUser(session.user.email);
    sendPage(
      response,
      status,
      profilePage(
        session,
        { zones: ZONES, defaultZone: this.auth.installationTimeZone, ownZone: user?.timeZone ?? null, typedZone },
        notice,
      ),
    );
  }
}

/** Registered last: any other /admin URL is an HTML 404 (after sign-in), not the API's JSON. */
@ApiExcludeController()
@Public()
@UseGuards(AdminSessionGuard)
@UseFilters(AdminErrorFilter)
@Controller('admin')
export class AdminNotFoundController {
  @All('*path')
  @AdminRole('viewer')
  notFound(@Req() request: AdminRequest): never {
    throw new PageNotFound(request.path);
  }
}
