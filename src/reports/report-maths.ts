// The arithmetic of the reports: rates from counts, the chart's time buckets with the gaps
// filled (CSV cells: src/common/csv.ts). The counting itself happens in SQL (reports.repository.ts); this is
// what is left to do on a few hundred rows. Pure.
import { DateTime } from 'luxon';

export type Interval = 'hour' | 'day';

/** Counts of one scope (the whole campaign, or one A/B variant). */
export interface CampaignCounts {
  audience: number;
  sent: number;
  delivered: number;
  deliveryConfirmed: number;
  softBounced: number;
  hardBounced: number;
  openedUnique: number;
  opensTotal: number;
  botOpens: number;
  clickedUnique: number;
  clicksTotal: number;
  botClicks: number;
  unsubscribed: number;
  complained: number;
  reclamations: number;
  replied: number;
  leads: number;
  suppressed: number;
  skipped: number;
  failed: number;
  cancelled: number;
  pending: number;
}

export interface CampaignRates {
  deliveryRate: number | null;
  bounceRate: number | null;
  openRate: number | null;
  clickRate: number | null;
  clickToOpenRate: number | null;
  unsubscribeRate: number | null;
  complaintRate: number | null;
  replyRate: number | null;
  conversionRate: number | null;
}

/** part / whole, to four decimals (0.1234 = 12.34 %); null when there is no whole to divide. */
export function ratio(part: number, whole: number): number | null {
  if (!whole) return null;
  return Math.round((part / whole) * 10_000) / 10_000;
}

/**
 * Rates the way mailing tools usually state them: bounces per message sent, everything a
 * recipient did per message delivered, clicks also per unique open.
 */
export function campaignRates(counts: CampaignCounts, orders: number): CampaignRates {
  return {
    deliveryRate: ratio(counts.delivered, counts.sent),
    bounceRate: ratio(counts.softBounced + counts.hardBounced, counts.sent),
    openRate: ratio(counts.openedUnique, counts.delivered),
    clickRate: ratio(counts.clickedUnique, counts.delivered),
    clickToOpenRate: ratio(counts.clickedUnique, counts.openedUnique),
    unsubscribeRate: ratio(counts.unsubscribed, counts.delivered),
    complaintRate: ratio(counts.complained, counts.delivered),
    replyRate: ratio(counts.replied, counts.delivered),
    conversionRate: ratio(orders, counts.delivered),
  };
}

/** Hourly buckets for a campaign that went out within three days, daily ones after. */
export function pickInterval(first: Date | null, last: Date | null): Interval {
  if (!first || !last) return 'hour';
  return last.getTime() - first.getTime() <= 3 * 86_400_000 ? 'hour' : 'day';
}

export const MAX_BUCKETS = 2000;

/**
 * The chart's rows: one per bucket from the first to the last, the empty ones included, each
 * with every series (0 where nothing happened). Bucket labels are local times in `zone`
 * ("2026-11-23T14:00"), as SQL's date_trunc made them. Past MAX_BUCKETS the rest is cut.
 */
export function fillSeries<S extends string>(
  rows: Array<{ bucket: string; series: S; count: number }>,
  series: readonly S[],
  interval: Interval,
): Array<{ bucket: string } & Record<S, number>> {
  if (!rows.length) return [];
  const byBucket = new Map<string, Record<S, number>>();
  for (const row of rows) {
    let entry = byBucket.get(row.bucket);
    if (!entry) byBucket.set(row.bucket, (entry = Object.fromEntries(series.map((s) => [s, 0])) as Record<S, number>));
    entry[row.series] = (entry[row.series] ?? 0) + row.count;
  }
  const labels = [...byBucket.keys()].sort();
  const out: Array<{ bucket: string } & Record<S, number>> = [];
  // Local wall-clock labels step in UTC arithmetic: no zone shifts, every label is hit once.
  let at = DateTime.fromISO(labels[0], { zone: 'utc' });
  const last = DateTime.fromISO(labels[labels.length - 1], { zone: 'utc' });
  while (at <= last && out.length < MAX_BUCKETS) {
    const bucket = at.toFormat("yyyy-MM-dd'T'HH:mm");
    out.push({ bucket, ...(byBucket.get(bucket) ?? (Object.fromEntries(series.map((s) => [s, 0])) as Record<S, number>)) });
    at = at.plus(interval === 'hour' ? { hours: 1 } : { days: 1 });
  }
  return out;
}
