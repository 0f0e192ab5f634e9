// Hints that tie an inbound message back to the Message row we sent: the VERP Return-Path
// `bounces+<messageId>-<mac>@domain`, our X-Otklik-Message header in a returned copy, and the
// original Message-ID (returned copy, ARF attachment, In-Reply-To/References). Only found
// here, as text: whether a hint proves anything (its MAC) is checked by common/mail-ids.ts.
import { findVerpValue } from '../../common/mail-ids';
import { cleanMessageId, messageIdList } from './addresses';
import type { Headers } from './mime';
import type { Correlation } from './types';

// The sender writes `X-Otklik-Message`; `X-Otklik-Message-Id` is read too (older copies, other tools).
const OTKLIK_HEADERS = ['x-otklik-message', 'x-otklik-message-id'];
const OTKLIK_IN_TEXT = /^[ \t>]*X-Otklik-Message(?:-Id)?:[ \t]*<?([^\s<>]{1,100})>?/im;
const MESSAGE_ID_IN_TEXT = /^[ \t>]*Message-ID:[ \t]*(<[^<>\s]{1,500}>)/im;

// Headers of the inbound message that may carry the envelope recipient (our VERP address).
const ENVELOPE_HEADERS = [
  'delivered-to',
  'x-original-to',
  'envelope-to',
  'x-envelope-to',
  'x-rcpt-to',
  'to',
  'x-failed-recipients',
  'return-path',
];
const ORIGINAL_SENDER_HEADERS = ['return-path', 'sender', 'x-envelope-from', 'errors-to', 'from'];

export interface CorrelationInput {
  headers: Headers;
  original: Headers | null;
  /** Report parts (delivery-status, feedback-report) and the notice text. */
  texts: string[];
  /** True for replies and auto-replies, whose own In-Reply-To points at our message. */
  isReply: boolean;
}

export function findCorrelation(input: CorrelationInput): Correlation {
  const { headers, original, texts } = input;
  const references = [...messageIdList(headers.raw('in-reply-to')), ...messageIdList(headers.raw('references'))];
  const uniqueRefs = [...new Set(references)];

  let verp: string | null = null;
  const tryVerp = (value: string | undefined): void => {
    if (verp || !value) return;
    verp = findVerpValue(value);
  };
  if (original) for (const name of ORIGINAL_SENDER_HEADERS) for (const v of original.all(name)) tryVerp(v);
  for (const name of ENVELOPE_HEADERS) for (const v of headers.all(name)) tryVerp(v);
  for (const t of texts) tryVerp(t.length > 100_000 ? t.slice(0, 100_000) : t);

  let otklik: string | null | undefined = null;
  for (const name of OTKLIK_HEADERS) otklik ??= cleanMessageId(original?.raw(name)) ?? cleanMessageId(headers.raw(name));
  if (!otklik) {
    for (const t of texts) {
      const m = OTKLIK_IN_TEXT.exec(t);
      if (m) {
        otklik = m[1];
        break;
      }
    }
  }

  let originalId = cleanMessageId(original?.raw('message-id'));
  if (!originalId && !input.isReply) {
    for (const t of texts) {
      const m = MESSAGE_ID_IN_TEXT.exec(t);
      if (m) {
        originalId = cleanMessageId(m[1]);
        break;
      }
    }
  }
  if (!originalId && uniqueRefs.length > 0) originalId = messageIdList(headers.raw('in-reply-to'))[0] ?? uniqueRefs[uniqueRefs.length - 1];

  return { verpMessageId: verp, otklikMessageId: otklik, originalMessageId: originalId, references: uniqueRefs };
}
