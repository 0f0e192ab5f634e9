// The email channel behind a small interface chosen by config (docs/conventions.md, "Services,
// repositories, transports"): SMTP through nodemailer when SMTP_URL is set, otherwise the
// capture outbox.
import { ehloName } from '../../common/mail-ids';
import type { AppConfig } from '../../config/config.module';
import type { PreparedAttachment } from '../mime/raw-email';
import type { BeforeCommit } from '../smtp/smtp-client';

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
  /** Our Message row, when there is one (kept with a captured copy). */
  otklikMessageId?: bigint;
}

export interface SendResult {
  providerMessageId: string;
  response?: string;
}

export interface SendHooks {
  /** Runs when the provider has the whole message but has not accepted it yet: see BeforeCommit. */
  beforeCommit?: BeforeCommit;
}

export interface EmailTransport {
  readonly name: string;
  send(mail: OutgoingEmail, hooks?: SendHooks): Promise<SendResult>;
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
