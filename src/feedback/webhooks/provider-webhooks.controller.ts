// Email providers' event webhooks: Mailgun (HMAC signature in the body, key
// MAILGUN_WEBHOOK_SIGNING_KEY, a fresh timestamp and a token never seen before), SendGrid and
// Postmark (a URL carrying a token signed with the key ring, from GET /feedback/webhook-urls:
// a URL minted before a key rotation works until the old key leaves SECRET_KEY_PREVIOUS). Each event that means something to the base
// (bounce, complaint, delivery, unsubscribe) is stored raw as its own inbound message and
// processed like a DSN; opens, clicks and deferrals are acknowledged and dropped.
import { createHash } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { Public, RequireRole } from '../../auth/auth.decorators';
import { DomainError } from '../../common/domain-error';
import { signToken, verifyToken } from '../../common/signed-token';
import { ApiZodResponse } from '../../common/zod-validation';
import { secretKeys, type AppConfig } from '../../config/config.module';
import type { InboundSource } from '../../generated/prisma/enums';
import { JobQueue } from '../../queue/job-queue';
import { providerEventsStored, providerWebhookUrls } from '../dto/webhook-response.dto';
import { InboundIntakeService } from '../intake/inbound-intake.service';
import { checkMailgunSignature, TOKEN_MEMORY_MS } from './mailgun-signature';
import { providerClassification, type Provider } from './provider-events';

const SOURCE: Record<Provider, InboundSource> = { mailgun: 'webhook_mailgun', sendgrid: 'webhook_sendgrid', postmark: 'webhook_postmark' };
const MAX_EVENTS = 1000;

@ApiTags('feedback')
@Controller()
export class ProviderWebhooksController {
  constructor(
    private readonly intake: InboundIntakeService,
    private readonly jobs: JobQueue,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('webhooks/mailgun')
  @ApiBody({
    description: 'The event Mailgun posts: `signature` (timestamp, token, signature) and `event-data`.',
    schema: { type: 'object' },
  })
  @HttpCode(200)
  @ApiZodResponse(200, providerEventsStored, 'Taken: stored or ignored')
  async mailgun(@Body() body: unknown) {
    const key = this.config.get('MAILGUN_WEBHOOK_SIGNING_KEY', { infer: true });
    if (!key) throw new DomainError('not_found', 'The Mailgun webhook is off: set MAILGUN_WEBHOOK_SIGNING_KEY');
    const check = checkMailgunSignature(key, body);
    if (!check.ok) throw new DomainError('forbidden', check.reason);
    // Remembered only once the signature verified, so strangers cannot fill Redis.
    const memory = `mailgun-token:${createHash('sha256').update(check.token).digest('hex')}`;
    if ((await this.jobs.countInWindow(memory, TOKEN_MEMORY_MS)) > 1)
      throw new DomainError('forbidden', 'signature.token: this Mailgun post was received before (a replay)');
    try {
      return await this.store('mailgun', [body]);
    } catch (error) {
      // Not stored: Mailgun retries with the same token, and that retry must be taken.
      await this.jobs.forgetCount(memory).catch(() => undefined);
      throw error;
    }
  }

  @Public()
  @Post('webhooks/sendgrid/:token')
  @ApiBody({ description: 'The JSON array of events SendGrid posts.', schema: { type: 'array', items: { type: 'object' } } })
  @HttpCode(200)
  @ApiZodResponse(200, providerEventsStored, 'Taken: stored or ignored')
  sendgrid(@Param('token') token: string, @Body() body: unknown) {
    this.checkToken('sendgrid', token);
    if (!Array.isArray(body))
      throw DomainError.validation([{ path: '(body)', message: 'expected the JSON array of events SendGrid posts' }]);
    return this.store('sendgrid', body.slice(0, MAX_EVENTS));
  }

  @Public()
  @Post('webhooks/postmark/:token')
  @ApiBody({
    description: 'The event Postmark posts (RecordType Bounce, SpamComplaint, Delivery, SubscriptionChange …).',
    schema: { type: 'object' },
  })
  @HttpCode(200)
  @ApiZodResponse(200, providerEventsStored, 'Taken: stored or ignored')
  postmark(@Param('token') token: string, @Body() body: unknown) {
    this.checkToken('postmark', token);
    return this.store('postmark', [body]);
  }

  /** The URLs to give SendGrid and Postmark (Mailgun signs its posts: give it /webhooks/mailgun). */
  @ApiBearerAuth()
  @RequireRole('admin')
  @Get('feedback/webhook-urls')
  @ApiZodResponse(200, providerWebhookUrls, 'The URL to give each provider')
  urls() {
    const base = this.config.get('PUBLIC_URL', { infer: true }).replace(/\/+$/, '');
    const secret = secretKeys(this.config);
    return {
      mailgun: `${base}/webhooks/mailgun`,
      sendgrid: `${base}/webhooks/sendgrid/${signToken(secret, 'webhook-sendgrid', 'v1')}`,
      postmark: `${base}/webhooks/postmark/${signToken(secret, 'webhook-postmark', 'v1')}`,
      ses: `${base}/webhooks/ses`,
    };
  }

  private checkToken(provider: Provider, token: string): void {
    if (verifyToken(secretKeys(this.config), `webhook-${provider}`, token) !== 'v1')
      throw new DomainError('unauthenticated', 'Unknown webhook token');
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
