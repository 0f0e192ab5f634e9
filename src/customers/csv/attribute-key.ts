// The key an unknown import column is stored under in `attributes`: one a segment rule can name
// (`attributes.<key>`, keys ^[A-Za-z0-9_]{1,64}$), so a Russian header is transliterated and
// written in snake_case: «Любимый цвет» → lyubimyy_tsvet. A few common headers have a fixed
// English key («Город» → city). A header with nothing left to transliterate keeps its text.
import { transliterate } from '../../common/translit';

/** Headers with a conventional key, compared after the same transliteration. */
const KNOWN_KEYS: Readonly<Record<string, string>> = { gorod: 'city', city: 'city', strana: 'country', country: 'country' };

export const ATTRIBUTE_KEY_MAX_LENGTH = 64;

export function attributeKey(header: string): string {
  const key = transliterate(header)
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, ATTRIBUTE_KEY_MAX_LENGTH)
    .replace(/_+$/, '');
  if (key === '') return header;
  return KNOWN_KEYS[key] ?? key;
}

/** Keys for a file's attribute columns, in order: a second header with the same key gets _2, _3 … */
export function attributeKeys(headers: readonly string[]): string[] {
  const used = new Set<string>();
  return headers.map((header) => {
    const base = attributeKey(header);
    let key = base;
    for (let n = 2; used.has(key); n++) key = `${base.slice(0, ATTRIBUTE_KEY_MAX_LENGTH - String(n).length - 1)}_${n}`;
    used.add(key);
    return key;
  });
}
