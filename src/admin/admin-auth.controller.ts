// Sign-in, sign-out, the dashboard and the two static files.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  Body,
  Controller,
  Get,
  Header,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { RateLimiter } from '../common/rate-limiter';
import type { AppConfig } from '../config/config.module';
import { readCookie } from '../tracking/tracking-links';
import { AdminAuthService, SESSION_TTL_MS } from './admin-auth.service';
import { AdminDashboardRepository } from './admin-dashboard.repository';
import { AdminErrorFilter, AdminRole, AdminSessionGuard, localPath, sendPage, SESSION_COOKIE, type AdminRequest } from './admin-http';
import { ADMIN_CSS, clientBundle } from './assets';
import { lastDaysIn } from './i18n/format';
import { dashboardPage, loginPage } from './views/dashboard';
import { ui } from './views/layout';

/** Login CSRF: a random value in a cookie that the login form must post back (double submit). */
const LOGIN_COOKIE = 'otk_login';
const DAYS = 30;
/** Password guessing: sign-in attempts per client address and email, and per address alone, per 15 minutes. */
const ATTEMPTS_PER_ACCOUNT = 10;
const ATTEMPTS_PER_CLIENT = 100;
const ATTEMPT_WINDOW_MS = 15 * 60 * 1000;

@ApiExcludeController()
@Public()
@UseFilters(AdminErrorFilter)
@Controller('admin')
export class AdminAuthController {
  private readonly secureCookies: boolean;
  private readonly accountAttempts = new RateLimiter(ATTEMPTS_PER_ACCOUNT, ATTEMPT_WINDOW_MS);
  private readonly clientAttempts = new RateLimiter(ATTEMPTS_PER_CLIENT, ATTEMPT_WINDOW_MS);

  constructor(
    private readonly auth: AdminAuthService,
    private readonly dashboard: AdminDashboardRepository,
    @Inject(ConfigService) config: AppConfig,
  ) {
    this.secureCookies = config.get('PUBLIC_URL', { infer: true }).startsWith('https:');
  }

  @Get('assets/admin.css')
  @Header('content-type', 'text/css; charset=utf-8')
  @Header('cache-control', 'public, max-age=300')
  css(): string {
    return ADMIN_CSS;
  }

  /** A browser bundle built from src/admin/client (see scripts/build-client.js): its script or its styles. */
  @Get('assets/:file')
  @Header('cache-control', 'public, max-age=300')
  bundle(@Param('file') file: string, @Res({ passthrough: true }) response: Response): string {
    const match = /^(.+)\.(js|css)$/.exec(file);
    const bundle = match ? clientBundle(match[1], match[2] as 'js' | 'css') : undefined;
    if (bundle === undefined) throw new NotFoundException(`no script ${file}`);
    response.type(match![2] === 'css' ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8');
    return bundle;
  }

  @Get('login')
  loginForm(@Query('next') next: unknown, @Res() response: Response): void {
    this.sendLogin(response, 200, localPath(next, '/admin'));
  }

  @Post('login')
  async login(@Body() body: Record<string, unknown>, @Req() request: Request, @Res() response: Response): Promise<void> {
    const next = localPath(body.next, '/admin');
    const cookie = readCookie(request.headers.cookie, LOGIN_COOKIE);
    if (!cookie || typeof body._csrf !== 'string' || !sameString(cookie, body._csrf)) {
      return this.sendLogin(response, 403, next, undefined, ui(null).t('login.expired'));
    }
    const email = typeof body.email === 'string' ? body.email : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const client = request.ip ?? 'unknown';
    if (!this.clientAttempts.allow(client) || !this.accountAttempts.allow(`${client} ${email.trim().toLowerCase()}`)) {
      response.set('retry-after', String(this.accountAttempts.retryAfterSeconds()));
      return this.sendLogin(response, 429, next, email, ui(null).t('login.tooMany'));
    }
    const session = email && password ? await this.auth.login(email, password) : null;
    if (!session) return this.sendLogin(response, 401, next, email, ui(null).t('login.wrong'));
    response.clearCookie(LOGIN_COOKIE, { path: '/admin/login' });
    response.cookie(SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secureCookies,
      path: '/admin',
      maxAge: SESSION_TTL_MS,
    });
    response.redirect(303, next);
  }

  @Post('logout')
  @AdminRole('viewer')
  @UseGuards(AdminSessionGuard)
  async logout(@Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    await this.auth.logout(request.adminSession!.sessionId);
    response.clearCookie(SESSION_COOKIE, { path: '/admin' });
    response.redirect(303, '/admin/login');
  }

  @Get()
  @UseGuards(AdminSessionGuard)
  async home(@Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    const now = new Date();
    const zone = request.adminSession!.timeZone;
    const days = lastDaysIn(now, DAYS, zone);
    // A day and a half before the first local midnight covers every zone; days outside the list are dropped.
    const since = new Date(Date.parse(`${days[0]}T00:00:00Z`) - 36 * 3600_000);
    const [counts, perDay, recent] = await Promise.all([
      this.dashboard.counts(new Date(now.getTime() - DAYS * 86_400_000)),
      this.dashboard.sentPerDay(since, zone),
      this.dashboard.recentCampaigns(10),
    ]);
    const series = (channel: string) => days.map((d) => perDay.find((r) => r.day === d && r.channel === channel)?.count ?? 0);
    sendPage(
      response,
      200,
      dashboardPage(request.adminSession!, { counts, days, sent: { email: series('email'), sms: series('sms') }, recent }),
    );
  }

  private sendLogin(response: Response, status: number, next: string, email?: string, error?: string): void {
    const csrf = randomBytes(18).toString('base64url');
    response.cookie(LOGIN_COOKIE, csrf, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.secureCookies,
      path: '/admin/login',
      maxAge: 60 * 60 * 1000,
    });
    sendPage(response, status, loginPage({ csrf, next, email, error }));
  }
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
