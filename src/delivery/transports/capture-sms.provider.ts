import type { OutboxRepository } from '../outbox.repository';
import type { OutgoingSms, SmsProvider, SmsSendResult } from './sms-provider';

export class CaptureSmsProvider implements SmsProvider {
  readonly name = 'capture';

  constructor(private readonly outbox: OutboxRepository) {}

  async send(sms: OutgoingSms): Promise<SmsSendResult> {
    const id = await this.outbox.insert({
      channel: 'sms',
      messageId: sms.otklikMessageId,
      toAddress: sms.to,
      fromAddress: sms.from,
      text: sms.text,
    });
    return { providerMessageId: `outbox-${id}` };
  }
}
