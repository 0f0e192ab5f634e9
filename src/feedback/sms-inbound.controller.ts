// Inbound SMS from a gateway (replies, STOP). Gateways cannot send our API key, so the URL
// carries a token signed with SECRET_KEY (GET /feedback/sms/webhook-url shows it to an admin).
// The text is stored raw, as JSON, before anything reads it, like every inbound message.
import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Public, RequireRole } from '../auth/auth.decorators';
import { DomainError } from '../common/domain-error';
import { signToken, verifyToken } from '../common/signed-token';
import { ApiZodBody, ApiZodResponse, parseOrThrow } from '../common/zod-validation';
import { secretKeys, type AppConfig } from '../config/config.module';
import { InboundIntakeService } from './intake/inbound-intake.service';

const PURPOSE = 'sms-inbound';
const PAYLOAD = 'v1';

/** Field names differ between gateways: `from`/`phone`/`sender`, `text`/`message`/`body`. */
const smsInboundSchema = z
  .object({
    from: z.string().trim().min(3).max(32).optional(),
    phone: z.string().trim().min(3).max(32).optional(),
    sender: z.string().trim().min(3).max(32).optional(),
    to: z.string().trim().max(32).optional(),
    text: z.string().max(2000).optional(),
    message: z.string().max(2000).optional(),
    body: z.string().max(2000).optional(),
  })
  .transform((b) => ({ from: b.from ?? b.phone ?? b.sender, to: b.to ?? null, text: b.text ?? b.message ?? b.body }))
  .refine((b) => b.from !== undefined, { message: 'expected the sender phone as from, phone or sender', path: ['from'] })
  .refine((b) => b.text !== undefined, { message: 'expected the message as text, message or body', path: ['text'] });

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
  @ApiZodResponse(200, z.object({ url: z.string().describe('The URL to give the SMS gateway') }))
  webhookUrl() {
    const base = this.config.get('PUBLIC_URL', { infer: true }).replace(/\/+$/, '');
    return { url: `${base}/webhooks/sms/inbound/${signToken(secretKeys(this.config), PURPOSE, PAYLOAD)}` };
  }
}
