// What an SMTP failure means for the message, its recipient and the lane. Pure: reads the fields
// nodemailer puts on its errors, which smtp-client.ts copies (code, responseCode, response,
// command).
//
// The question that matters most is whose fault a 5xx is. Only a refusal of the recipient
// (550 5.1.1 user unknown at RCPT TO, 552 5.2.2 mailbox full) may count against the recipient.
// A refusal of our message (a line too long, over our relay's size limit, bad syntax), of our
// account (auth), our connection (TLS) or our envelope sender would repeat for every recipient:
// counted as bounces, three such campaigns would suppress the whole audience.

export type SmtpFailureKind =
  /** The server refused this recipient for good: fail the message, feed the bounce logic. */
  | 'recipient'
  /**
   * The server refused something of ours (see SenderFault): no recipient caused it, and the
   * messages after it will fail alike until the operator fixes the relay or the message.
   */
  | 'sender'
  /** Try this message again later (4xx, a stream error on our side). */
  | 'transient'
  /** The server or the network is unwell (refused connection, timeout, 421): retry, and pause the lane if it keeps happening. */
  | 'outage';

/** What of ours a sender-side failure refused. */
export type SenderFault =
  /** The message itself (a line too long, over the size limit, bad syntax or content): a campaign's other messages share it. */
  | 'message'
  /** Our account, connection or envelope sender (auth, TLS, relaying refused): every message through this relay fails. */
  | 'relay';

interface FailureDetails {
  /** The SMTP step that failed ('CONN', 'EHLO', 'STARTTLS', 'AUTH PLAIN', 'MAIL FROM', 'RCPT TO', 'DATA', 'API'), when known. */
  command?: string;
  responseCode?: number;
  response?: string;
  message: string;
}

export type SmtpFailure = FailureDetails &
  ({ kind: 'recipient' } | { kind: 'transient' } | { kind: 'outage' } | { kind: 'sender'; fault: SenderFault });

interface NodemailerLikeError {
  message?: string;
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

const OUTAGE_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EPROTOCOL']);

export function classifySmtpError(error: unknown): SmtpFailure {
  const e = (error ?? {}) as NodemailerLikeError;
  const details: FailureDetails = {
    command: typeof e.command === 'string' && e.command ? e.command : undefined,
    responseCode: typeof e.responseCode === 'number' ? e.responseCode : undefined,
    response: typeof e.response === 'string' ? e.response : undefined,
    message: e.message ?? String(error),
  };
  const { responseCode } = details;
  if (responseCode !== undefined) {
    if (responseCode === 421) return { kind: 'outage', ...details };
    if (responseCode >= 500 && responseCode < 600) {
      const fault = senderFault(stageOf(details.command), responseCode, details.response ?? details.message);
      return fault ? { kind: 'sender', fault, ...details } : { kind: 'recipient', ...details };
    }
    if (responseCode >= 400) return { kind: 'transient', ...details };
  }
  // No answer to read: refused credentials, or a TLS handshake that failed (a certificate that
  // does not verify), are ours and will not heal by themselves.
  if (e.code === 'EAUTH' || e.code === 'ETLS') return { kind: 'sender', fault: 'relay', ...details };
  if (e.code && OUTAGE_CODES.has(e.code)) return { kind: 'outage', ...details };
  return { kind: 'transient', ...details };
}

/** One line for a status reason or a log: what was refused, where, and the server's words. */
export function describeSmtpFailure(failure: SmtpFailure): string {
  const answer = oneLine(failure.response ?? failure.message);
  const where = failure.command ? ` at ${failure.command}` : '';
  if (failure.kind !== 'sender') return `${failure.command ? `${failure.command}: ` : ''}${answer}`;
  const what = failure.fault === 'message' ? 'our message' : 'our account, connection or sender';
  return `the relay refused ${what}${where}: ${answer}`;
}

/** Where in the session a failure happened. An unknown step is judged like DATA, by the words alone. */
type Stage = 'session' | 'mail' | 'rcpt' | 'data';

function stageOf(command: string | undefined): Stage {
  const c = (command ?? '').trim().toUpperCase();
  if (c.startsWith('MAIL')) return 'mail';
  if (c.startsWith('RCPT')) return 'rcpt';
  if (c === '' || c === 'DATA' || c === 'BDAT' || c === 'API') return 'data';
  return 'session'; // CONN (the greeting), EHLO, HELO, STARTTLS, AUTH …, RSET
}

/** Enhanced status codes (RFC 3463) that name something of ours, whatever the step. */
const MESSAGE_STATUS = /^5\.(3\.4|2\.3)$/; // message too big for the system, over the administrative size limit
const RELAY_STATUS = /^5\.(1\.7|1\.8|7\.3|7\.8|7\.9|7\.10|7\.11|7\.12|7\.14)$/; // our sender address; auth, TLS, trust
/** After the data: the protocol (5.5.x) or the content (5.6.x) of our message. */
const CONTENT_STATUS = /^5\.[56]\.\d{1,3}$/;
/** Plainly the recipient's: mailbox or address unknown, moved, disabled, full; its domain's routing. */
const RECIPIENT_STATUS = /^5\.(1\.[1-6]|1\.10|2\.[0-2]|4\.\d{1,3})$/;

/** A relay's words for refusing our account, connection or sender, at any step. */
const RELAY_WORDS = new RegExp(
  [
    'relay(ing)? (access )?(denied|not (permitted|allowed)|prohibited|refused)',
    "(not permitted|unable|not allowed|cannot|can't) (to )?relay",
    'authentication (is )?required|must (first )?authenticate|please authenticate|not authenticated',
    'must issue a starttls|starttls (is )?required|(tls|encryption) (is )?required|must use tls',
    'sender (address |domain )?(rejected|refused|denied|not (allowed|authori[sz]ed|permitted|owned))',
    'not (allowed|authori[sz]ed|permitted) to send (as|from|mail)',
    'sender verif(y|ication) failed',
  ].join('|'),
  'i',
);
const LINE_TOO_LONG =
  /\bline (is )?too long|line length (limit|exceeded|exceeds)|too long line|lines? (longer|exceeds?|exceeding) .{0,30}(characters|octets|bytes)/i;
const TOO_BIG =
  /message (is )?too (big|large)|message (size|length) (limit|exceed)|exceeds? (the )?(fixed |administrative )?(maximum|max|size) (allowed )?(message )?(size|limit)|(mail|message|email) size (limit|too large|exceeded)|size limit/i;
/** Words that make a size complaint the recipient's mailbox's, not our message's. */
const MAILBOX_WORDS = /mail ?box|quota|storage|disk|\bfull\b/i;
const SYNTAX_WORDS = /syntax error|(command|parameter)s? (not implemented|unrecognized|not recognized)|unrecognized command|bad sequence/i;

/**
 * Whether a 5xx refused something of ours, and what; null when it refused the recipient. The
 * step decides first: before any recipient is named, nothing can be the recipient's; at RCPT TO
 * only the words or codes of a relay refusing us make it ours; at DATA (one recipient per
 * message, already accepted) the status code and words say whether the content or the
 * recipient was refused.
 */
function senderFault(stage: Stage, code: number, text: string): SenderFault | null {
  const status = enhancedStatus(text);
  const tooBig =
    (status !== null && MESSAGE_STATUS.test(status)) ||
    ((status === null || !RECIPIENT_STATUS.test(status)) && TOO_BIG.test(text) && !MAILBOX_WORDS.test(text));
  switch (stage) {
    case 'session':
      return 'relay';
    case 'mail':
      return tooBig ? 'message' : 'relay';
    case 'rcpt':
      if (code === 530 || (status !== null && RELAY_STATUS.test(status)) || RELAY_WORDS.test(text)) return 'relay';
      if (tooBig) return 'message';
      // An address the server cannot parse is the recipient's (501, 553, 5.1.3); a command it
      // does not take or takes out of order is our client's.
      if (code === 501 || code === 553 || status === '5.1.3') return null;
      if (status !== null ? status.startsWith('5.5.') : [500, 502, 503, 504].includes(code)) return 'relay';
      return null;
    case 'data':
      if (code === 530 || (status !== null && RELAY_STATUS.test(status)) || RELAY_WORDS.test(text)) return 'relay';
      if (tooBig || LINE_TOO_LONG.test(text)) return 'message';
      if (status !== null) return CONTENT_STATUS.test(status) ? 'message' : null;
      if (code >= 500 && code <= 504) return 'message';
      return SYNTAX_WORDS.test(text) ? 'message' : null;
  }
}

/** The enhanced status code (RFC 3463) after the reply code ("550 5.1.1 …", "550-5.1.1 …"), or at the start of the text. */
function enhancedStatus(text: string): string | null {
  return /^(?:[245]\d\d[ -])?([245]\.\d{1,3}\.\d{1,3})\b/.exec(text.trim())?.[1] ?? null;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
