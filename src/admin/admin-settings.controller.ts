// Settings (admins only): delivery configuration, senders, providers, API keys and users.
import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { AuthService } from '../auth/auth.service';
import { DomainError } from '../common/domain-error';
import { IdPipe } from '../common/zod-validation';
import type { AppConfig } from '../config/config.module';
import type { Role } from '../generated/prisma/enums';
import { AdminAuthService } from './admin-auth.service';
import { AdminErrorFilter, AdminRole, AdminSessionGuard, sendPage, type AdminRequest } from './admin-http';
import { errorNotice, noticeOf, text, type Form } from './admin-forms';
import { AdminSettingsRepository } from './admin-settings.repository';
import { ui, type Notice, type Ui } from './views/layout';
import { settingsPage, type SettingsView } from './views/settings';

const ROLES: readonly Role[] = ['admin', 'marketer', 'viewer'];

@ApiExcludeController()
@Public()
@AdminRole('admin')
@UseGuards(AdminSessionGuard)
@UseFilters(AdminErrorFilter)
@Controller('admin/settings')
export class AdminSettingsController {
  constructor(
    private readonly settings: AdminSettingsRepository,
    private readonly keys: AuthService,
    private readonly users: AdminAuthService,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {}

  @Get()
  async show(@Query('done') done: unknown, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    const session = request.adminSession!;
    // A key or password created by the POST before the redirect: shown on this page once.
    const flash = await this.users.takeFlash(session.sessionId);
    await this.send(request, response, 200, noticeOf(done, ui(session)), {
      secret: flash && flash.kind !== 'testSent' ? { kind: flash.kind, name: flash.name, value: flash.value } : null,
    });
  }

  /** Creates a key, keeps it for the next page of this session only, and redirects: a reload creates nothing. */
  @Post('api-keys')
  async createKey(@Body() body: Form, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    try {
      const created = await this.keys.createKey(text(body, 'name', { required: true, max: 100 }), role(body));
      await this.users.putFlash(request.adminSession!.sessionId, { kind: 'apiKey', name: created.name, value: created.key });
      response.redirect(303, '/admin/settings?done=keyCreated');
    } catch (error) {
      await this.send(request, response, 400, errorNotice(error, ui(request.adminSession!)), {
        typed: { keyName: text(body, 'name'), keyRole: text(body, 'role') },
      });
    }
  }

  @Post('api-keys/:id/revoke')
  async revokeKey(@Param('id', IdPipe) id: number, @Res() response: Response): Promise<void> {
    await this.keys.revokeKey(id);
    response.redirect(303, '/admin/settings?done=revoked');
  }

  @Post('users')
  async createUser(@Body() body: Form, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    try {
      const { user, password } = await this.users.createUser({
        email: text(body, 'email', { required: true, max: 320 }),
        role: role(body),
      });
      await this.users.putFlash(request.adminSession!.sessionId, { kind: 'password', name: user.email, value: password! });
      response.redirect(303, '/admin/settings?done=userCreated');
    } catch (error) {
      await this.send(request, response, 400, errorNotice(error, ui(request.adminSession!)), {
        typed: { userEmail: text(body, 'email'), userRole: text(body, 'role') },
      });
    }
  }

  private async send(
    request: AdminRequest,
    response: Response,
    status: number,
    notice: Notice | null,
    extra: Pick<SettingsView, 'secret' | 'typed'> = {},
  ): Promise<void> {
    const [senders, providers, keys, users] = await Promise.all([
      this.settings.senders(),
      this.settings.providers(),
      this.keys.listKeys(),
      this.users.listUsers(),
    ]);
    const u = ui(request.adminSession!);
    sendPage(
      response,
      status,
      settingsPage(request.adminSession!, { delivery: this.delivery(u), senders, providers, keys, users, ...extra }, notice),
    );
  }

  /** What the environment configures, with credentials left out. */
  private delivery(u: Ui): SettingsView['delivery'] {
    const smtp = this.config.get('SMTP_URL', { infer: true });
    let relay = u.t('settings.relayCapture');
    if (smtp) {
      const url = new URL(smtp);
      relay = `${url.protocol}//${url.hostname}:${url.port || (url.protocol === 'smtps:' ? '465' : '587')}`;
      if (url.username) relay = u.t('settings.relayCredentials', { relay });
    }
    return [
      { key: 'relay', value: relay },
      { key: 'mailFrom', value: this.config.get('MAIL_FROM', { infer: true }) ?? null },
      { key: 'sms', value: this.config.get('SMS_PROVIDER', { infer: true }) },
      { key: 'publicUrl', value: this.config.get('PUBLIC_URL', { infer: true }) },
    ];
  }
}

function role(body: Form): Role {
  const value = text(body, 'role', { required: true });
  if (!(ROLES as readonly string[]).includes(value))
    throw DomainError.validation([{ path: 'role', message: `must be one of ${ROLES.join(', ')}` }]);
  return value as Role;
}
