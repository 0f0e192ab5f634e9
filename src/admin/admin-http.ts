// The admin UI's HTTP edge: the session guard (login, role per page and per form action, CSRF
// on every state-changing request), the error filter that turns errors into HTML pages, and
// the one function that sends a page with its security headers.
import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  Injectable,
  Logger,
  SetMetadata,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { DomainError } from '../common/domain-error';
import type { Role } from '../generated/prisma/enums';
import { roleAllows } from '../auth/roles';
import { readCookie } from '../tracking/tracking-links';
import { AdminAuthService, csrfMatches, type AdminSession } from './admin-auth.service';
import { EMAIL_FRAME_CSP } from './frame-policy';
import type { SafeHtml } from './html';
import { errorPage, ui } from './views/layout';

export const SESSION_COOKIE = 'otk_admin';
export const ADMIN_ROLE = 'otklik:admin-role';
export const ADMIN_UPLOAD = 'otklik:admin-upload';
const NO_CACHE = 'no-store, private, max-age=0';

/** The least role a page or form action needs; unmarked admin routes need a viewer to read, a marketer to change. */
export const AdminRole = (role: Role) => SetMetadata(ADMIN_ROLE, role);

/**
 * A form that uploads a file (multipart): its body is not read before the handler, so the
 * handler reads the CSRF field from it, before the file (readUploadForm, admin-upload.ts).
 */
export const AdminUpload = () => SetMetadata(ADMIN_UPLOAD, true);

export type AdminRequest = Request & { adminSession?: AdminSession };

class LoginRequired extends Error {}

/** The signed-in user's role is below what the page or action needs. */
class RoleRequired extends Error {
  constructor(
    readonly required: Role,
    readonly role: Role,
  ) {
    super(`This needs the ${required} role; you are a ${role}`);
  }
}

/** A state-changing request without the session's CSRF token. */
class CsrfRefused extends Error {}

/** An /admin URL that no page answers: an HTML 404 in the user's language, not the API's JSON. */
export class PageNotFound extends Error {
  constructor(readonly path: string) {
    super(`No admin page at ${path}`);
  }
}

@Injectable()
export class AdminSessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AdminAuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const session = await this.auth.session(readCookie(request.headers.cookie, SESSION_COOKIE));
    if (!session) throw new LoginRequired();
    request.adminSession = { ...session, path: request.path };
    const reading = request.method === 'GET' || request.method === 'HEAD';
    const required =
      this.reflector.getAllAndOverride<Role>(ADMIN_ROLE, [context.getHandler(), context.getClass()]) ?? (reading ? 'viewer' : 'marketer');
    if (!roleAllows(session.user.role, required)) throw new RoleRequired(required, session.user.role);
    const multipart = /^multipart\/form-data/i.test(request.get('content-type') ?? '');
    const upload = multipart && !request.get('x-csrf-token') && this.reflector.get<boolean>(ADMIN_UPLOAD, context.getHandler()) === true;
    if (!reading && !upload) {
      const posted = (request.body as Record<string, unknown> | undefined)?._csrf ?? request.get('x-csrf-token');
      refuseWithoutCsrf(request.adminSession, posted);
    }
    return true;
  }
}

/** 403 (the CSRF page) unless `posted` is the session's CSRF token. */
export function refuseWithoutCsrf(session: AdminSession, posted: unknown): void {
  if (!csrfMatches(session, posted)) throw new CsrfRefused();
}

const STATUS: Record<string, number> = {
  validation_failed: 400,
  not_found: 404,
  conflict: 409,
  invalid_state: 409,
  forbidden: 403,
  unauthenticated: 401,
  payload_too_large: 413,
  unavailable: 503,
};

@Catch()
export class AdminErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('AdminUi');

  catch(error: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<AdminRequest>();
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    if (error instanceof LoginRequired) {
      const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.originalUrl)}` : '';
      response.redirect(303, `/admin/login${next}`);
      return;
    }
    const u = ui(request.adminSession ?? null);
    let status = 500;
    let message = u.t('error.server');
    if (error instanceof PageNotFound) {
      status = 404;
      message = u.t('error.noPage', { path: error.path });
    } else if (error instanceof RoleRequired) {
      status = 403;
      message = u.t('error.role', { required: u.word('role', error.required), role: u.word('role', error.role) });
    } else if (error instanceof CsrfRefused) {
      status = 403;
      message = u.t('error.csrf');
    } else if (error instanceof DomainError) {
      status = STATUS[error.code] ?? 400;
      message = error.message;
    } else if (error instanceof HttpException) {
      status = error.getStatus();
      message = error.message;
    } else {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    sendPage(response, status, errorPage(request.adminSession ?? null, status, message));
  }
}

/** Every admin page's policy: nothing but the app's own scripts, styles, images and frames. */
const PAGE_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";
/**
 * The template page's policy: the visual builder (GrapesJS) styles the email it draws with
 * inline styles, and the email's images may be anywhere; scripts stay the app's own.
 */
export const BUILDER_PAGE_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https: http:; font-src 'self' data:; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

export function sendPage(response: Response, status: number, page: SafeHtml, policy: string = PAGE_POLICY): void {
  sendHtml(response, status, page.value, policy, 'same-origin');
}

function sendHtml(response: Response, status: number, body: string, policy: string, referrer: string): void {
  response
    .status(status)
    .set({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': NO_CACHE,
      'x-frame-options': 'SAMEORIGIN',
      'x-content-type-options': 'nosniff',
      'referrer-policy': referrer,
      'content-security-policy': policy,
    })
    .send(body);
}

/**
 * A rendered email as the document of a preview frame, under the email frame's own policy
 * (frame-policy.ts): its styles, fonts and images apply, nothing runs, only our pages frame it.
 */
export function sendFrame(response: Response, html: string, status = 200): void {
  sendHtml(response, status, html, EMAIL_FRAME_CSP, 'no-referrer');
}

/** Where to go after a form: back to a page of ours only (never an open redirect). */
export function localPath(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^\/admin(\/[^\s\\]*)?(\?[^\s\\]*)?$/.test(value) && !value.startsWith('//') ? value : fallback;
}
