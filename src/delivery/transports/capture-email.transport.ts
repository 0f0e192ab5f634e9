import type { OutboxRepository } from '../outbox.repository';
import type { EmailTransport, OutgoingEmail, PreparedEmail, SendResult } from './email-transport';

/**
 * Development and tests: the message is stored in the outbox (GET /outbox) instead of sent. Its
 * commit is the insert into the outbox; an aborted message is not stored.
 */
export class CaptureEmailTransport implements EmailTransport {
  readonly name = 'capture';

  constructor(private readonly outbox: OutboxRepository) {}

  prepare(mail: OutgoingEmail): Promise<PreparedEmail> {
    let answer: Promise<SendResult> | null = null;
    let aborted = false;
    const commit = (): Promise<SendResult> => {
      if (aborted) return Promise.reject(new Error('the message was aborted before it was stored'));
      const stored = this.store(mail);
      stored.catch(() => undefined); // read by the sender after its COMMIT
      return stored;
    };
    return Promise.resolve({
      commit: () => (answer ??= commit()),
      abort: () => {
        if (!answer) aborted = true;
      },
      get committed() {
        return answer !== null;
      },
    });
  }

  private async store(mail: OutgoingEmail): Promise<SendResult> {
    const headers: Record<string, string> = { ...mail.headers };
    if (mail.messageId) headers['Message-ID'] = `<${mail.messageId}>`;
    if (mail.returnPath) headers['Return-Path'] = `<${mail.returnPath}>`;
    if (mail.replyTo) headers['Reply-To'] = mail.replyTo;
    const attachments = [...(mail.preparedAttachments ?? []), ...(mail.attachments ?? [])].map((a) => a.filename);
    if (attachments.length) headers['X-Otklik-Attachments'] = attachments.join(', ');
    if (mail.inlineImages?.length) headers['X-Otklik-Inline-Images'] = mail.inlineImages.map((a) => a.filename).join(', ');
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
