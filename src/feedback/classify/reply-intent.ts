// Intent of a human reply from keyword rules kept as data (rules/intents.json), so sales or
// support can extend them without touching code.
import { findAddresses, isSystemAddress } from './addresses';
import rules from './rules/intents.json';
import type { ReplyIntent } from './types';

interface IntentRuleFile {
  threshold: number;
  addressChangeWithoutAddress: number;
  priority: string[];
  intents: Record<string, Array<{ match: string; weight: number }>>;
}

type ScoredIntent = Exclude<ReplyIntent, 'other'>;

const file = rules as IntentRuleFile;
const COMPILED: Array<{ intent: ScoredIntent; rules: Array<{ regex: RegExp; weight: number }> }> = file.priority.map((intent) => ({
  intent: intent as ScoredIntent,
  rules: (file.intents[intent] ?? []).map((r) => ({ regex: new RegExp(r.match, 'i'), weight: r.weight })),
}));
const MAX_TEXT = 8000;

export interface IntentResult {
  intent: ReplyIntent;
  newAddress: string | null;
  scores: Record<ScoredIntent, number>;
}

/**
 * Scores the reply text against every intent. `known` are addresses that cannot be a new
 * address (the sender, our own addresses).
 */
export function detectIntent(text: string, known: Iterable<string> = []): IntentResult {
  const normalised = normalise(text);
  const scores = { unsubscribe: 0, address_change: 0, complaint: 0, lead: 0 } as Record<ScoredIntent, number>;
  for (const { intent, rules: list } of COMPILED) {
    for (const r of list) if (r.regex.test(normalised)) scores[intent] += r.weight;
  }
  const exclude = new Set([...known].map((a) => a.toLowerCase()));
  const newAddress = pickNewAddress(text, exclude);
  if (!newAddress && scores.address_change < file.addressChangeWithoutAddress) scores.address_change = 0;
  let best: ReplyIntent = 'other';
  let bestScore = file.threshold - 1;
  for (const { intent } of COMPILED) {
    if (scores[intent] > bestScore) {
      best = intent;
      bestScore = scores[intent];
    }
  }
  return { intent: best, newAddress: best === 'address_change' ? newAddress : null, scores };
}

function normalise(text: string): string {
  const t = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
  return t
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[ \t\u00a0]+/g, ' ');
}

// Words that point at the address which follows them.
const POINTER =
  /(?:write|send|contact|forward|direct|reach|email|e-mail|address|at|to|пишите|обращайтесь|направляйте|отправляйте|адрес|почта|e-?mail|на|:)\s*$/i;

/** The address a reply asks us to use instead: one that follows a pointer phrase, else the first. */
function pickNewAddress(text: string, exclude: Set<string>): string | null {
  const candidates: Array<{ address: string; pointed: boolean }> = [];
  for (const address of findAddresses(text, 20)) {
    if (exclude.has(address) || isSystemAddress(address)) continue;
    const at = text.toLowerCase().indexOf(address);
    const before = at > 0 ? text.slice(Math.max(0, at - 40), at).replace(/[<("'[]+$/, '') : '';
    candidates.push({ address, pointed: POINTER.test(before) });
  }
  return (candidates.find((c) => c.pointed) ?? candidates[0])?.address ?? null;
}
