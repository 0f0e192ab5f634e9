import type { AdminSession } from '../admin-auth.service';
import { html, type SafeHtml } from '../html';
import { lineChart } from '../svg-chart';
import { actionButton, canDo, cell, csrfField, layout, stat, table, type Notice } from './layout';

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
  return layout(
    session,
    'Campaigns',
    html`${canDo(session, 'marketer') ? html`<p><a href="/admin/campaigns/new" data-test="new-campaign">New campaign</a></p>` : null}
    ${table(
      ['#', 'Name', 'Channel', 'Status', 'Schedule', ''],
      rows.map((c) => [
        cell(c.id),
        html`<a href="/admin/campaigns/${c.id}">${c.name}</a>`,
        cell(c.channel),
        html`<span class="badge" data-test="status-${c.id}">${c.status}</span>`,
        scheduleCell(c),
        campaignActions(session, c),
      ]),
      'No campaigns yet.',
    )}`,
    notice,
  );
}

function scheduleCell(c: CampaignRow): SafeHtml {
  return c.scheduleKind === 'at' ? html`at ${cell(c.scheduledAt)}` : html`${c.scheduleKind}`;
}

/** The buttons the status machine allows now; the service still checks each transition. */
export function campaignActions(session: AdminSession, c: { id: number; status: string }): SafeHtml | null {
  if (!canDo(session, 'marketer')) return null;
  const back = html`<input type="hidden" name="back" value="/admin/campaigns/${c.id}" />`;
  const buttons: SafeHtml[] = [];
  if (c.status === 'draft') buttons.push(actionButton(session, `/admin/campaigns/${c.id}/schedule`, 'Schedule', back));
  if (c.status === 'scheduled' || c.status === 'running')
    buttons.push(actionButton(session, `/admin/campaigns/${c.id}/pause`, 'Pause', back));
  if (c.status === 'paused') buttons.push(actionButton(session, `/admin/campaigns/${c.id}/resume`, 'Resume', back));
  if (['draft', 'scheduled', 'running', 'paused'].includes(c.status))
    buttons.push(actionButton(session, `/admin/campaigns/${c.id}/cancel`, 'Cancel', back));
  return html`${buttons}`;
}

export interface CampaignFormView {
  templates: Array<{ id: number; key: string; name: string; channel: string }>;
  segments: Array<{ id: number; name: string }>;
  values?: Record<string, string>;
}

export function newCampaignPage(session: AdminSession, view: CampaignFormView, notice: Notice | null): SafeHtml {
  const v = view.values ?? {};
  const option = (value: string | number, label: string, selected: boolean) =>
    html`<option value="${value}" ${selected ? html`selected` : null}>${label}</option>`;
  return layout(
    session,
    'New campaign',
    html`<form method="post" action="/admin/campaigns" class="stack" data-test="campaign-form">
      ${csrfField(session)} <label for="name">Name</label><input id="name" name="name" required maxlength="200" value="${v.name ?? ''}" />
      <label for="templateId">Template</label
      ><select id="templateId" name="templateId" required>
        ${view.templates.map((t) => option(t.id, `${t.name} (${t.key}, ${t.channel})`, v.templateId === String(t.id)))}
      </select>
      <label for="segmentId">Segment</label
      ><select id="segmentId" name="segmentId" required>
        ${view.segments.map((s) => option(s.id, s.name, v.segmentId === String(s.id)))}
      </select>
      <label for="scheduleKind">When</label
      ><select id="scheduleKind" name="scheduleKind">
        ${option('now', 'Send as soon as scheduled', v.scheduleKind !== 'at')}${option('at', 'At a date and time (UTC)', v.scheduleKind === 'at')}
      </select>
      <label for="at">Date and time, UTC (for "at")</label><input id="at" name="at" type="datetime-local" value="${v.at ?? ''}" />
      <label for="data">Template data (a JSON object of the fields the template declares)</label
      ><textarea id="data" name="data" rows="4" placeholder='{"priceListName": "Оптовый прайс-лист", "catalogUrl": "https://…"}'>
${v.data ?? ''}</textarea>
      <label
        ><input type="checkbox" name="scheduleNow" value="1" ${v.scheduleNow ? html`checked` : null} class="check" /> Schedule right away
        (otherwise it stays a draft)</label
      >
      <button type="submit">Create campaign</button>
    </form>`,
    notice,
  );
}

type Report = Awaited<ReturnType<import('../../reports/reports.service').ReportsService['campaign']>>;

export function campaignPage(session: AdminSession, campaign: CampaignRow, report: Report, notice: Notice | null): SafeHtml {
  const t = report.totals;
  const revenue =
    Object.entries(t.revenue)
      .map(([currency, amount]) => `${amount} ${currency}`)
      .join(', ') || '0';
  const points = report.chart.points;
  const chart = points.length
    ? lineChart(
        `Over time (per ${report.chart.interval}, ${report.chart.timeZone})`,
        points.map((p) => p.bucket.slice(0, 16).replace('T', ' ')),
        [
          { name: 'sent', color: '#1d4ed8', values: points.map((p) => p.sent) },
          { name: 'opens', color: '#059669', values: points.map((p) => p.opens) },
          { name: 'clicks', color: '#d97706', values: points.map((p) => p.clicks) },
          { name: 'unsubscribes', color: '#dc2626', values: points.map((p) => p.unsubscribes) },
        ],
      )
    : html`<p class="muted">Nothing sent yet, so no chart.</p>`;
  return layout(
    session,
    `Campaign: ${campaign.name}`,
    html`<p>
        Status
        <span class="badge" data-test="campaign-status">${campaign.status}</span>
        ${campaign.statusReason ? html`<span class="muted">${campaign.statusReason}</span>` : null} · channel ${campaign.channel} ·
        ${scheduleCell(campaign)} · CSV: <a href="/admin/campaigns/${campaign.id}/report-summary.csv" data-test="csv">summary</a>,
        <a href="/admin/campaigns/${campaign.id}/report-links.csv">links</a>,
        <a href="/admin/campaigns/${campaign.id}/report-chart.csv">chart</a>
      </p>
      <p>${campaignActions(session, campaign)}</p>
      <h2>Results</h2>
      <div class="stats">
        ${stat('audience', t.audience, 'audience')}${stat('sent', t.sent, 'sent')}${stat('delivered', t.delivered)}${stat('soft bounced', t.softBounced)}${stat('hard bounced', t.hardBounced)}
        ${stat('opened (unique)', t.openedUnique, 'opened')}${stat('opens total', t.opensTotal)}${stat('bot opens', t.botOpens)}${stat('clicked (unique)', t.clickedUnique)}${stat('unsubscribed', t.unsubscribed, 'unsubscribed')}
        ${stat('complained', t.complained)}${stat('replied', t.replied)}${stat('leads', t.leads)}${stat('orders', t.orders)}${stat('revenue', revenue)}
      </div>
      <p class="muted">Orders and revenue attributed within ${report.attributionDays} days of the message.</p>
      ${chart}
      ${
        report.variants.length
          ? html`<h2>A/B variants</h2>
              ${table(
                ['Variant', 'Sent', 'Opened', 'Clicked', 'Unsubscribed', 'Orders'],
                report.variants.map((v) => [
                  cell(v.variant),
                  cell(v.sent),
                  cell(v.openedUnique),
                  cell(v.clickedUnique),
                  cell(v.unsubscribed),
                  cell(v.orders),
                ]),
              )}`
          : null
      }
      <h2>Links</h2>
      ${table(
        ['URL', 'Clicks', 'Unique', 'Bot'],
        report.links.map((l) => [cell(l.url), cell(l.clicks), cell(l.uniqueClicks), cell(l.botClicks)]),
        'No clicks yet.',
      )}
      <h2>Runs</h2>
      ${table(
        ['Run', 'Status', 'Why', 'Audience', 'Started', 'Finished'],
        report.runs.map((r) => [
          cell(r.id),
          cell(r.status),
          cell(r.statusReason ?? ''),
          cell(r.audienceCount),
          cell(r.startedAt),
          cell(r.finishedAt),
        ]),
        'Not run yet.',
      )}`,
    notice,
  );
}
