// Russian Cyrillic → Latin letters (a simple passport-style table: «Любимый цвет» → lyubimyy tsvet).
// Used for import attribute keys (customers/csv/attribute-key.ts) and the demo data's emails and slugs.

const TRANSLIT: Readonly<Record<string, string>> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
};

/** Lower-cases `text` and writes each Cyrillic letter in Latin; every other character is kept. */
export function transliterate(text: string): string {
  let out = '';
  for (const ch of text.toLowerCase()) out += TRANSLIT[ch] ?? ch;
  return out;
}
