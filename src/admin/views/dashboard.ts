// The sign-in page and the dashboard (counts, messages sent per day in the user's zone, recent campaigns).
import type { AdminSession } from '../admin-auth.service';
import type { DashboardCounts } from '../admin-dashboard.repository';
import { html, type SafeHtml } from '../html';
import { lineChart } from '../svg-chart';
import { cell, layout, stat, table, ui, type Notice } from './layout';

export function loginPage(input: { csrf: string; next: string; email?: string; error?: string }): SafeHtml {
  const u = ui(null);
  const notice: Notice | null = input.error ? { kind: 'error', text: input.error } : null;
  return layout(
    null,
    u.t('login.title'),
    html`<form method="post" action="/admin/login" class="stack" data-test="login-form">
      <input type="hidden" name="_csrf" value="${input.csrf}" /><input type="hidden" name="next" value="${input.next}" />
      <label for="email">${u.t('login.email')}</label
      ><input id="email" name="email" type="email" autocomplete="username" required value="${input.email ?? ''}" />
      <label for="password">${u.t('login.password')}</label
      ><input id="password" name="password" type="password" autocomplete="current-password" required />
      <button type="submit">${u.t('login.submit')}</button>
    </form>`,
    notice,
  );
}

export interface DashboardView {
  counts: DashboardCounts;
  days: string[];
  sent: { email: number[]; sms: number[] };
  recent: Array<{ id: number; name: string; channel: string; status: string; updatedAt: Date }>;
}

export function dashboardPage(session: AdminSession, view: DashboardView): SafeHtml {
  const u = ui(session);
  const c = view.counts;
  return layout(
    session,
    u.t('dashboard.title'),
    html`<div class="stats">
        ${stat(u.t('dashboard.customers'), c.customers, 'customers', u)}${stat(u.t('dashboard.campaigns'), c.campaigns, 'campaigns', u)}${stat(
          u.t('dashboard.running'),
          c.running,
          undefined,
          u,
        )}
        ${stat(u.t('dashboard.sent30d'), c.sent30d, 'sent30d', u)}${stat(u.t('dashboard.suppressed'), c.suppressed, undefined, u)}${stat(
          u.t('dashboard.openComplaints'),
          c.openComplaints,
          undefined,
          u,
        )}
      </div>
      ${lineChart(
        u.t('dashboard.chart', { zone: session.timeZone }),
        view.days.map((d) => u.f.day(d)),
        [
          { name: u.word('channel', 'email'), color: '#1d4ed8', values: view.sent.email },
          { name: u.word('channel', 'sms'), color: '#059669', values: view.sent.sms },
        ],
      )}
      <h2>${u.t('dashboard.recent')}</h2>
      ${table(
        [u.t('col.campaign'), u.t('col.channel'), u.t('col.status'), u.t('col.updated')],
        view.recent.map((r) => [
          html`<a href="/admin/campaigns/${r.id}">${r.name}</a>`,
          cell(u.word('channel', r.channel)),
          html`<span class="badge status-${r.status}">${u.word('campaignStatus', r.status)}</span>`,
          cell(r.updatedAt, u),
        ]),
        u.t('campaigns.empty'),
      )}`,
  );
}
