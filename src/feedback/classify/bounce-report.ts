// Bounces: recipients, status and reason from DSN parts (RFC 3464) and from the free text of
// non-standard bounces, plus the signals that tell a bounce from other mail.
import { isTaggedAddress } from '../../common/mail-ids';
import { findAddresses, isListRoleAddress, isSystemAddress } from './addresses';
import { findCommand, pickStatus, readBounceText, type TextRecipient } from './bounce-text';
import { findReplyCode, parseDeliveryStatus, type DsnRecipient } from './dsn';
import { cutInlineOriginal, type MessageView } from './message-view';
import { judgeBounce } from './reason';
import { newResult } from './result';
import type { Classification, RecipientResult, SmtpCommand } from './types';

const BOUNCE_FROM =
  /^(?:mailer-daemon|postmaster|mail-daemon|maildaemon|mdaemon|mail\.?delivery|bounce[sd]?|nobody|returned|dsn|mailerdaemon)(?:[@+._-]|$)/i;
const BOUNCE_NAME =
  /mail delivery (?:subsystem|system|service)|mailer[- ]daemon|postmaster|delivery status|mail administrator|системный администратор|почтовая служба|mail ?system/i;
const BOUNCE_SUBJECT =
  /undeliver(?:able|ed)|undelivered mail|delivery (?:status notification|failure|failed|has failed|problem|report|notification)|failure notice|returned mail|return(?:ed)? to sender|mail delivery (?:failed|failure|system|subsystem)|mail system error|could not (?:be )?deliver|delivery unsuccessful|non[- ]?deliver(?:y|able)|nondeliverable|message (?:not delivered|delivery failed|undeliverable|delayed|could not be delivered)|delivery (?:delayed|notification)|warning: could not send|mail could not be delivered|returned message|rejected:|bounced? (?:mail|message)|notice of delivery|не доставлен|недоставлен|не удалось доставить|невозможно доставить|ошибка доставки|письмо не может быть доставлено|сообщение не доставлено|mail failure|permanent error|delivery error|unzustellbar|nicht zugestellt|non remis|[ée]chec de (?:la )?(?:remise|distribution)|no se puede entregar|no entregado|配信|未達|エラー|退信|投递失败/i;
// `[ \t]*`, not `\s*`: with the m flag, `^\s*` at every line start runs over all the blank lines
// that follow, which made a message of 80,000 empty lines cost seconds (quadratic).
const FINAL_RECIPIENT_LINE = /^[ \t]*Final-Recipient\s*:/im;
export const BOUNCE_BODY =
  /could not be delivered|couldn't be delivered|was not delivered|wasn't delivered|delivery (?:to the following recipients? )?(?:has )?failed|failed permanently|undeliverable|permanent (?:fatal )?error|unable to deliver|delivery to the following|the following address(?:es)? (?:had|failed)|not be delivered to one or more|i'm afraid i wasn't able to deliver|message could not be sent|not a member of (?:this|the) (?:mailing )?list|не может быть доставлено|не было доставлено|не удалось доставить|не доставлено|returned to sender|delivery has been delayed|has not yet been delivered|non-delivery/i;

export function isBounce(view: MessageView, strongOnly: boolean): boolean {
  const h = view.headers;
  if (view.reportType === 'delivery-status') return true;
  if (h.has('x-failed-recipients')) return true;
  const fromValue = h.get('from') ?? '';
  const fromAddr = view.from ?? '';
  const systemSender = BOUNCE_FROM.test(fromAddr) || BOUNCE_NAME.test(fromValue.replace(/<[^>]*>/g, ''));
  const subjectSays = BOUNCE_SUBJECT.test(view.subject) && !/^\s*(?:re|fwd?|ответ|отв)\s*:/i.test(view.subject);
  const bodySays = BOUNCE_BODY.test(view.text.slice(0, 8000));
  if (strongOnly) return (systemSender && (subjectSays || bodySays)) || (subjectSays && bodySays);
  const nullSender = /^\s*<?\s*>?\s*$/.test(h.raw('return-path') ?? 'x') || /^<>$/.test((h.raw('return-path') ?? '').trim());
  const machine = nullSender || h.has('auto-submitted');
  // A person writing from a postmaster mailbox ("Re: …", no machine markers) is not a bounce.
  const humanReply = /^\s*(?:re|ответ|отв|aw)\s*:/i.test(view.subject) && !machine;
  return (systemSender && !humanReply) || (subjectSays && (nullSender || bodySays)) || (bodySays && machine);
}

export function deliveryStatus(view: MessageView): DsnRecipient[] {
  const texts = view.deliveryStatus.length > 0 ? view.deliveryStatus : FINAL_RECIPIENT_LINE.test(view.fullText) ? [view.fullText] : [];
  const out: DsnRecipient[] = [];
  for (const t of texts) out.push(...parseDeliveryStatus(t).recipients);
  return out;
}

/** Addresses in a bounce that belong to the sender side or the mail system, not a recipient. */
function bounceExclusions(view: MessageView, strict: boolean): Set<string> {
  const ex = new Set<string>();
  const add = (v: string | undefined): void => {
    if (!v) return;
    for (const a of findAddresses(v, 20)) ex.add(a);
  };
  if (strict) {
    for (const name of ['from', 'to', 'cc', 'reply-to', 'return-path', 'sender']) add(view.headers.raw(name));
  } else {
    add(view.headers.raw('from'));
  }
  if (view.original) for (const name of ['from', 'sender', 'return-path', 'reply-to', 'errors-to']) add(view.original.raw(name));
  for (const name of ['list-id', 'list-post', 'list-owner', 'list-help']) add(view.headers.raw(name));
  // A notice sent by a mailing list: the list's own addresses (its domain) are not recipients.
  const listDomain = view.from && isListRoleAddress(view.from) ? view.from.slice(view.from.lastIndexOf('@') + 1) : null;
  for (const a of findAddresses(view.text.slice(0, 50_000), 200)) {
    if (isTaggedAddress(a) || isListRoleAddress(a) || (listDomain !== null && a.endsWith(`@${listDomain}`))) ex.add(a);
  }
  return ex;
}

/** Mail-system mailboxes named in the notice: a recipient only when clearly named as one. */
function systemAddresses(view: MessageView): Set<string> {
  const out = new Set<string>();
  for (const a of findAddresses(view.text.slice(0, 50_000), 200)) if (isSystemAddress(a)) out.add(a);
  return out;
}

const DELIVERED_ACTIONS = new Set(['delivered', 'relayed', 'expanded']);

/** Recipients from the notice text: sender-side addresses excluded first, then only ours. */
function recipientsFromText(view: MessageView, hints: string[]): TextRecipient[] {
  const excludeWeak = systemAddresses(view);
  const strict = readBounceText(view.text, { exclude: withoutHints(bounceExclusions(view, true), hints), excludeWeak, hints });
  if (strict.strong && strict.recipients.length > 0) return strict.recipients;
  const loose = readBounceText(view.text, { exclude: withoutHints(bounceExclusions(view, false), hints), excludeWeak, hints });
  if (loose.strong && loose.recipients.length > 0) return loose.recipients;
  return strict.recipients.length > 0 ? strict.recipients : [];
}

function withoutHints(ex: Set<string>, hints: string[]): Set<string> {
  for (const h of hints) ex.delete(h);
  return ex;
}

const DELAY_NOTICE =
  /has been delayed|will be retried|has not yet been delivered|warning message only|delivery attempts will continue|delayed delivery|still trying|will (?:keep|continue) trying|zurückgestellt|задерж/i;

export function bounce(view: MessageView, dsn: DsnRecipient[]): Classification {
  const failedHeader = findAddresses(view.headers.raw('x-failed-recipients') ?? '');
  const context = `${view.subject}\n${view.text}`;
  const delayedNotice = DELAY_NOTICE.test(context.slice(0, 4000));
  const recipients: RecipientResult[] = [];

  if (dsn.length > 0) {
    const dsnAddresses = dsn.flatMap((d) => [d.finalRecipient, d.originalRecipient]).filter((a): a is string => a !== null);
    const text = readBounceText(view.text, { exclude: bounceExclusions(view, false), excludeWeak: systemAddresses(view) }).recipients;
    const failed = dsn.filter((d) => !DELIVERED_ACTIONS.has(d.action ?? ''));
    const allDelivered = failed.length === 0;
    for (const d of allDelivered ? dsn : failed) {
      const address = (d.finalRecipient ?? d.originalRecipient) as string;
      const own = text.find((t) => t.address === address || t.address === d.originalRecipient);
      const single = dsn.length === 1 && text.length === 1 && !dsnAddresses.includes(text[0].address) ? text[0] : undefined;
      const delayed = d.action === 'delayed' || (d.action === null && delayedNotice);
      recipients.push(fromDsn(d, address, own ?? single, context, allDelivered, delayed));
    }
    if (allDelivered) {
      const result = newResult(view, 'delivered', false);
      result.recipients = recipients;
      return result;
    }
  } else {
    let list = recipientsFromText(view, failedHeader);
    if (list.length === 0 && view.original) {
      const ex = bounceExclusions(view, true);
      const to = findAddresses(`${view.original.raw('to') ?? ''},${view.original.raw('cc') ?? ''}`).filter((a) => !ex.has(a));
      if (to.length > 0) list = [{ address: to[0], diagnostic: '', status: null, replyCode: null, command: null }];
    }
    for (const t of list) recipients.push(fromText(t, context, delayedNotice));
  }
  const result = newResult(view, 'bounce', false);
  result.recipients = recipients.map(applyProviderRules);
  return result;
}

/** Providers whose refusals mean one thing whatever their (often localised) words say. */
function applyProviderRules(r: RecipientResult): RecipientResult {
  // Google Groups refuses posts from non-members; the group address itself is fine.
  if (r.reason === 'undefined' && r.address.endsWith('@googlegroups.com'))
    return { ...r, reason: 'rejected', hard: false, evidence: { ...r.evidence, rule: 'provider:googlegroups-rejected' } };
  return r;
}

function fromDsn(
  d: DsnRecipient,
  address: string,
  text: TextRecipient | undefined,
  context: string,
  delivered: boolean,
  delayed: boolean,
): RecipientResult {
  const diagnostic = d.diagnostic || text?.diagnostic || null;
  // The remote server's own enhanced code is more precise than the reporting MTA's summary.
  const inDiag = pickStatus(diagnostic) ?? text?.status ?? null;
  const status = inDiag && (!d.status || inDiag[0] === d.status[0]) ? inDiag : d.status;
  const replyCode = findReplyCode(diagnostic) ?? text?.replyCode ?? null;
  const command = findCommand(diagnostic) ?? findCommand(text?.diagnostic) ?? commandBefore(context, d.diagnostic);
  if (delivered) {
    return { address, status, replyCode, diagnostic, hard: false, reason: 'delivered', action: d.action, command, feedbackType: null };
  }
  const typed = d.diagnosticType && d.diagnosticType !== 'smtp' && d.diagnostic ? `${d.diagnosticType}; ${diagnostic}` : diagnostic;
  const { reason, hard, evidence } = judgeBounce({
    diagnostic: typed,
    secondary: text?.diagnostic ?? null,
    context,
    status,
    replyCode,
    command,
    action: d.action,
    delayed,
  });
  return {
    address,
    status,
    replyCode,
    diagnostic,
    hard,
    reason,
    action: d.action,
    command,
    feedbackType: null,
    evidence,
  };
}

/** The ">>> COMMAND" line of a transcript just before the server's reply quoted in `reply`. */
function commandBefore(text: string, reply: string | null): SmtpCommand | null {
  if (!reply) return null;
  const probe = reply
    .replace(/^[a-z0-9-]+;\s*/i, '')
    .slice(0, 40)
    .trim();
  if (probe.length < 6) return null;
  let at = text.indexOf(probe);
  for (let n = 0; at !== -1 && n < 10; n++) {
    const before = text
      .slice(Math.max(0, at - 300), at)
      .split('\n')
      .slice(-3)
      .reverse();
    for (const line of before) {
      const m = /^\s*>>>\s*(\S.*)$/.exec(line);
      if (m) return findCommand(`>>> ${m[1]}`);
    }
    at = text.indexOf(probe, at + probe.length);
  }
  return null;
}

function fromText(t: TextRecipient, context: string, delayed: boolean): RecipientResult {
  const status = t.status ?? pickStatus(context);
  const replyCode = t.replyCode ?? (t.diagnostic ? null : findReplyCode(context));
  const command = t.command ?? findCommand(context);
  const { reason, hard, evidence } = judgeBounce({ diagnostic: t.diagnostic, context, status, replyCode, command, action: null, delayed });
  return {
    address: t.address,
    status,
    replyCode,
    diagnostic: t.diagnostic || null,
    hard,
    reason,
    action: delayed ? 'delayed' : 'failed',
    command,
    feedbackType: null,
    evidence,
  };
}

/** The quoted text of a forwarded bounce, as a view of its own; null when not one. */
export function unquoteForwardedBounce(view: MessageView): MessageView | null {
  if (!/^\s*(?:fwd?|fw|пересл)\s*:/i.test(view.subject) || view.deliveryStatus.length > 0) return null;
  const quoted = view.fullText
    .split('\n')
    .filter((l) => l.startsWith('>'))
    .map((l) => l.replace(/^> ?/, ''))
    .join('\n');
  if (quoted.length < 40) return null;
  const looksBounced = BOUNCE_BODY.test(quoted) || FINAL_RECIPIENT_LINE.test(quoted) || BOUNCE_SUBJECT.test(view.subject);
  if (!looksBounced) return null;
  const cut = cutInlineOriginal(quoted);
  return {
    ...view,
    text: cut.notice,
    fullText: quoted,
    original: cut.original ?? view.original,
    subject: view.subject.replace(/^\s*(?:fwd?|fw|пересл)\s*:\s*/i, ''),
  };
}
