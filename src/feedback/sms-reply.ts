// An inbound SMS read as a reply: STOP / СТОП / ОТПИСАТЬСЯ (alone or first word) is an
// unsubscribe request for SMS; any other text goes through the reply-intent rules (a lead,
// a reclamation, "не пишите"). Pure.
import { cutText } from '../common/storable-text';
import { detectIntent, type Classification } from './classify';

/** Words that, alone or first, mean "no more SMS" (upper case, Ё folded to Е). */
const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'СТОП', 'ОТПИСАТЬСЯ', 'ОТПИСАТЬ', 'ОТПИСКА', 'ОТПИШИТЕ']);

export function isStopRequest(text: string): boolean {
  const words = text
    .toUpperCase()
    .replace(/Ё/g, 'Е')
    .split(/[^A-ZА-Я]+/)
    .filter(Boolean);
  return words.length > 0 && STOP_WORDS.has(words[0]);
}

export function smsReplyClassification(from: string, text: string): Classification {
  const trimmed = cutText(text.trim(), 2000);
  const intent = isStopRequest(trimmed) ? 'unsubscribe' : detectIntent(trimmed).intent;
  return {
    kind: 'reply',
    recipients: [],
    feedbackType: null,
    correlation: { verpMessageId: null, otklikMessageId: null, originalMessageId: null, references: [] },
    // An SMS cannot hand over a new email contact reliably: read as a plain reply.
    intent: intent === 'address_change' ? 'other' : intent,
    newAddress: null,
    replyText: trimmed || null,
    from,
    subject: null,
    truncated: false,
  };
}
