import nodemailer, { type Transporter } from 'nodemailer';
import type { EmailTransport, OutgoingEmail, SendResult } from './email-transport';

/** Pooled SMTP through nodemailer. */
export class SmtpEmailTransport implements EmailTransport {
  readonly name = 'smtp';
  private readonly transporter: Transporter;

  constructor(smtpUrl: string, options: { maxConnections?: number } = {}) {
    const url = new URL(smtpUrl);
    this.transporter = nodemailer.createTransport({
      pool: true,
      maxConnections: options.maxConnections ?? 5,
      maxMessages: Infinity,
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
      secure: url.protocol === 'smtps:',
      auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
      // Loopback and private relays often run without TLS; STARTTLS is still used when offered.
      tls: { rejectUnauthorized: url.searchParams.get('tlsRejectUnauthorized') !== 'false' },
    });
  }

  async send(mail: OutgoingEmail): Promise<SendResult> {
    const info = await this.transporter.sendMail({
      from: mail.from,
      to: mail.to,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      replyTo: mail.replyTo,
      messageId: mail.messageId ? `<${mail.messageId}>` : undefined,
      envelope: mail.returnPath ? { from: mail.returnPath, to: [mail.to] } : undefined,
      headers: mail.headers,
      attachments: mail.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
    });
    return { providerMessageId: String(info.messageId ?? ''), response: String(info.response ?? '') };
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}
