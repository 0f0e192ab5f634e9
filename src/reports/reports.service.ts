// What marketers and admins read: the campaign report (with A/B variants, links, revenue and a
// chart), the bounce, complaint and base-cleanup reports and the leads inbox. Each method takes
// plain, validated filters and returns plain JSON, so the API and the admin UI share them.
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { toCsv } from '../common/csv';
import { DomainError } from '../common/domain-error';
import type { AppConfig } from '../config/config.module';
import type { ComplaintKind, ComplaintStatus, LeadStatus } from '../generated/prisma/enums';
import { campaignRates, fillSeries, pickInterval, type CampaignCounts, type Interval } from './report-maths';
import {
  ReportsRepository,
  type CampaignScope,
  type EventCountsRow,
  type MessageCountsRow,
  type RevenueRow,
  type TimeRange,
} from './reports.repository';

export const CAMPAIGN_SERIES = ['sent', 'opens', 'clicks', 'unsubscribes', 'softBounces', 'hardBounces', 'complaints', 'botOpens'] as const;
const COUNT_FIELDS: ReadonlyArray<keyof CampaignCounts> = [
  'audience',
  'sent',
  'delivered',
  'deliveryConfirmed',
  'softBounced',
  'hardBounced',
  'openedUnique',
  'opensTotal',
  'botOpens',
  'clickedUnique',
  'clicksTotal',
  'botClicks',
  'unsubscribed',
  'complained',
  'reclamations',
  'replied',
  'leads',
  'suppressed',
  'skipped',
  'failed',
  'cancelled',
  'pending',
];
const DEFAULT_RANGE_DAYS = 30;

export interface CampaignReportQuery {
  runId?: number;
  /** Only the runs whose occurrence falls in [from, to) (either end may be left open). */
  from?: Date;
  to?: Date;
  attributionDays: number;
  interval?: Interval;
  timeZone?: string;
  linkLimit: number;
}

export interface RangeQuery {
  from?: Date;
  to?: Date;
}

@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportsRepository,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {}

  async campaign(campaignId: number, query: CampaignReportQuery) {
    const campaign = await this.reports.campaign(campaignId);
    if (!campaign) throw DomainError.notFound('Campaign', campaignId);
    if (query.runId !== undefined && !campaign.runs.some((run) => run.id === query.runId)) {
      throw DomainError.validation([{ path: 'query.runId', message: `run ${query.runId} is not a run of campaign ${campaignId}` }]);
    }
    if (query.from && query.to && query.from >= query.to)
      throw DomainError.validation([{ path: 'query.from', message: 'must be before query.to' }]);
    const ranged = query.from !== undefined || query.to !== undefined;
    const inScope = campaign.runs.filter(
      (run) =>
        (query.runId === undefined || run.id === query.runId) &&
        (!query.from || run.occurrenceAt >= query.from) &&
        (!query.to || run.occurrenceAt < query.to),
    );
    const scope: CampaignScope = {
      campaignId,
      runIds: query.runId === undefined && !ranged ? null : inScope.map((run) => run.id),
      attributionDays: query.attributionDays,
    };
    const timeZone = query.timeZone ?? this.config.get('DEFAULT_TIME_ZONE', { infer: true });
    // The chart's bucket size from when the runs went out: no scan of the messages for it.
    const span = sendingSpan(inScope);
    const interval = query.interval ?? pickInterval(span.first, span.last);
    const byVariant = campaign.abTest !== null;
    const [messageCounts, eventCounts, revenue, links, seriesRows] = await Promise.all([
      this.reports.messageCounts(scope),
      this.reports.eventCounts(scope, byVariant),
      this.reports.revenue(scope),
      this.reports.links(scope, query.linkLimit),
      this.reports.series(scope, interval, timeZone),
    ]);

    const scopeOf = (variant: string | null) => {
      const same = (row: { isTotal: boolean; variant: string | null }) =>
        variant === null ? row.isTotal : !row.isTotal && row.variant === variant;
      const counts = mergeCounts(messageCounts.find(same), eventCounts.find(same));
      const money = revenue.filter(same);
      const orders = money.reduce((sum, r) => sum + r.orders, 0);
      return {
        ...(variant !== null ? { variant } : {}),
        ...counts,
        orders,
        buyers: money.reduce((sum, r) => sum + r.buyers, 0),
        revenue: revenueByCurrency(money),
        rates: campaignRates(counts, orders),
      };
    };
    const variants = byVariant
      ? messageCounts.filter((row) => !row.isTotal && row.variant !== null).map((row) => row.variant as string)
      : [];
    return {
      campaign: { id: campaign.id, name: campaign.name, channel: campaign.channel, status: campaign.status },
      // With a date range, the runs it holds; otherwise every run (one run asked or not).
      runs: ranged ? inScope : campaign.runs,
      runId: query.runId ?? null,
      from: query.from ?? null,
      to: query.to ?? null,
      attributionDays: scope.attributionDays,
      totals: scopeOf(null),
      variants: variants.map((variant) => scopeOf(variant)),
      links,
      chart: {
        interval,
        timeZone,
        series: CAMPAIGN_SERIES,
        points: fillSeries(
          seriesRows as Array<{ bucket: string; series: (typeof CAMPAIGN_SERIES)[number]; count: number }>,
          CAMPAIGN_SERIES,
          interval,
        ),
      },
    };
  }

  /**
   * Sent, delivered, opened and clicked with the open and click rates (per delivered, as the
   * report states them) of each campaign, for the campaigns list.
   */
  async campaignSummaries(campaignIds: number[]) {
    const rows = await this.reports.campaignSummaries(campaignIds);
    return new Map(
      rows.map((row) => {
        const counts = Object.fromEntries(COUNT_FIELDS.map((f) => [f, 0])) as unknown as CampaignCounts;
        const rates = campaignRates({ ...counts, ...row }, 0);
        return [row.campaignId, { ...row, openRate: rates.openRate, clickRate: rates.clickRate }] as const;
      }),
    );
  }

  /** The campaign report as CSV: `summary` (the whole campaign, then each variant), `links` or `chart`. */
  async campaignCsv(campaignId: number, query: CampaignReportQuery, section: 'summary' | 'links' | 'chart'): Promise<string> {
    const report = await this.campaign(campaignId, query);
    if (section === 'links') {
      return toCsv(
        ['url', 'link_index', 'clicks', 'unique_clicks', 'bot_clicks'],
        report.links.map((l) => [l.url, l.linkIndex, l.clicks, l.uniqueClicks, l.botClicks]),
      );
    }
    if (section === 'chart') {
      return toCsv(
        ['bucket', ...CAMPAIGN_SERIES],
        report.chart.points.map((p) => [p.bucket, ...CAMPAIGN_SERIES.map((s) => p[s])]),
      );
    }
    const currencies = [...new Set([report.totals, ...report.variants].flatMap((s) => Object.keys(s.revenue)))].sort();
    const rateNames = Object.keys(report.totals.rates) as Array<keyof typeof report.totals.rates>;
    const header = ['scope', ...COUNT_FIELDS, 'orders', 'buyers', ...currencies.map((c) => `revenue_${c}`), ...rateNames];
    const rows = [report.totals, ...report.variants].map((s) => [
      'variant' in s ? `variant ${s.variant}` : 'all',
      ...COUNT_FIELDS.map((f) => s[f]),
      s.orders,
      s.buyers,
      ...currencies.map((c) => s.revenue[c] ?? '0.00'),
      ...rateNames.map((r) => s.rates[r]),
    ]);
    return toCsv(header, rows);
  }

  async bounces(query: RangeQuery & { campaignId?: number; interval?: Interval; timeZone?: string; limit: number }) {
    const range = this.range(query);
    const campaignId = query.campaignId ?? null;
    const timeZone = query.timeZone ?? this.config.get('DEFAULT_TIME_ZONE', { infer: true });
    const interval = query.interval ?? (range.to.getTime() - range.from.getTime() <= 3 * 86_400_000 ? 'hour' : 'day');
    const [summary, byReason, byDomain, byCampaign, trend, recent] = await Promise.all([
      this.reports.bounceSummary(range, campaignId),
      this.reports.bouncesByReason(range, campaignId),
      this.reports.bouncesByDomain(range, campaignId, query.limit),
      campaignId === null ? this.reports.bouncesByCampaign(range, query.limit) : Promise.resolve(null),
      this.reports.bounceTrend(range, campaignId, interval, timeZone),
      this.reports.recentBounces(range, campaignId, query.limit),
    ]);
    return {
      from: range.from,
      to: range.to,
      campaignId,
      summary,
      byReason,
      byDomain,
      ...(byCampaign ? { byCampaign } : {}),
      trend: {
        interval,
        timeZone,
        points: fillSeries(trend as Array<{ bucket: string; series: 'hard' | 'soft'; count: number }>, ['hard', 'soft'] as const, interval),
      },
      recent,
    };
  }

  async complaints(
    query: RangeQuery & { kind?: ComplaintKind; status?: ComplaintStatus; campaignId?: number; before?: number; limit: number },
  ) {
    const range = this.range(query);
    const campaignId = query.campaignId ?? null;
    const [summary, items] = await Promise.all([
      this.reports.complaintSummary(range, campaignId),
      this.reports.complaints({ range, kind: query.kind, status: query.status, campaignId, before: query.before, limit: query.limit }),
    ]);
    const names = await this.reports.campaignNames(unique(items.map((i) => i.campaignId)));
    return {
      from: range.from,
      to: range.to,
      summary: {
        feedbackLoop: sumWhere(summary, (r) => r.kind === 'feedback_loop'),
        reclamations: sumWhere(summary, (r) => r.kind === 'reclamation'),
        open: sumWhere(summary, (r) => r.status === 'open'),
        resolved: sumWhere(summary, (r) => r.status === 'resolved'),
      },
      items: items.map((i) => ({ ...i, campaignName: i.campaignId !== null ? (names.get(i.campaignId) ?? null) : null })),
      next: nextCursor(items, query.limit),
    };
  }

  async cleanup(query: RangeQuery & { action?: string; customerId?: number; undone?: boolean; before?: number; limit: number }) {
    const range = this.range(query);
    const [summary, items] = await Promise.all([
      this.reports.cleanupSummary(range),
      this.reports.cleanup({
        range,
        action: query.action,
        customerId: query.customerId,
        undone: query.undone,
        before: query.before,
        limit: query.limit,
      }),
    ]);
    return { from: range.from, to: range.to, summary, items, next: nextCursor(items, query.limit) };
  }

  async leads(query: { status?: LeadStatus; campaignId?: number; before?: number; limit: number }) {
    const campaignId = query.campaignId ?? null;
    const [summary, items] = await Promise.all([
      this.reports.leadSummary(campaignId),
      this.reports.leads({ status: query.status, campaignId, before: query.before, limit: query.limit }),
    ]);
    const names = await this.reports.campaignNames(unique(items.map((i) => i.campaignId)));
    return {
      summary: Object.fromEntries(summary.map((r) => [r.status, r.count])),
      items: items.map((i) => ({ ...i, campaignName: i.campaignId !== null ? (names.get(i.campaignId) ?? null) : null })),
      next: nextCursor(items, query.limit),
    };
  }

  private range(query: RangeQuery): TimeRange {
    const to = query.to ?? new Date();
    const from = query.from ?? new Date(to.getTime() - DEFAULT_RANGE_DAYS * 86_400_000);
    if (from >= to) throw DomainError.validation([{ path: 'query.from', message: 'must be before query.to' }]);
    if (to.getTime() - from.getTime() > 3 * 366 * 86_400_000)
      throw DomainError.validation([{ path: 'query.from', message: 'the range may span at most three years' }]);
    return { from, to };
  }
}

/** From the first run's start to the last run's end (now, for a run still going). */
function sendingSpan(runs: Array<{ startedAt: Date | null; finishedAt: Date | null }>): { first: Date | null; last: Date | null } {
  const started = runs.filter((run) => run.startedAt !== null);
  if (!started.length) return { first: null, last: null };
  const first = Math.min(...started.map((run) => run.startedAt!.getTime()));
  const last = Math.max(...started.map((run) => (run.finishedAt ?? new Date()).getTime()));
  return { first: new Date(first), last: new Date(last) };
}

/** One scope's counts from its message row and its event row; a scope with no rows counts zeros. */
function mergeCounts(messages: MessageCountsRow | undefined, events: EventCountsRow | undefined): CampaignCounts {
  const source: Record<string, unknown> = { ...messages, ...events };
  return Object.fromEntries(COUNT_FIELDS.map((f) => [f, typeof source[f] === 'number' ? source[f] : 0])) as unknown as CampaignCounts;
}

function revenueByCurrency(rows: RevenueRow[]): Record<string, string> {
  return Object.fromEntries(rows.map((r) => [r.currency.trim(), r.revenue]));
}

function sumWhere<T extends { count: number }>(rows: T[], keep: (row: T) => boolean): number {
  return rows.filter(keep).reduce((sum, row) => sum + row.count, 0);
}

function unique(ids: Array<number | null>): number[] {
  return [...new Set(ids.filter((id): id is number => id !== null))];
}

function nextCursor(items: Array<{ id: number }>, limit: number): number | null {
  return items.length === limit ? items[items.length - 1].id : null;
}
