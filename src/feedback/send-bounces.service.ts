// An SMTP 5xx that refused the recipient during sending is a bounce we saw first-hand. Delivery
// marks the message failed (its status reason holds the reply) and queues a job; this records
// it like an inbound DSN (a Bounce row, and a hard_bounce suppression when the address itself
// is dead), so reports and the suppression list do not care which way the bounce arrived. A
// 5xx that refused our message, account or connection is no bounce and never comes here
// (delivery/smtp/smtp-errors.ts, MessageSenderService.senderFault).
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { hashAddress } from '../customers/contact-normalise';
import { JobName } from '../queue/job-catalogue';
import { JobHandlerRegistry } from '../queue/job-handlers';
import { pickStatus } from './classify/bounce-text';
import { judgeBounce } from './classify/reason';
import { FeedbackRepository } from './feedback.repository';

@Injectable()
export class SendBouncesService implements OnModuleInit {
  private readonly logger = new Logger(SendBouncesService.name);

  constructor(
    private readonly feedback: FeedbackRepository,
    private readonly registry: JobHandlerRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(JobName.RecordSendBounce, ({ messageId, addressHash }) => this.record(BigInt(messageId), addressHash));
  }

  /** Records the send-time bounce of a failed message once; the address must still be the one refused (`addressHash`). */
  async record(messageId: bigint, addressHash: string | null): Promise<{ recorded: boolean }> {
    const message = await this.feedback.sendBounceSubject(messageId);
    if (!message) return { recorded: false };
    const diagnostic = message.statusReason ?? '';
    const status = pickStatus(diagnostic);
    const replyCode = /^([2-5]\d\d)\b/.exec(diagnostic)?.[1] ?? null;
    const { reason, hard, evidence } = judgeBounce({ diagnostic, status, replyCode });
    // The address may have changed since the send: then the bounce is recorded without it, and
    // the new address is not suppressed for what the old one did.
    const address =
      message.address !== null && addressHash !== null && hashAddress(message.channel, message.address) === addressHash
        ? message.address
        : null;
    if (message.address !== null && address === null)
      this.logger.warn(`message ${messageId}: the address changed after the send bounced; nothing suppressed`);
    const recorded = await this.feedback.recordSendBounce({
      channel: message.channel,
      address,
      hard,
      reason,
      statusCode: status,
      diagnostic,
      evidence,
      customerId: message.customerId,
      messageId,
      campaignId: message.campaignId,
      suppression: hard && address !== null ? { addressHash: addressHash as string, source: `smtp ${diagnostic}`.slice(0, 500) } : null,
    });
    return { recorded };
  }
}
