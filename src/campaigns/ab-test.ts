// A/B test: a sample of the audience is split between 2–4 variants; after a set time the
// variant with the best open (or click) rate wins and the rest of the audience gets it. Pure.

export interface AbVariant {
  key: string;
  templateId: number;
}

export interface AbTestSettings {
  variants: AbVariant[];
  /** Share of the audience in the test, 1–50 %. */
  samplePercent: number;
  metric: 'open' | 'click';
  decideAfterMinutes: number;
}

export interface VariantResult {
  key: string;
  sent: number;
  opened: number;
  clicked: number;
}

/** How many of `audience` go into the test sample: at least one per variant when possible. */
export function sampleSize(audience: number, settings: Pick<AbTestSettings, 'samplePercent' | 'variants'>): number {
  const wanted = Math.round((audience * settings.samplePercent) / 100);
  return Math.min(audience, Math.max(wanted, settings.variants.length));
}

/** The winner: the highest rate of the metric; a tie goes to the variant with more sends, then the first listed. */
export function pickWinner(results: VariantResult[], metric: AbTestSettings['metric']): string {
  if (!results.length) throw new Error('an A/B test needs at least one variant');
  const rate = (r: VariantResult) => (r.sent ? (metric === 'open' ? r.opened : r.clicked) / r.sent : 0);
  let best = results[0];
  for (const candidate of results.slice(1)) {
    const better = rate(candidate) > rate(best) || (rate(candidate) === rate(best) && candidate.sent > best.sent);
    if (better) best = candidate;
  }
  return best.key;
}
