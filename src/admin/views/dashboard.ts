import type { AdminSession } from '../admin-auth.service';
import type { DashboardCounts } from '../admin-dashboard.repository';
import { html, type SafeHtml } from '../html';
import { lineChart } from '../svg-chart';
import { cell, layout, stat, table, type Notice } from './layout';

export function loginPage(input: { csrf: string; next: string; email?: string; error?: string }): SafeHtml {
  const notice: Notice | null = input.error ? { kind: 'error', text: input.error } : null;
  return layout(
    null,
    'Sign in',
    html`<form method="post" action="/admin/login" class="stack" data-test="login-form">
      <input type="hidden" name="_csrf" value="${input.csrf}" /><input type="hidden" name="next" value="${input.next}" />
      <label for="email">Email</label
      ><input id="email" name="email" type="email" autocomplete="username" required value="${input.email ?? ''}" />
      <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required />
      <button type="submit">Sign in</button>
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
  const c = view.counts;
  return layout(
    session,
    'Dashboard',
    html`<div class="stats">
        ${stat('customers', c.customers, 'customers')}${stat('campaigns', c.campaigns, 'campaigns')}${stat('scheduled or running', c.running)}
        ${stat('sent, last 30 days', c.sent30d, 'sent30d')}${stat('suppressed addresses', c.suppressed)}${stat('open complaints', c.openComplaints)}
      </div>
      ${lineChart('Messages sent per day (UTC), last 30 days', view.days, [
        { name: 'email', color: '#1d4ed8', values: view.sent.email },
        { name: 'sms', color: '#059669', values: view.sent.sms },
      ])}
      <h2>Recent campaigns</h2>
      ${table(
        ['Campaign', 'Channel', 'Status', 'Updated'],
        view.recent.map((r) => [
          html`<a href="/admin/campaigns/${r.id}">${r.name}</a>`,
          cell(r.channel),
          html`<span class="badge">${r.status}</span>`,
          cell(r.updatedAt),
        ]),
        'No campaigns yet.',
      )}`,
  );
}

/** The last `count` UTC days ending today, as YYYY-MM-DD. */
export function lastDays(now: Date, count: number): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: count }, (_, i) => new Date(today - (count - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}
