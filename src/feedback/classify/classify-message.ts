// Entry point: raw inbound email → what it is (bounce, complaint, auto-reply, reply, delivery
// report) with per-recipient reasons and correlation hints. Pure and synchronous; never throws.
// Its strings are stored (text and jsonb), so NULs and lone surrogates of the input are
// cleaned out of them here (storable-text.ts).
import { storableDeep } from '../../common/storable-text';
import { findAddresses, firstAddress } from './addresses';
import { detectAutoReply } from './autoreply';
import { bounce, deliveryStatus, isBounce, unquoteForwardedBounce } from './bounce-report';
import { complaint, isComplaint } from './complaint-report';
import { buildView, type MessageView } from './message-view';
import { parseMime } from './mime';
import { detectIntent } from './reply-intent';
import { extractReplyText } from './reply-text';
import { newResult } from './result';
import { parseSesNotification } from './ses-notification';
import { fromSes } from './ses-result';
import type { Classification, Correlation } from './types';

export interface ClassifyOptions {
  /** Bytes of the raw message read at most; the rest (huge attachments) is ignored. */
  maxBytes?: number;
}

export const DEFAULT_MAX_BYTES = 1024 * 1024;

const EMPTY_CORRELATION: Correlation = { verpMessageId: null, otklikMessageId: null, originalMessageId: null, references: [] };

export function classifyMessage(raw: Buffer | string, options: ClassifyOptions = {}): Classification {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  try {
    const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    if (!Buffer.isBuffer(bytes)) return failure('input is not a Buffer or string', false);
    const truncated = bytes.length > maxBytes;
    const binary = (truncated ? bytes.subarray(0, maxBytes) : bytes).toString('latin1');
    if (binary.trim() === '') return failure('empty message', false);
    const view = buildView(parseMime(binary));
    if (!looksLikeEmail(view)) return failure('not an email message: no sender or report headers', truncated);
    return storableDeep({ ...classifyView(view), truncated });
  } catch (err) {
    return failure(`unreadable message: ${err instanceof Error ? err.message : String(err)}`, false);
  }
}

function looksLikeEmail(view: MessageView): boolean {
  const h = view.headers;
  if (view.deliveryStatus.length > 0 || view.feedbackReports.length > 0) return true;
  return h.has('from') || h.has('sender') || h.has('return-path') || h.has('reply-to');
}

/** Promise form for callers that prefer it; the work itself is synchronous. */
export function classifyMessageAsync(raw: Buffer | string, options?: ClassifyOptions): Promise<Classification> {
  return Promise.resolve(classifyMessage(raw, options));
}

function failure(error: string, truncated: boolean): Classification {
  return {
    kind: 'unknown',
    recipients: [],
    feedbackType: null,
    correlation: { ...EMPTY_CORRELATION, references: [] },
    intent: null,
    newAddress: null,
    replyText: null,
    from: null,
    subject: null,
    truncated,
    error,
  };
}

function classifyView(input: MessageView): Classification {
  // Amazon SES (via SNS e-mail) sends its events as a JSON body.
  const ses = /^\s*\{/.test(input.fullText) && input.fullText.includes('notificationType') ? parseSesNotification(input.fullText) : null;
  if (ses) return fromSes(input, ses);
  if (isComplaint(input)) return complaint(input);
  // A bounce forwarded by a person ("Fwd: Returned mail") is read as the bounce it quotes.
  const view = unquoteForwardedBounce(input) ?? input;
  const dsn = deliveryStatus(view);
  if (dsn.length > 0 || isBounce(view, true)) return bounce(view, dsn);
  const auto = detectAutoReply(view.headers, view.subject, view.fullText);
  if (auto.auto) return autoReply(view);
  if (isBounce(view, false)) return bounce(view, dsn);
  return reply(view);
}

// ---------------------------------------------------------------- auto-replies and replies

function ownAddresses(view: MessageView): string[] {
  const out: string[] = [];
  for (const name of ['from', 'to', 'cc', 'reply-to', 'sender', 'return-path', 'delivered-to'])
    out.push(...findAddresses(view.headers.raw(name) ?? '', 20));
  return out;
}

function autoReply(view: MessageView): Classification {
  const result = newResult(view, 'autoreply', true);
  const text = extractReplyText(view.plainText, view.html ?? undefined);
  // An out-of-office note may still say the person has left and name a new address.
  const intent = detectIntent(text, ownAddresses(view));
  if (intent.intent === 'address_change') {
    result.intent = intent.intent;
    result.newAddress = intent.newAddress;
    result.intentEvidence = intent.evidence;
  }
  result.replyText = text || null;
  const address = view.from ?? firstAddress(view.headers.get('reply-to')) ?? firstAddress(view.headers.get('sender'));
  if (address) {
    result.recipients = [
      {
        address,
        status: null,
        replyCode: null,
        diagnostic: null,
        hard: false,
        reason: 'vacation',
        action: null,
        command: null,
        feedbackType: null,
      },
    ];
  }
  return result;
}

function reply(view: MessageView): Classification {
  const result = newResult(view, 'reply', true);
  const text = extractReplyText(view.plainText, view.html ?? undefined);
  const subject = /^\s*(?:re|fwd?|ответ|отв|aw|sv)\s*:/i.test(view.subject) ? '' : view.subject;
  const intent = detectIntent(`${subject}\n${text}`.trim(), ownAddresses(view));
  result.intent = intent.intent;
  result.newAddress = intent.newAddress;
  result.intentEvidence = intent.evidence;
  result.replyText = text || null;
  return result;
}
