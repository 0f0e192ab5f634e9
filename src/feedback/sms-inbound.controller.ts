// Inbound SMS from a gateway (replies, STOP). Gateways cannot send our API key, so the URL
// carries a token signed with SECRET_KEY (GET /feedback/sms/webhook-url shows it to an admin).
// The text is stored raw, as JSON, before anything reads it, like every inbound message.
import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Public, RequireRole } from '../auth/auth.decorators';
import { DomainError } from '../common/domain-error';
import { signToken, verifyToken } from '../common/signed-token';
import { ApiZodBody, ApiZodResponse, parseOrThrow } from '../common/zod-validation';
import { secretKeys, type AppConfig } from '../config/config.module';
import { smsInboundSchema } from './dto/sms-inbound.dto';
import { inboundReceived } from './dto/feedback-response.dto';
import { smsWebhookUrl } from './dto/webhook-response.dto';
import { InboundIntakeService } from './intake/inbound-intake.service';

const PURPOSE = 'sms-inbound';
const PAYLOAD = 'v1';

@ApiTags('feedback')
@Controller()
export class SmsInboundController {
  constructor(
    private readonly intake: InboundIntakeService,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('webhooks/sms/inbound/:token')
  @ApiZodBody(smsInboundSchema)
  @HttpCode(200)
  @ApiZodResponse(200, inboundReceived, 'Stored, to be classified')
  async receive(@Param('token') token: string, @Body() body: unknown) {
    if (verifyToken(secretKeys(this.config), PURPOSE, token) !== PAYLOAD) throw new DomainError('unauthenticated', 'Unknown webhook token');
    const sms = parseOrThrow(smsInboundSchema, body ?? {});
    const raw = Buffer.from(JSON.stringify(sms), 'utf8');
    const id = await this.intake.receive({ source: 'sms', raw, size: raw.length, envelopeFrom: sms.from ?? null, envelopeTo: [] });
    return { id, status: 'received' };
  }

  /** The URL to give the SMS gateway for inbound messages. */
  @ApiBearerAuth()
  @RequireRole('admin')
  @Get('feedback/sms/webhook-url')
  @ApiZodResponse(200, smsWebhookUrl)
  webhookUrl() {
    const base = this.config.get('PUBLIC_URL', { infer: true }).replace(/\/+$/, '');
    return { url: `${base}/webhooks/sms/inbound/${signToken(secretKeys(this.config), PURPOSE, PAYLOAD)}` };
  }
}
