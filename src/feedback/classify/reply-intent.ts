// Intent of a human reply from keyword rules kept as data (rules/intents.json), so sales or
// support can extend them without touching code.
import { findAddresses, isSystemAddress } from './addresses';
import rules from './rules/intents.json';
import type { Evidence, ReplyIntent } from './types';

interface IntentRuleFile {
  threshold: number;
  addressChangeWithoutAddress: number;
  priority: string[];
  intents: Record<string, Array<{ id?: string; match: string; weight: number; flags?: string }>>;
}

type ScoredIntent = Exclude<ReplyIntent, 'other'>;

const file = rules as IntentRuleFile;
const COMPILED: Array<{ intent: ScoredIntent; rules: Array<{ id: string; regex: RegExp; weight: number }> }> = file.priority.map(
  (intent) => ({
    intent: intent as ScoredIntent,
    rules: (file.intents[intent] ?? []).map((r, i) => ({
      id: r.id ?? `${intent}/${i}`,
      regex: new RegExp(r.match, `i${(r.flags ?? '').replace(/[^ms]/g, '')}`),
      weight: r.weight,
    })),
  }),
);
const MAX_TEXT = 8000;

export interface IntentResult {
  intent: ReplyIntent;
  newAddress: string | null;
  scores: Record<ScoredIntent, number>;
  /** The rules of the chosen intent that matched, with the line each matched (empty for 'other'). */
  evidence: Evidence[];
}

/**
 * Scores the reply text against every intent. `known` are addresses that cannot be a new
 * address (the sender, our own addresses).
 */
export function detectIntent(text: string, known: Iterable<string> = []): IntentResult {
  const normalised = normalise(text);
  const scores = { unsubscribe: 0, address_change: 0, complaint: 0, lead: 0 } as Record<ScoredIntent, number>;
  const matched: Record<ScoredIntent, Evidence[]> = { unsubscribe: [], address_change: [], complaint: [], lead: [] };
  for (const { intent, rules: list } of COMPILED) {
    for (const r of list) {
      const m = r.regex.exec(normalised);
      if (!m) continue;
      scores[intent] += r.weight;
      matched[intent].push({ rule: `reply:${r.id}`, matchedLine: lineAround(normalised, m.index) });
    }
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
  const evidence = best === 'other' ? [] : matched[best];
  return { intent: best, newAddress: best === 'address_change' ? newAddress : null, scores, evidence };
}

function normalise(text: string): string {
  const t = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
  return t
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[,;«»"“”]+/g, ' ')
    .replace(/[ \t\u00a0]+/g, ' ');
}

function lineAround(text: string, at: number): string {
  const start = text.lastIndexOf('\n', at) + 1;
  const nl = text.indexOf('\n', at);
  const line = text.slice(start, nl === -1 ? text.length : nl).trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
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
