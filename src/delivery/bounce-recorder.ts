// An SMTP 5xx that refused the recipient during sending is a bounce we saw first-hand: it is
// recorded like an inbound DSN (a Bounce row, and a hard_bounce suppression when the address
// itself is dead), so reports and the suppression list do not care which way the bounce
// arrived. A 5xx that refused our message, account or connection is no bounce and never
// comes here (smtp/smtp-errors.ts, MessageSenderService.senderFault).
import { Injectable } from '@nestjs/common';
import { hashAddress } from '../customers/contact-normalise';
import { PrismaService } from '../database/prisma.service';
import { pickStatus } from '../feedback/classify/bounce-text';
import { classifyReason, isHardReason } from '../feedback/classify/reason';
import type { ClaimedMessage } from './messages.repository';
import type { SmtpFailure } from './smtp/smtp-errors';

@Injectable()
export class BounceRecorder {
  constructor(private readonly prisma: PrismaService) {}

  async recordSmtpRejection(message: ClaimedMessage, failure: Extract<SmtpFailure, { kind: 'recipient' }>): Promise<void> {
    const diagnostic = `${failure.responseCode ?? ''} ${failure.response ?? failure.message}`.trim();
    const status = pickStatus(diagnostic);
    const reason = classifyReason({ diagnostic, status, replyCode: failure.responseCode ? String(failure.responseCode) : null });
    const hard = isHardReason(reason, status);
    const address = message.address;
    await this.prisma.$transaction(async (tx) => {
      await tx.bounce.create({
        data: {
          channel: message.channel,
          address,
          domain: address?.includes('@') ? address.split('@')[1] : null,
          hard,
          reason,
          statusCode: status,
          diagnostic,
          customerId: message.customerId,
          messageId: message.id,
          campaignId: message.campaignId,
        },
      });
      if (hard && address) {
        await tx.suppression.upsert({
          where: { channel_addressHash: { channel: message.channel, addressHash: hashAddress(message.channel, address) } },
          create: { channel: message.channel, addressHash: hashAddress(message.channel, address), address, reason: 'hard_bounce', source: `smtp ${diagnostic}`.slice(0, 500), customerId: message.customerId },
          update: {},
        });
        await tx.message.update({ where: { id: message.id }, data: { status: 'hard_bounced' } });
      }
    });
  }
}
