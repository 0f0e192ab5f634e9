// Which locale variant of a template a customer gets.

import { languageOf } from './format';

export const FALLBACK_LOCALES = ['ru', 'en'] as const;

/**
 * Picks the variant for a customer's locale: the exact tag ("en-GB"), then its language
 * ("en"), then Russian, then English, then whatever exists (first by name).
 * Returns the chosen locale key, or undefined when there are no variants.
 */
export function pickLocale(available: Iterable<string>, customerLocale: string | null | undefined): string | undefined {
  const locales = [...available];
  if (locales.length === 0) return undefined;
  const byLower = new Map(locales.map((l) => [l.toLowerCase().replace('_', '-'), l]));
  const wanted = (customerLocale ?? '').trim().toLowerCase().replace('_', '-');
  const candidates = [wanted, languageOf(wanted), ...FALLBACK_LOCALES];
  for (const candidate of candidates) {
    const hit = candidate ? byLower.get(candidate) : undefined;
    if (hit) return hit;
  }
  return [...locales].sort()[0];
}

/** The variant itself from a locale → variant map. */
export function pickVariant<T>(variants: ReadonlyMap<string, T>, customerLocale: string | null | undefined): T | undefined {
  const locale = pickLocale(variants.keys(), customerLocale);
  return locale === undefined ? undefined : variants.get(locale);
}
