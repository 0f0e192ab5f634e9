// SMS length maths: which encoding a text needs and how many segments it costs.
//
// GSM-7 (3GPP TS 23.038 default alphabet): 160 septets in one SMS, 153 per part of a
// concatenated SMS (the UDH takes the rest). Characters of the extension table are sent as
// ESC + char and cost two septets; an escape pair is never split across two parts.
// Anything outside the basic set and the extension table (any Cyrillic letter, an emoji,
// a curly quote) forces UCS-2: 70 UTF-16 code units in one SMS, 67 per part; a surrogate
// pair (emoji) costs two units and is never split either.

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsLengthReport {
  encoding: SmsEncoding;
  /** user-visible characters (Unicode code points) */
  characters: number;
  /** billing units: GSM-7 septets or UCS-2 (UTF-16) code units */
  units: number;
  segments: number;
  /** units that fit in one segment at this length: 160/153 or 70/67 */
  perSegment: number;
  /** units still free in the last segment */
  remaining: number;
  /** the characters that forced UCS-2, deduplicated, in order of appearance */
  nonGsmCharacters: string[];
}

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' + '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '\f^{}\\[~]|€';

const BASIC = new Set<number>();
for (const ch of GSM_BASIC) BASIC.add(ch.codePointAt(0)!);
const EXTENSION = new Set<number>();
for (const ch of GSM_EXTENSION) EXTENSION.add(ch.codePointAt(0)!);

export const GSM7_SINGLE = 160;
export const GSM7_MULTI = 153;
export const UCS2_SINGLE = 70;
export const UCS2_MULTI = 67;

/** Septets one character costs in GSM-7, or 0 when it has no GSM-7 form. */
function gsmCost(codePoint: number): 0 | 1 | 2 {
  if (BASIC.has(codePoint)) return 1;
  if (EXTENSION.has(codePoint)) return 2;
  return 0;
}

/** Greedy packing of indivisible costs into parts of `multi` units. */
function countParts(costs: number[], total: number, single: number, multi: number): { segments: number; remaining: number } {
  if (total === 0) return { segments: 0, remaining: single };
  if (total <= single) return { segments: 1, remaining: single - total };
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > multi) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return { segments, remaining: multi - used };
}

export function smsLength(text: string): SmsLengthReport {
  const gsmCosts: number[] = [];
  const nonGsm = new Set<string>();
  let septets = 0;
  let characters = 0;
  for (const ch of text) {
    characters += 1;
    const cost = gsmCost(ch.codePointAt(0)!);
    if (cost === 0) {
      nonGsm.add(ch);
    } else {
      gsmCosts.push(cost);
      septets += cost;
    }
  }
  if (nonGsm.size === 0) {
    const { segments, remaining } = countParts(gsmCosts, septets, GSM7_SINGLE, GSM7_MULTI);
    return {
      encoding: 'GSM-7',
      characters,
      units: septets,
      segments,
      perSegment: segments > 1 ? GSM7_MULTI : GSM7_SINGLE,
      remaining,
      nonGsmCharacters: [],
    };
  }
  const unitCosts: number[] = [];
  for (const ch of text) unitCosts.push(ch.length); // 1, or 2 for a surrogate pair
  const { segments, remaining } = countParts(unitCosts, text.length, UCS2_SINGLE, UCS2_MULTI);
  return {
    encoding: 'UCS-2',
    characters,
    units: text.length,
    segments,
    perSegment: segments > 1 ? UCS2_MULTI : UCS2_SINGLE,
    remaining,
    nonGsmCharacters: [...nonGsm],
  };
}

/** A warning text when a rendered SMS needs more segments than allowed, else undefined. */
export function segmentWarning(report: SmsLengthReport, maxSegments: number): string | undefined {
  if (report.segments <= maxSegments) return undefined;
  const why =
    report.encoding === 'UCS-2'
      ? ` (UCS-2 because of ${report.nonGsmCharacters
          .slice(0, 5)
          .map((c) => JSON.stringify(c))
          .join(', ')})`
      : '';
  return `SMS needs ${report.segments} segments, limit is ${maxSegments}: ${report.units} ${report.encoding} units${why}`;
}

const TYPOGRAPHY_TO_GSM: Record<string, string> = {
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  '\u00a0': ' ',
  '\u2007': ' ',
  '\u2009': ' ',
  '\u202f': ' ',
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u00ab': '"',
  '\u00bb': '"',
  '\u2026': '...',
};
const TYPOGRAPHY = new RegExp(`[${Object.keys(TYPOGRAPHY_TO_GSM).join('')}]`, 'g');

/**
 * The text with typographic dashes, spaces, quotes and ellipses replaced by their GSM-7
 * look-alikes, when that makes the whole text GSM-7 ("12–14 March" from Intl would
 * otherwise force UCS-2 and halve the segment size); otherwise the text unchanged.
 */
export function preferGsm7(text: string): string {
  TYPOGRAPHY.lastIndex = 0;
  if (!TYPOGRAPHY.test(text)) return text;
  const plain = text.replace(TYPOGRAPHY, (ch) => TYPOGRAPHY_TO_GSM[ch]);
  for (const ch of plain) if (gsmCost(ch.codePointAt(0)!) === 0) return text;
  return plain;
}
