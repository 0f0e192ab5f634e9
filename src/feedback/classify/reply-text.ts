// The new text of a reply: quoted history, attribution lines and signatures removed.
import { htmlToText } from './html';

// Lines that start the quoted history in the common mail clients (English and Russian).
const HISTORY_START: RegExp[] = [
  /^-{2,}\s*(?:original message|исходное сообщение|forwarded message|пересылаемое сообщение|оригинальное сообщение)\s*-{2,}/i,
  /^_{10,}\s*$/,
  /^on\s.{1,200}\b(?:wrote|writes)\s*:\s*$/i,
  /^.{0,200}\b(?:wrote|writes)\s*:\s*$/i,
  /^.{0,200}(?:пишет|написал(?:а)?|писал(?:а)?)\s*:\s*$/i,
  /^\d{1,2}[./]\d{1,2}[./]\d{2,4}.{0,120}[,:]\s*$/,
  /^(?:from|от|от кого)\s*:\s*.+$/i,
  /^>+\s*(?:from|от)\s*:/i,
];

// Lines that start a signature or a mobile footer.
const SIGNATURE_START: RegExp[] = [
  /^--\s?$/,
  /^__+\s*$/,
  /^(?:best|kind|warm)?\s*regards,?\s*$/i,
  /^(?:best|cheers|thanks|thank you|many thanks|sincerely|yours(?: truly| sincerely)?),?\s*$/i,
  /^с (?:уважением|наилучшими пожеланиями)[,.!]?\s*$/i,
  /^(?:спасибо|благодарю)[,.!]?\s*$/i,
  /^всего (?:доброго|хорошего)[,.!]?\s*$/i,
  /^sent from my \w+/i,
  /^отправлено (?:с|из) (?:моего )?\S+/i,
  /^get outlook for/i,
];

const MAX_REPLY = 20_000;

export function extractReplyText(text: string, html?: string): string {
  let body = text && text.trim() ? text : html ? htmlToText(cutHtmlQuote(html)) : '';
  body = body.replace(/\r\n?/g, '\n');
  if (body.length > MAX_REPLY * 5) body = body.slice(0, MAX_REPLY * 5);
  const lines = body.split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const t = line.trim();
    if (t.startsWith('>')) {
      // An attribution line immediately before quoted text belongs to the quote.
      const prev = kept.length > 0 ? kept[kept.length - 1] : '';
      if (/:\s*$/.test(prev) && /\d|@|wrote|пиш|писал/i.test(prev)) kept.pop();
      continue;
    }
    if (HISTORY_START.some((r) => r.test(t)) && (i > 0 || t.startsWith('-'))) {
      if (/^(?:from|от|от кого)\s*:/i.test(t) && !nextLinesLookLikeHeaders(lines, i)) {
        kept.push(line);
        continue;
      }
      break;
    }
    kept.push(line);
  }
  return stripSignature(kept)
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
    .slice(0, MAX_REPLY);
}

/** Drops a trailing signature: from a sign-off line, when only a short block follows it. */
function stripSignature(lines: string[]): string[] {
  let seenText = false;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (seenText && SIGNATURE_START.some((r) => r.test(t))) {
      const rest = lines.slice(i + 1).filter((l) => l.trim() !== '');
      const hard = /^--\s?$|^__+\s*$|^sent from|^отправлено|^get outlook/i.test(t);
      if (hard || (rest.length <= 8 && rest.every((l) => l.length <= 100))) return lines.slice(0, i);
    }
    if (t !== '') seenText = true;
  }
  return lines;
}

function nextLinesLookLikeHeaders(lines: string[], i: number): boolean {
  let n = 0;
  for (let j = i + 1; j < lines.length && j < i + 6; j++) {
    if (/^\s*(?:sent|date|to|cc|subject|отправлено|дата|кому|копия|тема)\s*:/i.test(lines[j])) n++;
  }
  return n >= 1;
}

/** Cuts an HTML reply where the quoted history starts (Gmail, Outlook, Thunderbird, Apple). */
function cutHtmlQuote(html: string): string {
  const m =
    /<(?:div[^>]*class="?gmail_quote|blockquote|div[^>]*id="?(?:appendonsend|divRplyFwdMsg)|div[^>]*class="?moz-cite-prefix|hr\b)/i.exec(
      html,
    );
  return m ? html.slice(0, m.index) : html;
}
