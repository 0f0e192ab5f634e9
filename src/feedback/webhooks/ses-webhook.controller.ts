// Amazon SES events through SNS: POST /webhooks/ses. The SNS signature is verified against
// SNS's certificate, and the topic must be one of SES_SNS_TOPIC_ARNS (anyone can sign with
// their own SNS topic). A subscription confirmation is confirmed; a notification is stored raw
// and processed like any inbound message.
import { Controller, HttpCode, Inject, Logger, Post, Req } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../../auth/auth.decorators';
import { byteSize } from '../../common/byte-size';
import { DomainError } from '../../common/domain-error';
import { ApiZodResponse } from '../../common/zod-validation';
import type { AppConfig } from '../../config/config.module';
import { sesReceived } from '../dto/webhook-response.dto';
import { InboundIntakeService } from '../intake/inbound-intake.service';
import { SnsCertificates } from './sns-certificates';
import { parseSnsMessage, verifySnsSignature } from './sns-signature';

const MAX_BODY = 256 * 1024;

async function bodyText(request: Request): Promise<string> {
  // SNS posts JSON as text/plain, which the JSON body parser leaves alone.
  if (request.body && typeof request.body === 'object' && Object.keys(request.body as object).length > 0)
    return JSON.stringify(request.body);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new DomainError('payload_too_large', `The SNS message is larger than the limit of ${byteSize(MAX_BODY)}`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

@ApiTags('feedback')
@Controller('webhooks/ses')
export class SesWebhookController {
  private readonly logger = new Logger(SesWebhookController.name);

  constructor(
    private readonly intake: InboundIntakeService,
    private readonly certificates: SnsCertificates,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post()
  @ApiConsumes('text/plain', 'application/json')
  @ApiBody({
    description: 'The SNS message (SubscriptionConfirmation or Notification), JSON that SNS sends as text/plain.',
    schema: { type: 'string' },
  })
  @HttpCode(200)
  @ApiZodResponse(200, sesReceived, 'A subscription confirmed, a message type ignored, or a notification stored')
  async receive(@Req() request: Request) {
    const topics = this.config.get('SES_SNS_TOPIC_ARNS', { infer: true });
    if (!topics.length) throw new DomainError('not_found', 'The SES webhook is off: set SES_SNS_TOPIC_ARNS');
    const text = await bodyText(request);
    const message = parseSnsMessage(text);
    if (!message)
      throw DomainError.validation([
        {
          path: '(body)',
          message: 'expected an SNS message (Type, MessageId, TopicArn, Message, Timestamp, SignatureVersion, Signature, SigningCertURL)',
        },
      ]);
    if (!topics.includes(message.TopicArn))
      throw new DomainError('forbidden', `SNS topic ${message.TopicArn} is not in SES_SNS_TOPIC_ARNS`);
    let certificate: string;
    try {
      certificate = await this.certificates.get(message.SigningCertURL);
    } catch (error) {
      throw new DomainError('forbidden', `SNS signature not verifiable: ${(error as Error).message}`);
    }
    if (!verifySnsSignature(message, certificate)) throw new DomainError('forbidden', 'SNS signature does not verify');

    if (message.Type === 'SubscriptionConfirmation') {
      await this.certificates.confirmSubscription(message.SubscribeURL ?? '');
      this.logger.log(`SNS subscription to ${message.TopicArn} confirmed`);
      return { confirmed: true };
    }
    if (message.Type !== 'Notification') return { ignored: message.Type };
    const raw = Buffer.from(text, 'utf8');
    const id = await this.intake.receive({ source: 'webhook_ses', raw, size: raw.length, envelopeFrom: null, envelopeTo: [] });
    return { id, status: 'received' };
  }
}
