// PostgreSQL stores neither U+0000 (text and jsonb refuse it) nor a lone UTF-16 surrogate
// (jsonb refuses its \ud800 escape; text columns silently get U+FFFD from the driver). Text
// from strangers (inbound mail, request bodies) is checked or cleaned with these before it
// is stored, so hostile bytes give a clear error or a readable value, never a failed INSERT.

const NUL = '\u0000';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/** Why a string cannot be stored as it is, or null when it can. */
export function unstorableReason(text: string): string | null {
  if (text.includes(NUL)) return 'contains the NUL character (U+0000), which cannot be stored';
  if (LONE_SURROGATE.test(text)) return 'contains an unpaired UTF-16 surrogate, which is not valid Unicode';
  return null;
}

/** The text without NULs and with lone surrogates replaced by U+FFFD. */
export function storableText(text: string): string {
  let out = text.includes(NUL) ? text.replaceAll(NUL, '') : text;
  if (LONE_SURROGATE.test(out)) out = out.replace(LONE_SURROGATES, '\uFFFD');
  return out;
}

/** A copy of a JSON-like value with every string (keys too) made storable; the value itself when nothing needed it. */
export function storableDeep<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) {
    let changed = false;
    const out = (value as unknown[]).map((v) => {
      const s = storableDeep(v);
      changed ||= s !== v;
      return s;
    });
    return (changed ? out : value) as T;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value)) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value) as Array<[string, unknown]>) {
      const key = storableText(k);
      const s = storableDeep(v);
      changed ||= s !== v || key !== k;
      // A key may be "__proto__" (JSON.parse makes it an own key): define, never assign through the setter.
      Object.defineProperty(out, key, { value: s, enumerable: true, writable: true, configurable: true });
    }
    return (changed ? out : value) as T;
  }
  return value;
}

/** The first `max` UTF-16 units of the text, one fewer when the cut would split a surrogate pair. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/** Deeper than any body the API defines (segment rules reach ~22 levels); JSON.stringify overflows the stack near 10,000. */
export const MAX_JSON_DEPTH = 64;

/**
 * The path of the first string (value or key) in a parsed body that cannot be stored, with
 * why, or of the first value nested deeper than `maxDepth` (Prisma writes JSON with
 * JSON.stringify, which overflows the stack on a deep enough value: a 500); null when all is
 * well. Iterative, so a deep body cannot overflow it. Paths read like the validation errors:
 * `attributes.note`, `tags[2]`.
 */
export function findUnstorable(value: unknown, path = '', maxDepth = MAX_JSON_DEPTH): { path: string; message: string } | null {
  const stack: Array<[unknown, string, number]> = [[value, path, 0]];
  while (stack.length) {
    const [v, at, depth] = stack.pop()!;
    if (typeof v === 'string') {
      const reason = unstorableReason(v);
      if (reason) return { path: at || '(body)', message: reason };
    } else if (v !== null && typeof v === 'object') {
      if (depth >= maxDepth) return { path: at || '(body)', message: `nested more than ${maxDepth} levels deep` };
      if (Array.isArray(v)) {
        for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${at}[${i}]`, depth + 1]);
        continue;
      }
      const entries: Array<[string, unknown]> = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, inner] = entries[i];
        const keyPath = at ? `${at}.${k}` : k;
        const reason = unstorableReason(k);
        if (reason) return { path: keyPath, message: `key ${reason}` };
        stack.push([inner, keyPath, depth + 1]);
      }
    }
  }
  return null;
}
