import type { OutboxRepository } from '../outbox.repository';
import type { EmailTransport, OutgoingEmail, SendHooks, SendResult } from './email-transport';

/** Development and tests: the message is stored in the outbox (GET /outbox) instead of sent. */
export class CaptureEmailTransport implements EmailTransport {
  readonly name = 'capture';

  constructor(private readonly outbox: OutboxRepository) {}

  async send(mail: OutgoingEmail, hooks: SendHooks = {}): Promise<SendResult> {
    await hooks.beforeCommit?.(() => undefined);
    const headers: Record<string, string> = { ...mail.headers };
    if (mail.messageId) headers['Message-ID'] = `<${mail.messageId}>`;
    if (mail.returnPath) headers['Return-Path'] = `<${mail.returnPath}>`;
    if (mail.replyTo) headers['Reply-To'] = mail.replyTo;
    const attachments = [...(mail.preparedAttachments ?? []), ...(mail.attachments ?? [])].map((a) => a.filename);
    if (attachments.length) headers['X-Otklik-Attachments'] = attachments.join(', ');
    const id = await this.outbox.insert({
      channel: 'email',
      messageId: mail.otklikMessageId,
      toAddress: mail.to,
      fromAddress: mail.fromName ? `${mail.fromName} <${mail.from}>` : mail.from,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      headers,
    });
    return { providerMessageId: `outbox-${id}` };
  }

  async close(): Promise<void> {}
}
