// Turns a parsed MIME tree into what the classifiers need: the human-readable notice, the
// machine-readable report parts, and the headers of the returned original message.
import { firstAddress } from './addresses';
import { htmlToText } from './html';
import { Headers, MimePart, leaves, partText, splitHeaders } from './mime';

export interface MessageView {
  headers: Headers;
  subject: string;
  from: string | null;
  /** Text of the notice / reply (text parts outside attached messages), inline original cut off. */
  text: string;
  /** Same text before the inline original was cut off (replies keep their quotes here). */
  fullText: string;
  /** Plain-text parts only (empty when the message is HTML only). */
  plainText: string;
  /** First HTML part, decoded, for replies sent as HTML only. */
  html: string | null;
  deliveryStatus: string[];
  feedbackReports: string[];
  /** Headers of the returned original (attached, header-only part, or inline copy). */
  original: Headers | null;
  /** Top-level Content-Type report-type parameter, lower case. */
  reportType: string | null;
  /** Attached messages (message/rfc822) found outside the original, e.g. in complaints. */
  attachedCount: number;
}

const MAX_TEXT = 200_000;

const MESSAGE_HEADER_NAMES = new Set([
  'received',
  'return-path',
  'message-id',
  'date',
  'from',
  'to',
  'subject',
  'mime-version',
  'dkim-signature',
  'delivered-to',
  'reply-to',
  'x-mailer',
  'content-type',
  'sender',
]);

export function buildView(root: MimePart): MessageView {
  const view: MessageView = {
    headers: root.headers,
    subject: (root.headers.get('subject') ?? '').replace(/\s+/g, ' ').trim(),
    from: firstAddress(root.headers.get('from')),
    text: '',
    fullText: '',
    plainText: '',
    html: null,
    deliveryStatus: [],
    feedbackReports: [],
    original: null,
    reportType: root.type === 'multipart/report' ? (root.params['report-type'] ?? '').toLowerCase() || null : null,
    attachedCount: 0,
  };
  const plain: string[] = [];
  const html: string[] = [];
  for (const { part, inMessage } of leaves(root)) {
    if (inMessage) continue;
    const type = part.type;
    if (type === 'message/delivery-status' || type === 'message/global-delivery-status') {
      view.deliveryStatus.push(partText(part));
    } else if (type === 'message/feedback-report') {
      view.feedbackReports.push(partText(part));
    } else if (type === 'message/rfc822' || type === 'message/global' || type === 'message/partial') {
      view.attachedCount++;
      if (!view.original && part.message) view.original = part.message.headers;
    } else if (/^(text|message)\/(rfc822-headers|global-headers|rfc822|headers)$/.test(type)) {
      if (!view.original) view.original = splitHeaders(partText(part)).headers;
    } else if (
      type === 'text/plain' ||
      type === 'text/html' ||
      type === 'text/enriched' ||
      type === 'text/x-aol' ||
      type.startsWith('multipart/')
    ) {
      if (part !== root && looksLikeBareMessage(part)) {
        // A part holding a whole message without its own MIME headers (some MTAs attach the
        // original like this): its "headers" are the original's.
        if (!view.original) view.original = part.headers;
        continue;
      }
      if (isAttachment(part) && type !== 'text/plain') continue;
      const text = partText(part);
      if (type.startsWith('multipart/') && text.trim() === '') continue;
      if (type === 'text/html') {
        view.html ??= text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
        html.push(htmlToText(text));
      } else plain.push(text);
    }
  }
  let full = (plain.length > 0 ? plain : html).join('\n\n');
  if (full.length > MAX_TEXT) full = full.slice(0, MAX_TEXT);
  view.fullText = full;
  view.plainText = plain.length > 0 ? full : '';
  const cut = cutInlineOriginal(full);
  view.text = cut.notice;
  if (!view.original && cut.original) view.original = cut.original;
  return view;
}

function isAttachment(part: MimePart): boolean {
  return /^\s*attachment/i.test(part.headers.raw('content-disposition') ?? '');
}

function looksLikeBareMessage(part: MimePart): boolean {
  const h = part.headers;
  if (h.has('content-type') && !h.has('received') && !h.has('message-id')) return false;
  let n = 0;
  for (const [name] of h.fields) if (MESSAGE_HEADER_NAMES.has(name)) n++;
  return n >= 3 && (h.has('received') || h.has('message-id') || (h.has('from') && h.has('subject')));
}

// A line announcing the returned message in a plain-text bounce. The lead-in is
// `[\s>|]*(?:[-=*_#]+\s*)?`, not `[\s>|]*[-=*_#]*\s*`: two whitespace runs side by side split a
// long run of spaces every possible way (a 100 KB line of spaces cost 18 s).
const MARKER =
  /^[\s>|]*(?:[-=*_#]+\s*)?(?:below this line is a copy of the message|this is a copy of (?:the|your) message|(?:a )?copy of (?:the|your) (?:original )?message|original message(?: follows| headers?(?: follow| are)?| was)?\s*(?::|-|\.|$)|(?:the )?(?:returned|undelivered|unsent|original|bounced) (?:message|mail)(?: follows| below| headers)?\s*(?::|-|\.|$)|message headers follow|headers of the original message|(?:the )?message (?:that you sent )?(?:header|text) follows|unsent message below|original message header|your message reads|(?:the )?original message (?:headers )?(?:is|are) (?:attached|included|as follows))/i;
const HEADER_LIKE = /^[A-Za-z][A-Za-z0-9-]{1,60}:[ \t]?\S/;
const KEY_HEADER =
  /^(received|return-path|message-id|date|from|to|subject|mime-version|dkim-signature|x-[a-z0-9-]+|delivered-to|reply-to|content-type|arc-seal|authentication-results|x-received|references|in-reply-to|sender|cc):/i;

/** Splits a plain-text bounce into the notice and the quoted original's headers. */
export function cutInlineOriginal(text: string): { notice: string; original: Headers | null } {
  const lines = text.split('\n');
  const limit = Math.min(lines.length, 3000);
  for (let i = 0; i < limit; i++) {
    if (!MARKER.test(lines[i])) continue;
    const start = headerBlockStart(lines, i + 1, 6);
    if (start !== -1) return split(lines, i, start);
    // A marker with no header block after it still ends the notice (body-only copies).
    if (/copy of|original message|returned message|undelivered message|unsent message|headers follow/i.test(lines[i])) {
      return { notice: lines.slice(0, i).join('\n'), original: null };
    }
  }
  for (let i = 1; i < limit; i++) {
    if (isHeaderBlockAt(lines, i) && lines[i - 1].trim() === '') return split(lines, i, i);
  }
  return { notice: text, original: null };
}

function split(lines: string[], noticeEnd: number, headerStart: number): { notice: string; original: Headers | null } {
  const block = lines.slice(headerStart, headerStart + 400).join('\n');
  const { headers } = splitHeaders(block.replace(/^[ \t]+(?=[A-Za-z-]+:)/gm, ''));
  return { notice: lines.slice(0, noticeEnd).join('\n'), original: headers.size > 0 ? headers : null };
}

function headerBlockStart(lines: string[], from: number, within: number): number {
  let seen = 0;
  for (let i = from; i < lines.length && seen < within; i++) {
    const t = lines[i].trim();
    if (t === '') continue;
    seen++;
    if (isHeaderBlockAt(lines, i, true)) return i;
  }
  return -1;
}

function isHeaderBlockAt(lines: string[], i: number, afterMarker = false): boolean {
  const first = afterMarker ? lines[i].trimStart() : lines[i];
  if (!KEY_HEADER.test(first)) return false;
  let headers = 0;
  let key = 0;
  for (let j = i; j < lines.length && j < i + 40; j++) {
    const line = afterMarker ? lines[j].trimStart() : lines[j];
    if (line.trim() === '') break;
    if (/^[ \t]/.test(lines[j]) && !afterMarker) continue;
    if (HEADER_LIKE.test(line)) {
      headers++;
      if (KEY_HEADER.test(line)) key++;
    } else if (!afterMarker) {
      return false;
    }
  }
  return afterMarker ? key >= 1 : headers >= 3 && key >= 2;
}
