// Email providers' event webhooks: Mailgun (HMAC signature in the body, key
// MAILGUN_WEBHOOK_SIGNING_KEY), SendGrid and Postmark (a URL carrying a token signed with
// SECRET_KEY, from GET /feedback/webhook-urls). Each event that means something to the base
// (bounce, complaint, delivery, unsubscribe) is stored raw as its own inbound message and
// processed like a DSN; opens, clicks and deferrals are acknowledged and dropped.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Public, RequireRole } from '../../auth/auth.decorators';
import { DomainError } from '../../common/domain-error';
import { signToken, verifyToken } from '../../common/signed-token';
import type { AppConfig } from '../../config/config.module';
import type { InboundSource } from '../../generated/prisma/enums';
import { InboundIntakeService } from '../intake/inbound-intake.service';
import { providerClassification, type Provider } from './provider-events';

const SOURCE: Record<Provider, InboundSource> = { mailgun: 'webhook_mailgun', sendgrid: 'webhook_sendgrid', postmark: 'webhook_postmark' };
const MAX_EVENTS = 1000;

@ApiTags('feedback')
@Controller()
export class ProviderWebhooksController {
  constructor(
    private readonly intake: InboundIntakeService,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('webhooks/mailgun')
  @HttpCode(200)
  async mailgun(@Body() body: unknown) {
    const key = this.config.get('MAILGUN_WEBHOOK_SIGNING_KEY', { infer: true });
    if (!key) throw new DomainError('not_found', 'The Mailgun webhook is off: set MAILGUN_WEBHOOK_SIGNING_KEY');
    const signature = (body as { signature?: { timestamp?: unknown; token?: unknown; signature?: unknown } } | null)?.signature;
    const expected = createHmac('sha256', key).update(`${String(signature?.timestamp ?? '')}${String(signature?.token ?? '')}`).digest();
    const given = Buffer.from(typeof signature?.signature === 'string' ? signature.signature : '', 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new DomainError('forbidden', 'Mailgun signature does not verify');
    return this.store('mailgun', [body]);
  }

  @Public()
  @Post('webhooks/sendgrid/:token')
  @HttpCode(200)
  sendgrid(@Param('token') token: string, @Body() body: unknown) {
    this.checkToken('sendgrid', token);
    if (!Array.isArray(body)) throw DomainError.validation([{ path: '(body)', message: 'expected the JSON array of events SendGrid posts' }]);
    return this.store('sendgrid', body.slice(0, MAX_EVENTS));
  }

  @Public()
  @Post('webhooks/postmark/:token')
  @HttpCode(200)
  postmark(@Param('token') token: string, @Body() body: unknown) {
    this.checkToken('postmark', token);
    return this.store('postmark', [body]);
  }

  /** The URLs to give SendGrid and Postmark (Mailgun signs its posts: give it /webhooks/mailgun). */
  @ApiBearerAuth()
  @RequireRole('admin')
  @Get('feedback/webhook-urls')
  urls() {
    const base = this.config.get('PUBLIC_URL', { infer: true }).replace(/\/+$/, '');
    const secret = this.config.get('SECRET_KEY', { infer: true });
    return {
      mailgun: `${base}/webhooks/mailgun`,
      sendgrid: `${base}/webhooks/sendgrid/${signToken(secret, 'webhook-sendgrid', 'v1')}`,
      postmark: `${base}/webhooks/postmark/${signToken(secret, 'webhook-postmark', 'v1')}`,
      ses: `${base}/webhooks/ses`,
    };
  }

  private checkToken(provider: Provider, token: string): void {
    if (verifyToken(this.config.get('SECRET_KEY', { infer: true }), `webhook-${provider}`, token) !== 'v1') throw new DomainError('unauthenticated', 'Unknown webhook token');
  }

  private async store(provider: Provider, events: unknown[]) {
    const ids: bigint[] = [];
    let ignored = 0;
    for (const event of events) {
      if (!providerClassification(provider, event)) {
        ignored++;
        continue;
      }
      const raw = Buffer.from(JSON.stringify(event), 'utf8');
      ids.push(await this.intake.receive({ source: SOURCE[provider], raw, size: raw.length, envelopeFrom: null, envelopeTo: [] }));
    }
    return { stored: ids, ignored };
  }
}
