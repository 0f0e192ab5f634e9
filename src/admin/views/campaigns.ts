// Campaign pages: the list, the new-campaign form, and a campaign's page with its actions and report.
import type { AdminSession } from '../admin-auth.service';
import { cronChoice, many, one } from '../campaign-form';
import { nextOccurrence } from '../../campaigns/campaign-schedule';
import { html, type SafeHtml } from '../html';
import { dateToWallClock } from '../i18n/format';
import type { MessageKey } from '../i18n/t';
import { lineChart } from '../svg-chart';
import { actionButton, canDo, cell, layout, stat, table, ui, type Notice, type Ui } from './layout';

interface CampaignRow {
  id: number;
  name: string;
  channel: string;
  status: string;
  statusReason: string | null;
  scheduleKind: string;
  scheduledAt: Date | null;
  cron?: string | null;
  timeZone?: string;
  nextRunAt?: Date | null;
  templateId: number;
  segmentId: number | null;
}

/** A campaign's numbers on the list: sent, and the open and click rates (per delivered). */
export interface CampaignSummary {
  sent: number;
  openRate: number | null;
  clickRate: number | null;
}

export function campaignsPage(
  session: AdminSession,
  rows: CampaignRow[],
  summaries: Map<number, CampaignSummary>,
  notice: Notice | null,
): SafeHtml {
  const u = ui(session);
  return layout(
    session,
    u.t('campaigns.title'),
    html`${canDo(session, 'marketer') ? html`<p><a href="/admin/campaigns/new" class="button" data-test="new-campaign">${u.t('campaigns.new')}</a></p>` : null}
    ${table(
      [
        '#',
        u.t('col.name'),
        u.t('col.channel'),
        u.t('col.status'),
        u.t('col.schedule'),
        u.t('campaignList.sent'),
        u.t('campaignList.openRate'),
        u.t('campaignList.clickRate'),
        '',
      ],
      rows.map((c) => {
        const s = summaries.get(c.id);
        return [
          cell(c.id),
          html`<a href="/admin/campaigns/${c.id}">${c.name}</a>`,
          cell(u.word('channel', c.channel)),
          statusBadge(u, c.status, `status-${c.id}`),
          html`${scheduleText(u, c)}`,
          html`<span data-test="sent-${c.id}">${u.f.number(s?.sent ?? 0)}</span>`,
          html`<span data-test="open-rate-${c.id}">${rate(u, s?.openRate ?? null)}</span>`,
          html`<span data-test="click-rate-${c.id}">${rate(u, s?.clickRate ?? null)}</span>`,
          campaignActions(session, c),
        ];
      }),
      u.t('campaigns.empty'),
    )}`,
    notice,
  );
}

/** A ratio (0.1234) as a percentage in the user's locale, «—» when there is nothing to divide. */
export function rate(u: Ui, ratio: number | null): string {
  return ratio === null ? '—' : u.f.percent(ratio, 1);
}

/** When a campaign goes out, in words: now, at a time, monthly, weekly or by its cron, in its zone. */
export function scheduleText(u: Ui, c: CampaignRow): string {
  const zone = c.timeZone ?? u.f.timeZone;
  if (c.scheduleKind === 'at' && c.scheduledAt) return u.t('schedule.at', { when: u.f.dateTime(c.scheduledAt), zone: u.f.timeZone });
  if (c.scheduleKind !== 'recurring' || !c.cron) return c.status === 'draft' ? u.t('schedule.now') : u.word('scheduleKind', 'now');
  const choice = cronChoice(c.cron);
  const time = one(choice, 'time');
  let text =
    choice.scheduleKind === 'monthly'
      ? u.t('schedule.monthly', { day: one(choice, 'monthDay'), time, zone })
      : choice.scheduleKind === 'weekly'
        ? u.t('schedule.weekly', {
            days: many(choice, 'weekday')
              .map((d) => u.t(`weekday.${d}` as MessageKey))
              .join(', '),
            time,
            zone,
          })
        : u.t('schedule.cron', { cron: c.cron, zone });
  const next = c.nextRunAt ?? (c.status === 'draft' ? safeNext(c.cron, zone) : null);
  if (next && !['completed', 'cancelled', 'failed'].includes(c.status)) text += `; ${u.t('schedule.next', { when: u.f.dateTime(next) })}`;
  return text;
}

function safeNext(cron: string, zone: string): Date | null {
  try {
    return nextOccurrence(cron, zone, new Date());
  } catch {
    return null;
  }
}

function statusBadge(u: Ui, status: string, testId: string): SafeHtml {
  return html`<span class="badge status-${status}" data-test="${testId}" data-status="${status}"
    >${u.word('campaignStatus', status)}</span
  >`;
}

/** The buttons the status machine allows now; the service still checks each transition. */
export function campaignActions(session: AdminSession, c: { id: number; name: string; status: string }): SafeHtml | null {
  if (!canDo(session, 'marketer')) return null;
  const u = ui(session);
  const extra = html`<input type="hidden" name="back" value="/admin/campaigns/${c.id}" />`;
  const buttons: SafeHtml[] = [];
  const path = (action: string) => `/admin/campaigns/${c.id}/${action}`;
  // A draft is scheduled from its check page, after the pre-flight and the confirmation.
  if (c.status === 'draft')
    buttons.push(
      html`<a class="button" href="/admin/campaigns/${c.id}/review" data-test="review-${c.id}">${u.t('campaignList.review')}</a>`,
    );
  if (c.status === 'scheduled' || c.status === 'running')
    buttons.push(actionButton(session, path('pause'), u.t('campaigns.pause'), { extra }));
  if (c.status === 'paused') buttons.push(actionButton(session, path('resume'), u.t('campaigns.resume'), { extra }));
  if (['draft', 'scheduled', 'running', 'paused'].includes(c.status))
    buttons.push(
      actionButton(session, path('cancel'), u.t('campaigns.cancel'), { extra, confirm: u.t('campaigns.cancelConfirm', { name: c.name }) }),
    );
  return html`<span class="actions">${buttons}</span>`;
}

type Report = Awaited<ReturnType<import('../../reports/reports.service').ReportsService['campaign']>>;
type Bounces = Awaited<ReturnType<import('../../reports/reports.service').ReportsService['bounces']>>;

/** The report's period as the page's date fields show it (YYYY-MM-DD in the user's zone), empty for all time. */
export interface ReportRange {
  from: string;
  to: string;
  /** the query string that keeps the range on links (CSV) */
  query: string;
}

export function campaignPage(
  session: AdminSession,
  campaign: CampaignRow,
  report: Report,
  bounces: Bounces,
  range: ReportRange,
  notice: Notice | null,
): SafeHtml {
  const u = ui(session);
  const t = report.totals;
  const money = (revenue: Record<string, string>) =>
    Object.entries(revenue)
      .map(([currency, amount]) => u.f.money(amount, currency))
      .join(', ') || u.f.number(0);
  const points = report.chart.points;
  const winners = new Set(report.runs.map((r) => r.abWinner).filter((w): w is string => w !== null));
  const chart = points.length
    ? lineChart(
        u.t('campaign.chart', { interval: u.word('interval', report.chart.interval), zone: report.chart.timeZone }),
        points.map((p) => bucketLabel(u, p.bucket, report.chart.interval)),
        [
          { name: u.t('campaign.sent'), color: '#1d4ed8', values: points.map((p) => p.sent) },
          { name: u.t('campaign.opens'), color: '#059669', values: points.map((p) => p.opens) },
          { name: u.t('campaign.clicks'), color: '#d97706', values: points.map((p) => p.clicks) },
          { name: u.t('campaign.unsubscribes'), color: '#dc2626', values: points.map((p) => p.unsubscribes) },
        ],
      )
    : html`<p class="muted">${u.t('campaign.noChart')}</p>`;
  const rateStat = (label: string, ratio: number | null, test: string) =>
    html`<div class="stat"><span class="value" data-test="${test}">${rate(u, ratio)}</span><span class="label">${label}</span></div>`;
  const q = range.query ? `?${range.query}` : '';
  const base = `/admin/campaigns/${campaign.id}`;
  const preset = (days: number | null) => {
    if (days === null) return html`<a href="${base}" data-test="range-all">${u.t('report.all')}</a>`;
    const to = new Date();
    const from = new Date(to.getTime() - (days - 1) * 86_400_000);
    const day = (d: Date) => dateToWallClock(d, u.f.timeZone).slice(0, 10);
    return html`<a href="${base}?from=${day(from)}&amp;to=${day(to)}" data-test="range-${days}">${u.t('report.last', { n: days })}</a>`;
  };
  return layout(
    session,
    u.t('campaign.title', { name: campaign.name }),
    html`<p>
        ${u.t('col.status')}: ${statusBadge(u, campaign.status, 'campaign-status')}
        ${campaign.statusReason ? html`<span class="muted">${campaign.statusReason}</span>` : null} · ${u.word('channel', campaign.channel)}
        · ${scheduleText(u, campaign)} · CSV:
        <a href="${base}/report-summary.csv${q}" data-test="csv">${u.t('campaign.csvSummary')}</a>,
        <a href="${base}/report-links.csv${q}">${u.t('campaign.csvLinks')}</a>,
        <a href="${base}/report-chart.csv${q}">${u.t('campaign.csvChart')}</a>
      </p>
      <div class="action-row">
        ${
          campaign.status === 'draft' && canDo(session, 'marketer')
            ? html`<a class="button secondary" href="${base}/edit" data-test="edit">${u.t('report.edit')}</a>`
            : null
        }${campaignActions(session, campaign)}
      </div>
      <form method="get" action="${base}" class="range" data-test="range">
        <span class="label">${u.t('report.range')}</span>
        <span><label for="from">${u.t('report.from')}</label> <input id="from" name="from" type="date" value="${range.from}" /></span>
        <span><label for="to">${u.t('report.to')}</label> <input id="to" name="to" type="date" value="${range.to}" /></span>
        <button type="submit" class="secondary">${u.t('report.apply')}</button>
        <span class="presets">${preset(null)} · ${preset(7)} · ${preset(30)} · ${preset(90)}</span>
      </form>
      <p class="muted" data-test="range-note">${range.from || range.to ? u.t('report.rangeNote') : u.t('report.rangeAll')}</p>
      <h2>${u.t('campaign.results')}</h2>
      <div class="stats">
        ${stat(u.t('campaign.audience'), t.audience, 'audience', u)}${stat(u.t('campaign.sent'), t.sent, 'sent', u)}${stat(
          u.t('campaign.delivered'),
          t.delivered,
          'delivered',
          u,
        )}${stat(u.t('campaign.softBounced'), t.softBounced, undefined, u)}${stat(u.t('campaign.hardBounced'), t.hardBounced, 'hard-bounced', u)}
        ${stat(u.t('campaign.opened'), t.openedUnique, 'opened', u)}${stat(u.t('campaign.opensTotal'), t.opensTotal, undefined, u)}${stat(
          u.t('campaign.botOpens'),
          t.botOpens,
          undefined,
          u,
        )}${stat(u.t('campaign.clicked'), t.clickedUnique, 'clicked', u)}${stat(u.t('campaign.unsubscribed'), t.unsubscribed, 'unsubscribed', u)}
        ${stat(u.t('campaign.complained'), t.complained, 'complained', u)}${stat(u.t('campaign.replied'), t.replied, undefined, u)}${stat(
          u.t('campaign.leads'),
          t.leads,
          undefined,
          u,
        )}${stat(u.t('campaign.orders'), t.orders, 'orders', u)}${stat(u.t('report.buyers'), t.buyers, undefined, u)}${stat(
          u.t('campaign.revenue'),
          money(t.revenue),
          'revenue',
        )}
      </div>
      <h2>${u.t('report.rates')}</h2>
      <div class="stats" data-test="rates">
        ${rateStat(u.t('report.deliveryRate'), t.rates.deliveryRate, 'delivery-rate')}${rateStat(u.t('report.openRate'), t.rates.openRate, 'open-rate')}${rateStat(
          u.t('report.clickRate'),
          t.rates.clickRate,
          'click-rate',
        )}${rateStat(u.t('report.bounceRate'), t.rates.bounceRate, 'bounce-rate')}${rateStat(
          u.t('report.complaintRate'),
          t.rates.complaintRate,
          'complaint-rate',
        )}${rateStat(u.t('report.unsubscribeRate'), t.rates.unsubscribeRate, 'unsubscribe-rate')}${rateStat(
          u.t('report.conversion'),
          t.rates.conversionRate,
          'conversion-rate',
        )}
      </div>
      <p class="muted">${u.t('report.ratesNote')} ${u.t('campaign.attribution', { n: report.attributionDays })}</p>
      ${chart}
      ${
        report.variants.length
          ? html`<h2>${u.t('campaign.variants')}</h2>
              <div data-test="variants">
                ${table(
                  [
                    u.t('col.variant'),
                    u.t('campaign.sent'),
                    u.t('campaign.delivered'),
                    u.t('campaign.opened'),
                    u.t('report.openRate'),
                    u.t('campaign.clicked'),
                    u.t('report.clickRate'),
                    u.t('campaign.unsubscribed'),
                    u.t('campaign.orders'),
                    u.t('campaign.revenue'),
                  ],
                  report.variants.map((v) => [
                    html`${v.variant}${winners.has(v.variant ?? '') ? html` <span class="badge status-completed">${u.t('report.winner')}</span>` : null}`,
                    cell(v.sent, u),
                    cell(v.delivered, u),
                    cell(v.openedUnique, u),
                    html`${rate(u, v.rates.openRate)}`,
                    cell(v.clickedUnique, u),
                    html`${rate(u, v.rates.clickRate)}`,
                    cell(v.unsubscribed, u),
                    cell(v.orders, u),
                    html`${money(v.revenue)}`,
                  ]),
                  u.t('common.empty'),
                )}
              </div>`
          : null
      }
      <h2>${u.t('campaign.links')}</h2>
      <div data-test="links">
        ${table(
          [u.t('col.url'), u.t('campaign.clicks'), u.t('campaign.uniqueClicks'), u.t('campaign.botClicks')],
          report.links.map((l) => [cell(l.url), cell(l.clicks, u), cell(l.uniqueClicks, u), cell(l.botClicks, u)]),
          u.t('campaign.noClicks'),
        )}
      </div>
      <h2>${u.t('report.bounces')}</h2>
      <div data-test="bounces">
        ${table(
          [u.t('col.when'), u.t('col.address'), u.t('col.kind'), u.t('col.reason')],
          bounces.recent.map((b) => [
            cell(b.at, u),
            cell(b.address),
            cell(u.t(b.hard ? 'report.hard' : 'report.soft')),
            cell(u.word('bounceReason', b.reason)),
          ]),
          u.t('report.noBounces'),
        )}
      </div>
      <h2>${u.t('campaign.runs')}</h2>
      ${table(
        [u.t('col.run'), u.t('col.status'), u.t('col.why'), u.t('campaign.audience'), u.t('col.started'), u.t('col.finished')],
        report.runs.map((r) => [
          cell(r.id),
          cell(u.word('runStatus', r.status)),
          cell(r.statusReason ?? ''),
          cell(r.audienceCount, u),
          cell(r.startedAt, u),
          cell(r.finishedAt, u),
        ]),
        u.t('campaign.noRuns'),
      )}`,
    notice,
  );
}

/** A chart bucket (`YYYY-MM-DDTHH:MI`, already in the report's zone) as a short label. */
export function bucketLabel(u: Ui, bucket: string, interval: string): string {
  return interval === 'hour' ? `${u.f.day(bucket.slice(0, 10))} ${bucket.slice(11, 16)}` : u.f.day(bucket.slice(0, 10));
}
