// The email channel behind a small interface chosen by config (STYLE.md, "Shape"):
// SMTP through nodemailer when SMTP_URL is set, otherwise the capture outbox.

export interface OutgoingAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface OutgoingEmail {
  from: string;
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
  /** Our Message row, when there is one (kept with a captured copy). */
  otklikMessageId?: bigint;
}

export interface SendResult {
  providerMessageId: string;
  response?: string;
}

export interface EmailTransport {
  readonly name: string;
  send(mail: OutgoingEmail): Promise<SendResult>;
  close(): Promise<void>;
}

export const EMAIL_TRANSPORT = Symbol('EMAIL_TRANSPORT');
