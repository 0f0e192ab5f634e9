// Bounce reason: diagnostic text patterns first (rules/reasons.json), then the enhanced status
// code, then weaker patterns and the SMTP command the failure happened at.
import { ownValue } from '../../common/own-value';
import rules from './rules/reasons.json';
import type { BounceReason, SmtpCommand } from './types';

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

function match(text: string, tier: Tier): BounceReason | null {
  if (!text) return null;
  for (const r of tier === 'strong' ? STRONG : WEAK) if (r.regex.test(text)) return r.reason;
  return null;
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

function statusIsTrusted(status: string | null | undefined): boolean {
  if (!status) return false;
  return STATUS_FIRST.has(status) || STATUS_FIRST.has('x' + status.slice(status.indexOf('.')));
}

export function classifyReason(input: ReasonInput): BounceReason {
  const { reason, weak } = decide(input);
  // A recipient "unknown" only after the message body was sent exists: the content was refused.
  if (
    reason === 'userunknown' &&
    input.command === 'DATA' &&
    GENERIC_UNKNOWN.test(input.diagnostic ?? '') &&
    !/^5\.1\.[13]$/.test(input.status ?? '')
  ) {
    return 'filtered';
  }
  // Refused at MAIL FROM: unless the words say more, it is the sender that was refused.
  if (
    input.command === 'MAIL' &&
    (weak || reason === 'userunknown' || reason === 'hostunknown' || reason === 'systemerror' || reason === 'undefined')
  ) {
    return 'rejected';
  }
  // Refused before any envelope command: the sending host itself is not welcome.
  if ((input.command === 'CONN' || input.command === 'HELO') && (weak || reason === 'undefined')) return 'blocked';
  // A delay warning whose cause is vague: the message is still waiting, it has not failed.
  if (input.delayed && (reason === 'undefined' || reason === 'networkerror' || reason === 'systemerror' || reason === 'onhold'))
    return 'expired';
  return reason;
}

const GENERIC_UNKNOWN = /\b(?:user unknown|unknown user)\b/i;

function decide(input: ReasonInput): { reason: BounceReason; weak: boolean } {
  const found = (reason: BounceReason | null, weak = false): { reason: BounceReason; weak: boolean } | null =>
    reason ? { reason, weak } : null;
  if (statusIsTrusted(input.status)) return { reason: reasonFromStatus(input.status) as BounceReason, weak: false };
  const diag = prepare(input.diagnostic);
  const second = prepare(input.secondary);
  const ctx = prepare(input.context);
  const result =
    found(match(diag, 'strong')) ??
    found(reasonFromStatus(input.status)) ??
    found(match(second, 'strong')) ??
    found(match(diag, 'weak'), true) ??
    found(match(second, 'weak'), true) ??
    found(match(ctx, 'strong')) ??
    found(match(ctx, 'weak'), true);
  if (result) return result;
  if (input.command === 'MAIL') return { reason: 'rejected', weak: false };
  if (input.command === 'CONN' || input.command === 'HELO') return { reason: 'blocked', weak: false };
  if (input.action === 'delayed' || input.delayed) return { reason: 'expired', weak: false };
  return { reason: 'undefined', weak: false };
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
