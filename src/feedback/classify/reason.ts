// Bounce reason: diagnostic text patterns first (rules/reasons.json), then the enhanced status
// code, then weaker patterns and the SMTP command the failure happened at.
import { ownValue } from '../../common/own-value';
import rules from './rules/reasons.json';
import type { BounceReason, Evidence, SmtpCommand } from './types';

interface CompiledRule {
  reason: BounceReason;
  regex: RegExp;
}

interface RuleFile {
  patterns: Array<{ reason: string; match: string[]; weak?: boolean }>;
  status: Record<string, string>;
  statusFirst: string[];
  hard: string[];
}

const ruleFile = rules as RuleFile;

function compile(weak: boolean): CompiledRule[] {
  return ruleFile.patterns
    .filter((p) => Boolean(p.weak) === weak && p.match.length > 0)
    .map((p) => ({ reason: p.reason as BounceReason, regex: new RegExp(p.match.map((m) => `(?:${m})`).join('|'), 'i') }));
}

const STRONG = compile(false);
const WEAK = compile(true);
const HARD = new Set(ruleFile.hard);
const STATUS = ruleFile.status as Record<string, BounceReason>;
const STATUS_FIRST = new Set(ruleFile.statusFirst);
/** Longest text a pattern is run over; diagnostics are short, this bounds regex cost. */
const MAX_TEXT = 4000;

export interface ReasonInput {
  /** The recipient's own diagnostic (Diagnostic-Code, or the text beside the address). */
  diagnostic?: string | null;
  /** More text about the same recipient (the notice lines beside its address). */
  secondary?: string | null;
  /** Wider text that may explain the failure (the whole notice, subject), tried last. */
  context?: string | null;
  status?: string | null;
  replyCode?: string | null;
  command?: SmtpCommand | null;
  action?: string | null;
  /** The report is a delay warning, not a final failure. */
  delayed?: boolean;
}

type Tier = 'strong' | 'weak';

export interface BounceJudgement {
  reason: BounceReason;
  hard: boolean;
  evidence: Evidence;
}

interface Match {
  reason: BounceReason;
  excerpt: string;
}

function matchAt(text: string, tier: Tier, skipHard = false): Match | null {
  if (!text) return null;
  for (const r of tier === 'strong' ? STRONG : WEAK) {
    if (skipHard && HARD.has(r.reason)) continue;
    const m = r.regex.exec(text);
    if (m) return { reason: r.reason, excerpt: excerpt(text, m.index, m[0].length) };
  }
  return null;
}

function match(text: string, tier: Tier): BounceReason | null {
  return matchAt(text, tier)?.reason ?? null;
}

/** The line around a match, at most ~200 characters, so a person can read why. */
function excerpt(text: string, at: number, length: number): string {
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const nl = text.indexOf('\n', at + length);
  const lineEnd = nl === -1 ? text.length : nl;
  const from = Math.max(lineStart, at - 80);
  const to = Math.min(lineEnd, at + length + 100);
  return `${from > lineStart ? '…' : ''}${text.slice(from, to).replace(/\s+/g, ' ').trim()}${to < lineEnd ? '…' : ''}`;
}

/** Reason from diagnostic text alone (strong patterns, then weak ones). */
export function reasonFromText(text: string | null | undefined): BounceReason | null {
  const t = prepare(text);
  return match(t, 'strong') ?? match(t, 'weak');
}

/** Reason from an enhanced status code such as 5.1.1 (exact codes first, then class-free). */
export function reasonFromStatus(status: string | null | undefined): BounceReason | null {
  if (!status) return null;
  const exact = ownValue(STATUS, status);
  if (exact) return exact;
  return ownValue(STATUS, 'x' + status.slice(status.indexOf('.'))) ?? null;
}

function statusKey(status: string): string {
  return ownValue(STATUS, status) ? status : 'x' + status.slice(status.indexOf('.'));
}

function statusIsTrusted(status: string | null | undefined): boolean {
  if (!status) return false;
  return STATUS_FIRST.has(status) || STATUS_FIRST.has('x' + status.slice(status.indexOf('.')));
}

export function classifyReason(input: ReasonInput): BounceReason {
  return judgeBounce(input).reason;
}

/**
 * Reason, hardness and evidence of one failed recipient. When in doubt, soft: a recipient is
 * hard only when its own diagnostic or an unambiguous status code says the address itself is
 * dead (RFC 3463 X.1.1, X.1.2, X.1.3, X.1.10 …) and nothing in its words says the failure is
 * about policy, content, quota, rate or a temporary condition.
 */
export function judgeBounce(input: ReasonInput): BounceJudgement {
  const d = decide(input);
  const status = input.status ?? undefined;
  const withStatus = (e: Evidence): Evidence => (status ? { ...e, status } : e);
  let reason = d.reason;
  let rule = d.rule;
  const matchedLine = d.matchedLine;
  // A recipient "unknown" only after the message body was sent exists: the content was refused.
  // (An explicit X.1.1/X.1.3 code still says the mailbox is unknown, as an LMTP server would.)
  if (
    reason === 'userunknown' &&
    input.command === 'DATA' &&
    GENERIC_UNKNOWN.test(input.diagnostic ?? '') &&
    !/^[45]\.1\.\d+$/.test(input.status ?? '')
  ) {
    reason = 'filtered';
    rule = 'command:DATA-filtered';
  }
  // Refused at MAIL FROM: unless the words say more, it is the sender that was refused.
  else if (
    input.command === 'MAIL' &&
    (d.weak || reason === 'userunknown' || reason === 'hostunknown' || reason === 'systemerror' || reason === 'undefined')
  ) {
    reason = 'rejected';
    rule = 'command:MAIL-rejected';
  }
  // Refused before any envelope command: the sending host itself is not welcome.
  else if ((input.command === 'CONN' || input.command === 'HELO') && (d.weak || reason === 'undefined')) {
    reason = 'blocked';
    rule = `command:${input.command}-blocked`;
  }
  // A delay warning whose cause is vague: the message is still waiting, it has not failed.
  else if (input.delayed && (reason === 'undefined' || reason === 'networkerror' || reason === 'systemerror' || reason === 'onhold')) {
    reason = 'expired';
    rule = 'delayed:expired';
  }
  if (!HARD.has(reason)) return { reason, hard: false, evidence: withStatus({ rule, ...(matchedLine ? { matchedLine } : {}) }) };

  // From here the reason says the address is dead; look for any reason to doubt it.
  // The recipient's own reply (and the wider notice when that is what spoke), addresses taken
  // out so a mailbox named "filtered@" or "spam@" is not read as a cause.
  const own = withoutAddresses(
    d.source === 'context' ? `${prepare(input.diagnostic)}\n${prepare(input.context)}` : prepare(input.diagnostic),
  );
  const soft = softCue(own);
  if (soft) {
    // Text evidence of a soft cause (policy, spam, quota, suspension, rate …) outweighs a
    // generic 5.x.x status or a hard-sounding phrase elsewhere in the same reply.
    const softReason = soft.reason;
    return { reason: softReason, hard: false, evidence: withStatus({ rule: `soft:text-${softReason}`, matchedLine: soft.excerpt }) };
  }
  // X.7.x says a security or policy rule refused the message: a bare "user unknown" beside it
  // is a filter's cover wording, not a dead address.
  if (input.status && /^5\.7\.\d+$/.test(input.status) && reason === 'userunknown' && GENERIC_UNKNOWN.test(input.diagnostic ?? '')) {
    return {
      reason: 'filtered',
      hard: false,
      evidence: withStatus({ rule: 'soft:status-contradicts-unknown', ...(matchedLine ? { matchedLine } : {}) }),
    };
  }
  // X.7.x is a security or policy refusal: a "domain not found" under it is about the sender.
  if (input.status && /^[45]\.7\./.test(input.status) && reason === 'hostunknown') {
    return {
      reason: 'rejected',
      hard: false,
      evidence: withStatus({ rule: 'soft:policy-status-x.7', ...(matchedLine ? { matchedLine } : {}) }),
    };
  }
  const temporary =
    (input.status ?? '').startsWith('4.') ||
    (input.replyCode ?? '').startsWith('4') ||
    input.delayed === true ||
    input.action === 'delayed';
  // Only the recipient's own words or an unambiguous code may make an address hard.
  const hard = !temporary && !d.weak;
  const why = temporary ? 'soft:temporary' : d.weak ? 'soft:weak-words' : rule;
  return { reason, hard, evidence: withStatus({ rule: why, ...(matchedLine ? { matchedLine } : {}) }) };
}

// Words that make a failure soft whatever else the reply says (checked only when a hard
// reason was found), with the reason they stand for.
const SOFT_CUES: Array<[RegExp, BounceReason]> = [
  [/\b(?:temporar(?:y|ily)|try (?:again )?later|greylist(?:ed|ing)?|deferred)\b/i, 'systemerror'],
  [
    /\b(?:over ?quota|quota (?:exceeded|full)|(?:mail ?box|inbox|mail folder|storage) (?:is )?(?:full|over)|insufficient storage|out of storage)\b/i,
    'mailboxfull',
  ],
  [/\b(?:suspended|frozen|inactive)\b/i, 'suspend'],
  [/\b(?:spam|junk|unsolicited)\b/i, 'spamdetected'],
  [/\b(?:reputation|black ?listed|block ?listed|blacklist|blocklist|dnsbl|rbl)\b/i, 'blocked'],
  [/\bpolic(?:y|ies)\b/i, 'policyviolation'],
  [/\brate[ -]?limit|\btoo many (?:messages|connections|recipients)|\bthrottl/i, 'toomanyconn'],
  [/\b(?:content|spam|mail|message) filter|\bfiltered\b|\bcontent (?:rejected|refused|not accepted)/i, 'filtered'],
];

function withoutAddresses(text: string): string {
  return text.replace(/[^\s<>()"'@]{1,64}@[^\s<>()"']{1,255}/g, '<address>').replace(/\bhttps?:\/\/\S{1,500}/gi, '<url>');
}

function softCue(text: string): Match | null {
  for (const [regex, reason] of SOFT_CUES) {
    const m = regex.exec(text);
    if (m) return { reason, excerpt: excerpt(text, m.index, m[0].length) };
  }
  return null;
}

const GENERIC_UNKNOWN = /\b(?:user unknown|unknown user)\b/i;

type Source = 'diagnostic' | 'secondary' | 'context' | 'status' | 'command' | 'default';

interface Decision {
  reason: BounceReason;
  weak: boolean;
  rule: string;
  source: Source;
  matchedLine?: string;
}

function decide(input: ReasonInput): Decision {
  if (statusIsTrusted(input.status)) {
    const status = input.status as string;
    return { reason: reasonFromStatus(status) as BounceReason, weak: false, rule: `status:${statusKey(status)}`, source: 'status' };
  }
  const diag = prepare(input.diagnostic);
  const second = prepare(input.secondary);
  const ctx = prepare(input.context);
  const text = (m: Match | null, source: Source, weak = false): Decision | null =>
    m ? { reason: m.reason, weak, rule: `text:${m.reason}${weak ? ':weak' : ''}`, source, matchedLine: m.excerpt } : null;
  const byStatus = reasonFromStatus(input.status);
  const result =
    text(matchAt(diag, 'strong'), 'diagnostic') ??
    (byStatus ? { reason: byStatus, weak: false, rule: `status:${statusKey(input.status as string)}`, source: 'status' as const } : null) ??
    text(matchAt(second, 'strong'), 'secondary') ??
    text(matchAt(diag, 'weak'), 'diagnostic', true) ??
    text(matchAt(second, 'weak'), 'secondary', true) ??
    text(matchAt(ctx, 'strong'), 'context') ??
    text(matchAt(ctx, 'weak'), 'context', true);
  if (result) return result;
  if (input.command === 'MAIL') return { reason: 'rejected', weak: false, rule: 'command:MAIL-rejected', source: 'command' };
  if (input.command === 'CONN' || input.command === 'HELO')
    return { reason: 'blocked', weak: false, rule: `command:${input.command}-blocked`, source: 'command' };
  if (input.action === 'delayed' || input.delayed) return { reason: 'expired', weak: false, rule: 'delayed:expired', source: 'default' };
  return { reason: 'undefined', weak: false, rule: 'default:undefined', source: 'default' };
}

/**
 * Normalises a diagnostic for matching: repeated multi-line reply prefixes ("550-5.7.1 ") are
 * dropped, a wrapped remote reply (SES "Unknown address error 550-'…'") is unwrapped.
 */
function prepare(text: string | null | undefined): string {
  if (!text) return '';
  let t = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
  const wrapped = /unknown address error\s+([245]\d\d[ -]'.*)$/i.exec(t);
  if (wrapped) t = wrapped[1];
  return t.replace(/(\S)\s+[245]\d\d[- ](?:[245]\.\d{1,3}\.\d{1,3}\s+)?(?=\S)/g, '$1 ');
}

/** True when the reason means the address itself is permanently dead. */
export function isHardReason(reason: BounceReason, status?: string | null): boolean {
  if (!HARD.has(reason)) return false;
  return !(status && status.startsWith('4.'));
}
