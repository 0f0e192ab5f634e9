// Reads recipients and their diagnostics out of the human-readable text of a bounce. Works for
// non-standard bounces (qmail, Exim, Exchange, Gmail, Mail.ru, …) by structure, not by vendor:
// an address at the start of a line (or after RCPT TO / "to <…>") is a failed recipient and the
// lines that follow it, up to the next recipient or paragraph, are its diagnostic.
import { ADDRESS_G, normaliseAddress } from './addresses';
import { findReplyCode, findStatus } from './dsn';
import type { SmtpCommand } from './types';

export interface TextRecipient {
  address: string;
  /** Lines about this recipient, whitespace collapsed (may be empty). */
  diagnostic: string;
  status: string | null;
  replyCode: string | null;
  command: SmtpCommand | null;
}

const LEAD =
  /^\s*(?:[>*\-•#]+\s*|\d+[.)]\s*|[245]\d\d(?:[ -][245]\.\d{1,3}\.\d{1,3})?[ -]?\s*|(?:(?:failed|final|original|unknown|invalid|undeliverable|bad)[ -])?(?:recipient|rcpt|addressee|user|mailbox|e-?mail|address|destinataire|получатель|адресат|адрес)(?:\(s\)|s|es)?(?: address(?:es)?| id)?\s*[:=]\s*(?:rfc822;\s*)?|(?:rcpt to|to|for|an|à)\s*:?\s*)?["'([]?<?$/i;
const INLINE_STRONG =
  /(?:rcpt to|(?:^|\s)to|for|deliver(?:ing|y|ed)? (?:your |the )?(?:mail|message|e-?mail)? ?to|recipient|address)\s*:?\s*<$|(?:undeliverable|not (?:be )?delivered|deliver(?:ing|y|ed)?(?: your| the)?(?: mail| message| e-?mail)?) to\s*$/i;
const HELP_LINE = /contact|assistance|help|send (?:mail|a message) to|write to|questions?/i;
const MAX_LINES = 1500;
const MAX_BLOCK = 1500;

interface Hit {
  address: string;
  line: number;
  strong: boolean;
}

export interface BounceTextResult {
  recipients: TextRecipient[];
  /** False when the only evidence was an address mentioned somewhere in the text. */
  strong: boolean;
}

export interface BounceTextOptions {
  /** Addresses that are never a recipient (the sender side). */
  exclude: Set<string>;
  /** Addresses accepted only when named as a recipient (mail-system mailboxes). */
  excludeWeak?: Set<string>;
  /** Recipients named by a header (X-Failed-Recipients). */
  hints?: string[];
}

/** Recipients named in a bounce text, strongest evidence first, in order of appearance. */
export function readBounceText(text: string, options: BounceTextOptions): BounceTextResult {
  const { exclude, excludeWeak = new Set<string>(), hints = [] } = options;
  const lines = text.split('\n', MAX_LINES);
  // A signature ("-- " line, as list footers use) names the list, not a recipient.
  const signature = lines.findIndex((l, i) => i > 0 && /^-- ?$/.test(l));
  if (signature > 0) lines.length = signature;
  const hits: Hit[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.includes('@') || line.length > 2000) continue;
    for (const m of line.matchAll(ADDRESS_G)) {
      const address = normaliseAddress(m[0]);
      if (!address || exclude.has(address)) continue;
      const before = line.slice(0, m.index);
      let strong = LEAD.test(before) || INLINE_STRONG.test(before);
      if (excludeWeak.has(address)) {
        if (!strong || HELP_LINE.test(before)) continue;
      }
      if (strong && /^\s*(?:from|reply-to|sender|return-path)\s*:/i.test(before)) strong = false;
      hits.push({ address, line: i, strong });
    }
  }
  const strongAddrs = unique(hits.filter((h) => h.strong).map((h) => h.address));
  const seen = new Set(hits.map((h) => h.address));
  const hinted = hints.filter((h) => !exclude.has(h));
  const hintedInText = hinted.filter((h) => seen.has(h));
  let chosen: string[];
  let strong = true;
  if (hintedInText.length > 0) chosen = hintedInText;
  else if (strongAddrs.length > 0) chosen = strongAddrs;
  else if (hinted.length > 0) chosen = hinted;
  else {
    chosen = unique(hits.map((h) => h.address)).slice(0, 1);
    strong = false;
  }
  const recipientLines = new Set(hits.filter((h) => chosen.includes(h.address) && h.strong).map((h) => h.line));
  const recipients = chosen.map((address) => {
    let own = hits.filter((h) => h.address === address).map((h) => h.line);
    // A header-named recipient absent from the text: its diagnostic is the only one there.
    if (own.length === 0 && chosen.length === 1) own = [...recipientLines];
    const diagnostic = blockText(lines, own, recipientLines);
    return {
      address,
      diagnostic,
      status: pickStatus(diagnostic),
      replyCode: findReplyCode(diagnostic),
      command: findCommand(diagnostic),
    };
  });
  return { recipients, strong };
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

/**
 * Lines from each occurrence of the address to the next recipient line or paragraph break; a
 * transcript command line just before it (">>> DATA") is kept, and when the block holds no SMTP
 * code the next paragraphs are added (Gmail puts the server's words two paragraphs down).
 */
function blockText(lines: string[], starts: number[], recipientLines: Set<number>): string {
  const picked = new Set<number>();
  for (const start of starts) {
    if (start > 0 && /^\s*>>>\s/.test(lines[start - 1])) picked.add(start - 1);
    let hasCode = false;
    let paragraphs = 0;
    let content = 0;
    for (let i = start; i < lines.length && i < start + 40; i++) {
      if (i !== start && recipientLines.has(i)) break;
      const t = lines[i].trim();
      if (t === '') {
        if (content > 0) {
          if (hasCode || paragraphs >= 2 || i - start > 25) break;
          paragraphs++;
          content = 0;
        }
        continue;
      }
      if (paragraphs > 0 && /^(?:-{3,}|={3,}|\*{3,})\s*$|^-{2,}.{0,30}(?:original|message|returned|copy|header)/i.test(t)) break;
      picked.add(i);
      content++;
      if (/(?:^|[^\d.])[45]\d\d(?:[ -]|$)|[45]\.\d{1,3}\.\d{1,3}/.test(t)) hasCode = true;
    }
  }
  let out = '';
  for (const i of [...picked].sort((a, b) => a - b)) {
    out += (out ? ' ' : '') + lines[i].trim();
    if (out.length > MAX_BLOCK) break;
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** Status that follows a reply code ("550 5.1.1", "550-'5.7.1") beats the first one seen. */
export function pickStatus(text: string | null | undefined): string | null {
  if (!text) return null;
  const afterCode = /(?:^|[^\d.])[45]\d\d[ -]['"]?([45]\.\d{1,3}\.\d{1,3})(?!\.?\d)/.exec(text);
  if (afterCode) return findStatus(afterCode[1]);
  const hashed = /\(#([245]\.\d{1,3}\.\d{1,3})\)/.exec(text);
  if (hashed) return findStatus(hashed[1]);
  return findStatus(text.replace(/(?:^|[^\d.])2\d\d[ -]2\.\d{1,3}\.\d{1,3}/g, ' '));
}

/** SMTP stage named in a diagnostic ("in reply to RCPT TO command", "after MAIL FROM", …). */
export function findCommand(text: string | null | undefined): SmtpCommand | null {
  if (!text) return null;
  const m =
    /(?:in reply to|after|response to|did not like our|while sending|for|at|>>>|command:?)\s*(?:the\s+)?(?:final\s+)?(rcpt(?: to)?|mail(?: from)?|end of data|data|helo|ehlo|initial connection|connect(?:ion)?|greeting|banner|starttls|message content)\b(?![.@-]\w)/i.exec(
      text,
    );
  if (!m) {
    if (/\b(rcpt to|recipient) (response|command)\b/i.test(text)) return 'RCPT';
    if (/\bconnect(ion)? to .{0,80} (refused|timed out)/i.test(text)) return 'CONN';
    return null;
  }
  const w = m[1].toLowerCase();
  if (w.startsWith('rcpt')) return 'RCPT';
  if (w.startsWith('mail')) return 'MAIL';
  if (w === 'helo' || w === 'ehlo' || w === 'starttls') return 'HELO';
  if (w.startsWith('initial') || w.startsWith('connect') || w === 'greeting' || w === 'banner') return 'CONN';
  return 'DATA';
}
