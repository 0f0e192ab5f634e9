import { Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { byteSize } from '../common/byte-size';
import { DomainError } from '../common/domain-error';
import { zodIssues } from '../common/zod-validation';
import { secretKeys, type AppConfig } from '../config/config.module';
import { PAUSE_CHOICES, preferenceFormSchema } from './preference-plan';
import {
  INVALID_LINK,
  messagePage,
  preferencesPage,
  TOO_MANY,
  unsubscribedPage,
  unsubscribePage,
  type PreferencesView,
} from './tracking-pages';
import { isOneClickBody, messageLinks, readCookie } from './tracking-links';
import { TooManyRequestsError, TrackingService, type ClientFacts, type PreferenceState } from './tracking.service';

/** A transparent 1×1 GIF. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const NO_CACHE = 'no-store, no-cache, must-revalidate, private, max-age=0';
const FORM_COOKIE = 'otk_pref';
const MULTIPART_LIMIT = 16 * 1024;

/**
 * The links in every email: /o open pixel, /c click redirect, /u unsubscribe (RFC 8058
 * one-click POST, and a page with a button for people), /p preferences, /v the web copy.
 * Public: each is verified by the signature of its token, never by a login.
 */
@ApiExcludeController()
@Public()
@Controller()
export class TrackingController {
  private readonly secureCookies: boolean;

  constructor(
    private readonly tracking: TrackingService,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {
    this.secureCookies = this.config.get('PUBLIC_URL', { infer: true }).startsWith('https:');
  }

  @Get('o/:token')
  async open(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    try {
      await this.tracking.open(token, clientOf(request));
    } catch (error) {
      if (!(error instanceof TooManyRequestsError)) throw error;
      // Still an image: a refused pixel must not show as a broken one in the reader's mail.
    }
    response.status(200).set({ 'content-type': 'image/gif', 'cache-control': NO_CACHE, pragma: 'no-cache', expires: '0' }).send(PIXEL);
  }

  @Get('c/:token')
  async click(
    @Param('token') token: string,
    @Query('u') destination: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    try {
      const target = await this.tracking.click(token, destination, clientOf(request));
      response.status(302).set({ 'cache-control': NO_CACHE, 'referrer-policy': 'no-referrer' }).location(target).end();
    } catch (error) {
      if (error instanceof DomainError && error.code === 'validation_failed') {
        const page = messagePage(
          400,
          'Ссылка недействительна',
          'Ссылка повреждена или изменена, поэтому мы не можем по ней перейти.',
          `This link is damaged or was changed, so we will not follow it (${error.message}).`,
        );
        return this.html(response, page.status, page.html);
      }
      this.fail(response, error);
    }
  }

  @Get('u/:token')
  async unsubscribeForm(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    try {
      const client = clientOf(request);
      this.tracking.admitPage(client);
      const id = this.tracking.messageOf('unsubscribe', token, client);
      const target = id === null ? null : await this.tracking.unsubscribeTarget(id);
      if (id === null || !target) return this.html(response, INVALID_LINK.status, INVALID_LINK.html);
      this.html(response, 200, unsubscribePage({ address: target.address, action: token, preferencesUrl: this.link(id).preferencesUrl }));
    } catch (error) {
      this.fail(response, error);
    }
  }

  /**
   * RFC 8058: the mailbox provider POSTs `List-Unsubscribe=One-Click` (form-encoded or
   * multipart); the page's button posts the same. No per-client page limit here: a provider
   * posts many recipients' unsubscribes from few addresses, and none may be lost (the call is
   * idempotent); invalid links still count towards the client's 429.
   */
  @Post('u/:token')
  async unsubscribe(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    try {
      const client = clientOf(request);
      const id = this.tracking.messageOf('unsubscribe', token, client);
      if (id === null) return this.html(response, INVALID_LINK.status, INVALID_LINK.html);
      const body = await formBody(request);
      if (!isOneClickBody(body)) {
        const page = messagePage(
          400,
          'Неверный запрос',
          'Нажмите кнопку на странице отписки.',
          'List-Unsubscribe: the body must be List-Unsubscribe=One-Click (RFC 8058).',
        );
        return this.html(response, page.status, page.html);
      }
      const how = (body as { source?: unknown }).source === 'page' ? 'unsubscribe page' : 'List-Unsubscribe one-click';
      const result = await this.tracking.unsubscribe(id, client, how);
      if (!result) return this.html(response, INVALID_LINK.status, INVALID_LINK.html);
      this.html(
        response,
        200,
        unsubscribedPage({ address: result.address, already: result.already, preferencesUrl: this.link(id).preferencesUrl }),
      );
    } catch (error) {
      this.fail(response, error);
    }
  }

  @Get('p/:token')
  async preferencesForm(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    try {
      const client = clientOf(request);
      this.tracking.admitPage(client);
      const id = this.tracking.messageOf('preferences', token, client);
      const state = id === null ? null : await this.tracking.preferences(id);
      if (!state) return this.html(response, INVALID_LINK.status, INVALID_LINK.html);
      this.preferencesResponse(response, token, state, 200);
    } catch (error) {
      this.fail(response, error);
    }
  }

  @Post('p/:token')
  async savePreferences(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const client = clientOf(request);
    let state: PreferenceState | null = null;
    try {
      this.tracking.admitPage(client);
      const id = this.tracking.messageOf('preferences', token, client);
      state = id === null ? null : await this.tracking.preferences(id);
      if (!state) return this.html(response, INVALID_LINK.status, INVALID_LINK.html);
      const parsed = preferenceFormSchema.safeParse(await formBody(request));
      if (!parsed.success) throw DomainError.validation(zodIssues(parsed.error));
      await this.tracking.savePreferences(state, parsed.data, readCookie(request.headers.cookie, FORM_COOKIE), client);
      const saved = await this.tracking.preferences(state.messageId);
      this.preferencesResponse(response, token, saved ?? state, 200, { kind: 'ok', text: 'Сохранено. Saved.' });
    } catch (error) {
      if (state && error instanceof DomainError && (error.code === 'forbidden' || error.code === 'validation_failed')) {
        return this.preferencesResponse(response, token, state, error.code === 'forbidden' ? 403 : 400, {
          kind: 'error',
          text: error.message,
        });
      }
      this.fail(response, error);
    }
  }

  @Get('v/:token')
  async view(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    try {
      const client = clientOf(request);
      this.tracking.admitPage(client);
      const id = this.tracking.messageOf('view', token, client);
      const html = id === null ? null : await this.tracking.viewInBrowser(id);
      if (html === null) return this.html(response, INVALID_LINK.status, INVALID_LINK.html);
      this.html(response, 200, html);
    } catch (error) {
      this.fail(response, error);
    }
  }

  private preferencesResponse(
    response: Response,
    token: string,
    state: PreferenceState,
    status: number,
    notice?: PreferencesView['notice'],
  ): void {
    const form = this.tracking.formToken(state.messageId);
    response.cookie(FORM_COOKIE, form.nonce, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.secureCookies,
      path: '/p/',
      maxAge: 2 * 60 * 60 * 1000,
    });
    this.html(
      response,
      status,
      preferencesPage({
        action: token,
        csrfToken: form.token,
        channels: state.channels.map((c) => ({
          channel: c.channel,
          address: c.address,
          subscribed: c.wanted,
          mayResubscribe: c.mayResubscribe,
        })),
        pausedUntil: state.pausedUntil,
        pauseChoices: PAUSE_CHOICES,
        notice,
      }),
    );
  }

  private link(id: bigint) {
    return messageLinks(this.config.get('PUBLIC_URL', { infer: true }), secretKeys(this.config), id);
  }

  private html(response: Response, status: number, html: string): void {
    response
      .status(status)
      .set({
        'content-type': 'text/html; charset=utf-8',
        'cache-control': NO_CACHE,
        'x-frame-options': 'DENY',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        // The web copy of an email shows remote images; nothing here runs scripts.
        'content-security-policy': "script-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
      })
      .send(html);
  }

  private fail(response: Response, error: unknown): void {
    if (error instanceof TooManyRequestsError) {
      response.set('retry-after', String(error.retryAfterSeconds));
      return this.html(response, TOO_MANY.status, TOO_MANY.html);
    }
    throw error;
  }
}

function clientOf(request: Request): ClientFacts {
  return { ip: request.ip ?? null, userAgent: request.get('user-agent') ?? null, method: request.method };
}

/** The parsed form body; multipart (which some mailbox providers send for RFC 8058) is read here, small. */
async function formBody(request: Request): Promise<unknown> {
  const type = request.get('content-type') ?? '';
  if (!type.startsWith('multipart/form-data')) return request.body ?? {};
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MULTIPART_LIMIT)
      throw new DomainError('payload_too_large', `The form is larger than the limit of ${byteSize(MULTIPART_LIMIT)}`);
    chunks.push(chunk);
  }
  const fields: Record<string, string> = {};
  const text = Buffer.concat(chunks).toString('utf8');
  for (const part of text.matchAll(
    /content-disposition:\s*form-data;\s*name="([^"]{1,100})"[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*\r?\n([^\r\n]{0,1000})/gi,
  ))
    fields[part[1]] = part[2];
  return fields;
}
