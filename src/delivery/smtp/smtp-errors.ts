// What an SMTP failure means for the message and for the lane. Pure: reads the fields
// nodemailer puts on its errors (code, responseCode, response).

export type SmtpFailureKind =
  /** The server refused this message for good (5xx): fail it, feed the bounce logic. */
  | 'permanent'
  /** Try this message again later (4xx, a stream error on our side). */
  | 'transient'
  /** The server or the network is unwell (refused connection, timeout, 421, auth): retry, and pause the lane if it keeps happening. */
  | 'outage';

export interface SmtpFailure {
  kind: SmtpFailureKind;
  responseCode?: number;
  response?: string;
  message: string;
}

interface NodemailerLikeError {
  message?: string;
  code?: string;
  responseCode?: number;
  response?: string;
}

const OUTAGE_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'EAUTH', 'ETLS', 'ECONNREFUSED', 'ECONNRESET', 'EPROTOCOL']);

export function classifySmtpError(error: unknown): SmtpFailure {
  const e = (error ?? {}) as NodemailerLikeError;
  const message = e.message ?? String(error);
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const base = { responseCode, response: e.response, message };
  if (responseCode !== undefined) {
    if (responseCode === 421) return { kind: 'outage', ...base };
    if (responseCode >= 500) return { kind: 'permanent', ...base };
    if (responseCode >= 400) return { kind: 'transient', ...base };
  }
  if (e.code && OUTAGE_CODES.has(e.code)) return { kind: 'outage', ...base };
  return { kind: 'transient', ...base };
}
