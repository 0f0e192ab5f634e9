import { buffer } from 'node:stream/consumers';
import DKIM from 'nodemailer/lib/dkim';
import { domainOf, signedHeaderNames, type DkimKeySource } from '../dkim/dkim-keys';
import { buildRawEmailChunks, prepareAttachment } from '../mime/raw-email';
import { MessageData } from '../smtp/smtp-client';
import { SmtpPool, parseSmtpUrl, type SmtpEnvelope, type SmtpPoolOptions, type TlsPolicy } from '../smtp/smtp-pool';
import type { EmailTransport, OutgoingEmail, PreparedEmail, SendResult } from './email-transport';

/**
 * SMTP with pooled connections, raw MIME built by Otklik, and a DKIM signature by the key of the
 * From address's domain (dkim/dkim-keys.ts picks it), over the standard headers, the one-click
 * pair (RFC 8058 §4), List-Id, Feedback-ID and every custom header of the message.
 */
export class SmtpEmailTransport implements EmailTransport {
  readonly name = 'smtp';
  private readonly pool: SmtpPool;
  private readonly dkim?: DkimKeySource;

  constructor(smtpUrl: string, options: Partial<SmtpPoolOptions> & { dkim?: DkimKeySource; tls?: TlsPolicy } = {}) {
    this.pool = new SmtpPool(parseSmtpUrl(smtpUrl, options.tls), {
      maxConnections: options.maxConnections ?? 5,
      maxMessagesPerConnection: options.maxMessagesPerConnection ?? 1000,
      clientName: options.clientName,
      socketTimeoutMs: options.socketTimeoutMs ?? 60_000,
    });
    this.dkim = options.dkim;
  }

  /**
   * Not async on purpose: the email (its rendered HTML above all) is needed only to build the
   * MIME, and an async function would keep its argument alive until the server's answer.
   */
  prepare(mail: OutgoingEmail): Promise<PreparedEmail> {
    try {
      const messageId = mail.messageId ?? `${Date.now()}.${Math.random().toString(36).slice(2)}@${mail.from.split('@')[1] ?? 'localhost'}`;
      const chunks = buildRawEmailChunks({
        from: { address: mail.from, name: mail.fromName },
        to: mail.to,
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        replyTo: mail.replyTo,
        messageId,
        headers: mail.headers,
        attachments: [...(mail.preparedAttachments ?? []), ...(mail.attachments ?? []).map(prepareAttachment)],
        inline: mail.inlineImages,
      });
      const signing = { fromDomain: domainOf(mail.from), headerNames: signedHeaderNames(Object.keys(mail.headers ?? {})) };
      return this.write(messageId, { from: mail.returnPath ?? mail.from, to: [mail.to] }, new MessageData(chunks), signing);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /**
   * Signs (with DKIM, by the From domain's key) and writes the message but its final dot; the
   * handle's commit writes the dot.
   */
  private async write(
    messageId: string,
    envelope: SmtpEnvelope,
    data: MessageData,
    signing: { fromDomain: string; headerNames: string },
  ): Promise<PreparedEmail> {
    const key = this.dkim ? await this.dkim.keyFor(signing.fromDomain) : null;
    if (key) {
      const signer = new DKIM({ ...key, headerFieldNames: signing.headerNames });
      data = new MessageData(await buffer(signer.sign(Buffer.concat(data.take()))));
    }
    const prepared = await this.pool.prepare(envelope, data);
    let answer: Promise<SendResult> | null = null;
    const commit = () => {
      // The pool's commit writes the dot in this very call.
      const result = prepared.commit().then((outcome) => ({ providerMessageId: messageId, response: outcome.response }));
      result.catch(() => undefined); // read by the sender after its COMMIT
      return result;
    };
    return {
      commit: () => (answer ??= commit()),
      abort: () => prepared.abort(),
      get committed() {
        return prepared.committed;
      },
    };
  }

  describe(): string {
    const { open, idle, waiting } = this.pool.stats();
    return `smtp pool: ${open} open, ${idle} idle, ${waiting} waiting`;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
