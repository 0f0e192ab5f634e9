// The email channel behind a small interface chosen by config (docs/conventions.md, "Services,
// repositories, transports"): SMTP (our client in smtp/, a pool of connections) when SMTP_URL
// is set, otherwise the capture outbox. Sending is in two phases (PreparedEmail), so the sender
// writes the commit point's final dot inside its database commit step.
import { ehloName } from '../../common/mail-ids';
import type { AppConfig } from '../../config/config.module';
import type { PreparedAttachment } from '../mime/raw-email';

export interface OutgoingAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface OutgoingEmail {
  /** The sender's address. */
  from: string;
  fromName?: string | null;
  to: string;
  subject: string;
  html?: string;
  text?: string;
  replyTo?: string;
  /** Envelope sender (VERP Return-Path); defaults to `from`. */
  returnPath?: string;
  /** RFC 5322 Message-ID without angle brackets. */
  messageId?: string;
  headers?: Record<string, string>;
  attachments?: OutgoingAttachment[];
  /** Attachments already encoded once for a whole campaign (see mime/raw-email.ts). */
  preparedAttachments?: readonly PreparedAttachment[];
  /** Images the HTML shows by `cid:` (a template's embedImages), each prepared once (prepareInlineImage). */
  inlineImages?: readonly PreparedAttachment[];
  /** Our Message row, when there is one (kept with a captured copy). */
  otklikMessageId?: bigint;
}

export interface SendResult {
  providerMessageId: string;
  response?: string;
}

/**
 * An email the provider has whole but has not accepted yet (for SMTP: all but the final dot).
 * Exactly one of the two is called:
 * - `commit()` makes the provider accept it: the SMTP final dot is written at the call,
 *   synchronously, so the sender writes it inside its database commit step (the same tick as
 *   the COMMIT); it resolves with the provider's answer. A second call returns the same answer.
 * - `abort()` makes the provider discard it (the SMTP connection is dropped before the dot). It
 *   does nothing once `commit()` was called: the message is then the provider's, and only its
 *   answer says whether it was accepted.
 */
export interface PreparedEmail {
  commit(): Promise<SendResult>;
  abort(): void;
  /** `commit()` was called: from then on the provider's answer decides, whatever else fails. */
  readonly committed: boolean;
}

export interface EmailTransport {
  readonly name: string;
  /** Hands the whole message to the provider but for its acceptance: see PreparedEmail. */
  prepare(mail: OutgoingEmail): Promise<PreparedEmail>;
  close(): Promise<void>;
  /** A one-line state for logs (connections in use, waiters), where the transport has one. */
  describe?(): string;
}

export const EMAIL_TRANSPORT = Symbol('EMAIL_TRANSPORT');
/** The same relay as EMAIL_TRANSPORT with connections of its own, for the transactional lane. */
export const TRANSACTIONAL_EMAIL_TRANSPORT = Symbol('TRANSACTIONAL_EMAIL_TRANSPORT');

/** The EHLO name every SMTP connection gives (SMTP_EHLO_NAME, else BOUNCE_DOMAIN, else the PUBLIC_URL host). */
export function configuredEhloName(config: AppConfig): string {
  return ehloName({
    ehloName: config.get('SMTP_EHLO_NAME', { infer: true }),
    bounceDomain: config.get('BOUNCE_DOMAIN', { infer: true }),
    publicUrl: config.get('PUBLIC_URL', { infer: true }),
  });
}
