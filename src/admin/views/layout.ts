// The page frame of the admin UI: navigation by role, the user, the logout form; plus small
// shared pieces (tables, forms with their CSRF field, numbers, dates).
import { roleAllows } from '../../auth/roles';
import type { Role } from '../../generated/prisma/enums';
import type { AdminSession } from '../admin-auth.service';
import { html, type SafeHtml } from '../html';

const NAV: Array<{ href: string; label: string; role: Role }> = [
  { href: '/admin', label: 'Dashboard', role: 'viewer' },
  { href: '/admin/campaigns', label: 'Campaigns', role: 'viewer' },
  { href: '/admin/segments', label: 'Segments', role: 'viewer' },
  { href: '/admin/templates', label: 'Templates', role: 'viewer' },
  { href: '/admin/customers', label: 'Customers', role: 'viewer' },
  { href: '/admin/reports/bounces', label: 'Bounces', role: 'viewer' },
  { href: '/admin/reports/complaints', label: 'Complaints', role: 'viewer' },
  { href: '/admin/reports/cleanup', label: 'Cleanup log', role: 'viewer' },
  { href: '/admin/reports/leads', label: 'Leads', role: 'viewer' },
  { href: '/admin/suppression', label: 'Suppression', role: 'viewer' },
  { href: '/admin/settings', label: 'Settings', role: 'admin' },
];

export interface Notice {
  kind: 'ok' | 'error';
  text: string;
}

export function layout(session: AdminSession | null, title: string, body: SafeHtml, notice?: Notice | null): SafeHtml {
  const nav = session
    ? html`<nav>
        <strong class="brand">Otklik</strong
        >${NAV.filter((n) => roleAllows(session.user.role, n.role)).map((n) => html`<a href="${n.href}">${n.label}</a>`)}
        <span class="who">${session.user.email} (${session.user.role})</span>
        <form method="post" action="/admin/logout" class="inline">
          ${csrfField(session)}<button type="submit" class="link" data-test="logout">Log out</button>
        </form>
      </nav>`
    : html`<nav><strong class="brand">Otklik</strong></nav>`;
  const flash = notice ? html`<p class="notice ${notice.kind}" role="status">${notice.text}</p>` : null;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="robots" content="noindex,nofollow" />
        <title>${title} · Otklik</title>
        <link rel="stylesheet" href="/admin/assets/admin.css" />
        <script src="/admin/assets/admin.js" defer></script>
      </head>
      <body>
        ${nav}
        <main>
          <h1>${title}</h1>
          ${flash}${body}
        </main>
      </body>
    </html>`;
}

export function errorPage(session: AdminSession | null, status: number, message: string): SafeHtml {
  return layout(
    session,
    status === 404 ? 'Not found' : status === 403 ? 'Not allowed' : 'Error',
    html`<p class="notice error" data-test="error">${message}</p>
      <p><a href="/admin">Dashboard</a></p>`,
  );
}

export function csrfField(session: AdminSession): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${session.csrfToken}" />`;
}

/** A one-button form posting to `action` (pause, resume, undo...). */
export function actionButton(session: AdminSession, action: string, label: string, extra: SafeHtml | null = null): SafeHtml {
  return html`<form method="post" action="${action}" class="inline">
    ${csrfField(session)}${extra}<button type="submit">${label}</button>
  </form>`;
}

export function table(headers: string[], rows: Array<Array<SafeHtml | null>>, empty = 'Nothing here yet.'): SafeHtml {
  if (!rows.length) return html`<p class="muted">${empty}</p>`;
  return html`<table>
    <thead>
      <tr>
        ${headers.map((h) => html`<th>${h}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (r) =>
          html`<tr>
            ${r.map((c) => html`<td>${c}</td>`)}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function cell(value: unknown): SafeHtml {
  if (value instanceof Date) return html`<time datetime="${value.toISOString()}">${when(value)}</time>`;
  if (value === null || value === undefined) return html`<span class="muted">—</span>`;
  return html`${String(value)}`;
}

export function when(date: Date | null | undefined): string {
  return date ? date.toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : '—';
}

export function stat(label: string, value: number | string, testId?: string): SafeHtml {
  return html`<div class="stat"><span class="value" data-test="${testId ?? null}">${value}</span><span class="label">${label}</span></div>`;
}

export function canDo(session: AdminSession, role: Role): boolean {
  return roleAllows(session.user.role, role);
}
