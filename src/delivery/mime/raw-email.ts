// Builds the raw MIME of one email. Everything that is the same for every recipient of a
// campaign (the price-list attachment, encoded once to folded base64) is prepared once and
// reused as bytes; per recipient only the headers, the text part and the HTML part are encoded.
// DESIGN.md: nodemailer composing MIME costs ~0.5 ms per 20 KB message; sending pre-built raw
// MIME ~0.2 ms.
import { randomBytes } from 'node:crypto';
import { buildHeaderParam, encodeWords, foldLines } from 'nodemailer/lib/mime-funcs';

const CRLF = '\r\n';

export interface AttachmentSource {
  filename: string;
  contentType: string;
  content: Buffer;
}

/** An attachment encoded once: its MIME part as bytes, boundary line excluded. */
export interface PreparedAttachment {
  readonly filename: string;
  readonly part: Buffer;
}

export interface RawEmailInput {
  from: { address: string; name?: string | null };
  to: string;
  subject: string;
  html?: string | null;
  text?: string | null;
  replyTo?: string | null;
  /** Without angle brackets. */
  messageId: string;
  date?: Date;
  /** Extra headers, already valid header values (List-Unsubscribe, Feedback-ID...). */
  headers?: Record<string, string>;
  attachments?: readonly PreparedAttachment[];
}

export function prepareAttachment(source: AttachmentSource): PreparedAttachment {
  const params = buildHeaderParam('filename', source.filename, 50)
    .map((param) => `; ${param.key}="${param.value.replace(/["\\]/g, '\\$&')}"`)
    .join('');
  const head =
    `Content-Type: ${source.contentType}${CRLF}` +
    `Content-Transfer-Encoding: base64${CRLF}` +
    `Content-Disposition: attachment${params}${CRLF}${CRLF}`;
  return { filename: source.filename, part: Buffer.concat([Buffer.from(head, 'utf8'), Buffer.from(base64Lines(source.content), 'ascii')]) };
}

/** Base64 in 76-character lines, each ending in CRLF (RFC 2045). */
export function base64Lines(data: Buffer | string): string {
  const encoded = (typeof data === 'string' ? Buffer.from(data, 'utf8') : data).toString('base64');
  let out = '';
  for (let i = 0; i < encoded.length; i += 76) out += encoded.slice(i, i + 76) + CRLF;
  return out;
}

/** A header value that may hold non-ASCII text (RFC 2047 encoded words), folded at 76. */
export function encodeHeaderText(value: string): string {
  return encodeWords(value.replace(/[\r\n]+/g, ' '), 'B', 52);
}

export function formatAddress(address: string, name?: string | null): string {
  if (!name) return address;
  const clean = name.replace(/[\r\n]+/g, ' ');
  const display = /^[\x20-\x7e]*$/.test(clean) ? `"${clean.replace(/["\\]/g, '\\$&')}"` : encodeWords(clean, 'B', 52);
  return `${display} <${address}>`;
}

function header(name: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new Error(`header ${name} contains a line break`);
  return foldLines(`${name}: ${value}`, 76) + CRLF;
}

/**
 * Unguessable per process, unique per message by a counter: reading 12 random bytes for every
 * boundary cost more than building the rest of the headers. No part can contain a boundary line:
 * every part is base64, whose alphabet has no "-" or "_".
 */
const BOUNDARY_PREFIX = randomBytes(9).toString('hex');
let boundaryCount = 0;

function boundary(kind: string): string {
  boundaryCount = (boundaryCount + 1) % Number.MAX_SAFE_INTEGER;
  return `----=_otk_${kind}_${BOUNDARY_PREFIX}${boundaryCount.toString(36)}`;
}

function textPart(contentType: string, body: string): string {
  return `Content-Type: ${contentType}; charset=utf-8${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}${base64Lines(body)}`;
}

/** The raw MIME as one buffer (DKIM signs it whole; tests read it). */
export function buildRawEmail(input: RawEmailInput): Buffer {
  return Buffer.concat(buildRawEmailChunks(input));
}

/**
 * The raw MIME as chunks of whole lines, the prepared attachments among them as they are: a
 * connection writes them in one go without copying a campaign's price list into every message.
 */
export function buildRawEmailChunks(input: RawEmailInput): Buffer[] {
  let head = '';
  head += header('From', formatAddress(input.from.address, input.from.name));
  head += header('To', input.to);
  if (input.replyTo) head += header('Reply-To', input.replyTo);
  head += header('Subject', encodeHeaderText(input.subject));
  head += header('Date', (input.date ?? new Date()).toUTCString().replace('GMT', '+0000'));
  head += header('Message-ID', `<${input.messageId}>`);
  head += header('MIME-Version', '1.0');
  for (const [name, value] of Object.entries(input.headers ?? {})) head += header(name, value);

  const alternatives: string[] = [];
  if (input.text) alternatives.push(textPart('text/plain', input.text));
  if (input.html) alternatives.push(textPart('text/html', input.html));
  if (!alternatives.length) alternatives.push(textPart('text/plain', ''));

  let body: string;
  let bodyType: string;
  if (alternatives.length === 1) {
    // a single part: its own headers become the message's content headers
    const [only] = alternatives;
    const split = only.indexOf(CRLF + CRLF);
    bodyType = only.slice(0, split + 2);
    body = only.slice(split + 4);
  } else {
    const alt = boundary('alt');
    bodyType = `Content-Type: multipart/alternative; boundary="${alt}"${CRLF}`;
    body = alternatives.map((part) => `--${alt}${CRLF}${part}`).join('') + `--${alt}--${CRLF}`;
  }

  const attachments = input.attachments ?? [];
  if (!attachments.length) return [Buffer.from(head + bodyType + CRLF + body, 'utf8')];

  // The boundary lines travel with the recipient's own bytes; the shared parts stand alone.
  const mixed = boundary('mix');
  const chunks: Buffer[] = [];
  let text = `${head}Content-Type: multipart/mixed; boundary="${mixed}"${CRLF}${CRLF}--${mixed}${CRLF}${bodyType}${CRLF}${body}`;
  for (const attachment of attachments) {
    chunks.push(Buffer.from(`${text}--${mixed}${CRLF}`, 'utf8'), attachment.part);
    text = '';
  }
  chunks.push(Buffer.from(`--${mixed}--${CRLF}`, 'ascii'));
  return chunks;
}
