// Campaign pages: the list, the new-campaign form, and a campaign's page with its actions and report.
import type { AdminSession } from '../admin-auth.service';
import { html, type SafeHtml } from '../html';
import { lineChart } from '../svg-chart';
import { segmentName } from './base';
import { actionButton, canDo, cell, csrfField, layout, stat, table, ui, type Notice, type Ui } from './layout';

interface CampaignRow {
  id: number;
  name: string;
  channel: string;
  status: string;
  statusReason: string | null;
  scheduleKind: string;
  scheduledAt: Date | null;
  templateId: number;
  segmentId: number | null;
}

export function campaignsPage(session: AdminSession, rows: CampaignRow[], notice: Notice | null): SafeHtml {
  const u = ui(session);
  return layout(
    session,
    u.t('campaigns.title'),
    html`${canDo(session, 'marketer') ? html`<p><a href="/admin/campaigns/new" class="button" data-test="new-campaign">${u.t('campaigns.new')}</a></p>` : null}
    ${table(
      ['#', u.t('col.name'), u.t('col.channel'), u.t('col.status'), u.t('col.schedule'), ''],
      rows.map((c) => [
        cell(c.id),
        html`<a href="/admin/campaigns/${c.id}">${c.name}</a>`,
        cell(u.word('channel', c.channel)),
        statusBadge(u, c.status, `status-${c.id}`),
        scheduleCell(u, c),
        campaignActions(session, c),
      ]),
      u.t('campaigns.empty'),
    )}`,
    notice,
  );
}

function statusBadge(u: Ui, status: string, testId: string): SafeHtml {
  return html`<span class="badge status-${status}" data-test="${testId}" data-status="${status}"
    >${u.word('campaignStatus', status)}</span
  >`;
}

function scheduleCell(u: Ui, c: CampaignRow): SafeHtml {
  return c.scheduleKind === 'at' && c.scheduledAt
    ? html`${u.t('campaigns.at', { when: u.f.dateTime(c.scheduledAt) })}`
    : html`${u.word('scheduleKind', c.scheduleKind)}`;
}

/** The buttons the status machine allows now; the service still checks each transition. */
export function campaignActions(session: AdminSession, c: { id: number; name: string; status: string }): SafeHtml | null {
  if (!canDo(session, 'marketer')) return null;
  const u = ui(session);
  const extra = html`<input type="hidden" name="back" value="/admin/campaigns/${c.id}" />`;
  const buttons: SafeHtml[] = [];
  const path = (action: string) => `/admin/campaigns/${c.id}/${action}`;
  if (c.status === 'draft') buttons.push(actionButton(session, path('schedule'), u.t('campaigns.schedule'), { extra }));
  if (c.status === 'scheduled' || c.status === 'running')
    buttons.push(actionButton(session, path('pause'), u.t('campaigns.pause'), { extra }));
  if (c.status === 'paused') buttons.push(actionButton(session, path('resume'), u.t('campaigns.resume'), { extra }));
  if (['draft', 'scheduled', 'running', 'paused'].includes(c.status))
    buttons.push(
      actionButton(session, path('cancel'), u.t('campaigns.cancel'), { extra, confirm: u.t('campaigns.cancelConfirm', { name: c.name }) }),
    );
  return html`<span class="actions">${buttons}</span>`;
}

export interface CampaignFormView {
  templates: Array<{ id: number; key: string; name: string; channel: string }>;
  segments: Array<{ id: number; name: string; key: string | null; builtIn: boolean; description: null }>;
  values?: Record<string, string>;
}

export function newCampaignPage(session: AdminSession, view: CampaignFormView, notice: Notice | null): SafeHtml {
  const u = ui(session);
  const v = view.values ?? {};
  const option = (value: string | number, label: string, selected: boolean) =>
    html`<option value="${value}" ${selected ? html`selected` : null}>${label}</option>`;
  return layout(
    session,
    u.t('campaigns.new'),
    html`<form method="post" action="/admin/campaigns" class="stack" data-test="campaign-form">
      ${csrfField(session)} <label for="name">${u.t('col.name')}</label
      ><input id="name" name="name" required maxlength="200" value="${v.name ?? ''}" />
      <label for="templateId">${u.t('campaigns.template')}</label
      ><select id="templateId" name="templateId" required>
        ${view.templates.map((t) => option(t.id, `${t.name} (${t.key}, ${u.word('channel', t.channel)})`, v.templateId === String(t.id)))}
      </select>
      <label for="segmentId">${u.t('campaigns.segment')}</label
      ><select id="segmentId" name="segmentId" required>
        ${view.segments.map((s) => option(s.id, segmentName(u, s), v.segmentId === String(s.id)))}
      </select>
      <label for="scheduleKind">${u.t('campaigns.when')}</label
      ><select id="scheduleKind" name="scheduleKind">
        ${option('now', u.t('campaigns.whenNow'), v.scheduleKind !== 'at')}${option('at', u.t('campaigns.whenAt'), v.scheduleKind === 'at')}
      </select>
      <label for="at">${u.t('campaigns.atLabel', { zone: session.timeZone })}</label
      ><input id="at" name="at" type="datetime-local" value="${v.at ?? ''}" /> <label for="data">${u.t('campaigns.data')}</label
      ><textarea id="data" name="data" rows="4" placeholder='{"priceListName": "Оптовый прайс-лист", "catalogUrl": "https://…"}'>
${v.data ?? ''}</textarea>
      <label class="check"
        ><input type="checkbox" name="scheduleNow" value="1" ${v.scheduleNow ? html`checked` : null} />
        ${u.t('campaigns.scheduleNow')}</label
      >
      <button type="submit">${u.t('campaigns.create')}</button>
    </form>`,
    notice,
  );
}

type Report = Awaited<ReturnType<import('../../reports/reports.service').ReportsService['campaign']>>;

export function campaignPage(session: AdminSession, campaign: CampaignRow, report: Report, notice: Notice | null): SafeHtml {
  const u = ui(session);
  const t = report.totals;
  const revenue =
    Object.entries(t.revenue)
      .map(([currency, amount]) => u.f.money(amount, currency))
      .join(', ') || u.f.number(0);
  const points = report.chart.points;
  const rate = (part: number) => html` <span class="rate">${u.f.percent(part, t.sent)}</span>`;
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
  return layout(
    session,
    u.t('campaign.title', { name: campaign.name }),
    html`<p>
        ${u.t('col.status')}: ${statusBadge(u, campaign.status, 'campaign-status')}
        ${campaign.statusReason ? html`<span class="muted">${campaign.statusReason}</span>` : null} · ${u.word('channel', campaign.channel)}
        · ${scheduleCell(u, campaign)} · CSV:
        <a href="/admin/campaigns/${campaign.id}/report-summary.csv" data-test="csv">${u.t('campaign.csvSummary')}</a>,
        <a href="/admin/campaigns/${campaign.id}/report-links.csv">${u.t('campaign.csvLinks')}</a>,
        <a href="/admin/campaigns/${campaign.id}/report-chart.csv">${u.t('campaign.csvChart')}</a>
      </p>
      <div class="action-row">${campaignActions(session, campaign)}</div>
      <h2>${u.t('campaign.results')}</h2>
      <div class="stats">
        ${stat(u.t('campaign.audience'), t.audience, 'audience', u)}${stat(u.t('campaign.sent'), t.sent, 'sent', u)}${stat(
          u.t('campaign.delivered'),
          t.delivered,
          undefined,
          u,
        )}${stat(u.t('campaign.softBounced'), t.softBounced, undefined, u)}${stat(u.t('campaign.hardBounced'), t.hardBounced, undefined, u)}
        <div class="stat">
          <span class="value"><span data-test="opened">${u.f.number(t.openedUnique)}</span>${rate(t.openedUnique)}</span
          ><span class="label">${u.t('campaign.opened')}</span>
        </div>
        ${stat(u.t('campaign.opensTotal'), t.opensTotal, undefined, u)}${stat(u.t('campaign.botOpens'), t.botOpens, undefined, u)}
        <div class="stat">
          <span class="value"><span data-test="clicked">${u.f.number(t.clickedUnique)}</span>${rate(t.clickedUnique)}</span
          ><span class="label">${u.t('campaign.clicked')}</span>
        </div>
        <div class="stat">
          <span class="value"><span data-test="unsubscribed">${u.f.number(t.unsubscribed)}</span>${rate(t.unsubscribed)}</span
          ><span class="label">${u.t('campaign.unsubscribed')}</span>
        </div>
        ${stat(u.t('campaign.complained'), t.complained, undefined, u)}${stat(u.t('campaign.replied'), t.replied, undefined, u)}${stat(
          u.t('campaign.leads'),
          t.leads,
          undefined,
          u,
        )}${stat(u.t('campaign.orders'), t.orders, undefined, u)}${stat(u.t('campaign.revenue'), revenue)}
      </div>
      <p class="muted">${u.t('campaign.attribution', { n: report.attributionDays })}</p>
      ${chart}
      ${
        report.variants.length
          ? html`<h2>${u.t('campaign.variants')}</h2>
              ${table(
                [
                  u.t('col.variant'),
                  u.t('campaign.sent'),
                  u.t('campaign.opened'),
                  u.t('campaign.clicked'),
                  u.t('campaign.unsubscribed'),
                  u.t('campaign.orders'),
                ],
                report.variants.map((v) => [
                  cell(v.variant),
                  cell(v.sent, u),
                  cell(v.openedUnique, u),
                  cell(v.clickedUnique, u),
                  cell(v.unsubscribed, u),
                  cell(v.orders, u),
                ]),
                u.t('common.empty'),
              )}`
          : null
      }
      <h2>${u.t('campaign.links')}</h2>
      ${table(
        [u.t('col.url'), u.t('campaign.clicks'), u.t('campaign.uniqueClicks'), u.t('campaign.botClicks')],
        report.links.map((l) => [cell(l.url), cell(l.clicks, u), cell(l.uniqueClicks, u), cell(l.botClicks, u)]),
        u.t('campaign.noClicks'),
      )}
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
