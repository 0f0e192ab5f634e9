// The page frame of the admin UI: the grouped navigation by role with the current page marked,
// the language switch, the user and the logout form; plus small shared pieces (tables in their
// own scrolling box, forms with their CSRF field, confirmed and dangerous buttons, stats) and
// `ui(session)`, the locale's words and formatter every page uses.
import { roleAllows } from '../../auth/roles';
import type { Role } from '../../generated/prisma/enums';
import type { AdminSession } from '../admin-auth.service';
import { html, type SafeHtml } from '../html';
import { clientBundle } from '../assets';
import { formatter, type Formatter } from '../i18n/format';
import { DEFAULT_LOCALE, t as translate, word as codeWord, type Locale, type MessageKey, type Params } from '../i18n/t';

/** The installation's zone before a user is known (sign-in and error pages show no times). */
const FALLBACK_ZONE = 'Europe/Moscow';

interface NavItem {
  href: string;
  label: MessageKey;
  role: Role;
}

const NAV: Array<{ group: MessageKey; items: NavItem[] }> = [
  {
    group: 'nav.work',
    items: [
      { href: '/admin', label: 'nav.dashboard', role: 'viewer' },
      { href: '/admin/campaigns', label: 'nav.campaigns', role: 'viewer' },
      { href: '/admin/automations', label: 'nav.automations', role: 'viewer' },
      { href: '/admin/customers', label: 'nav.customers', role: 'viewer' },
      { href: '/admin/imports', label: 'nav.imports', role: 'viewer' },
      { href: '/admin/segments', label: 'nav.segments', role: 'viewer' },
      { href: '/admin/templates', label: 'nav.templates', role: 'viewer' },
    ],
  },
  {
    group: 'nav.reports',
    items: [
      { href: '/admin/reports/bounces', label: 'nav.bounces', role: 'viewer' },
      { href: '/admin/reports/complaints', label: 'nav.complaints', role: 'viewer' },
      { href: '/admin/reports/leads', label: 'nav.leads', role: 'viewer' },
      { href: '/admin/reports/cleanup', label: 'nav.cleanup', role: 'viewer' },
      { href: '/admin/scoring', label: 'nav.scoring', role: 'viewer' },
    ],
  },
  {
    group: 'nav.settings',
    items: [
      { href: '/admin/suppression', label: 'nav.suppression', role: 'viewer' },
      { href: '/admin/profile', label: 'nav.profile', role: 'viewer' },
      { href: '/admin/settings', label: 'nav.system', role: 'admin' },
    ],
  },
];

export interface Notice {
  kind: 'ok' | 'error';
  text: string;
}

export interface Ui {
  locale: Locale;
  t(key: MessageKey, params?: Params): string;
  /** A code as a word of the catalogue group (`campaignStatus`, `role`, `bounceReason`…). */
  word(group: string, code: string | null | undefined): string;
  f: Formatter;
}

export function ui(session: AdminSession | null): Ui {
  const locale = session?.locale ?? DEFAULT_LOCALE;
  return {
    locale,
    t: (key, params) => translate(locale, key, params),
    word: (group, code) => codeWord(locale, group, code),
    f: formatter(locale, session?.timeZone ?? FALLBACK_ZONE),
  };
}

/** The navigation entry the path belongs to: the longest matching href (the dashboard only exactly). */
export function currentNav(path: string): string | null {
  let best: string | null = null;
  for (const item of NAV.flatMap((g) => g.items)) {
    const matches =
      item.href === '/admin' ? path === '/admin' || path === '/admin/' : path === item.href || path.startsWith(`${item.href}/`);
    if (matches && (!best || item.href.length > best.length)) best = item.href;
  }
  return best;
}

function navigation(session: AdminSession, u: Ui): SafeHtml {
  const current = currentNav(session.path);
  const groups = NAV.map((g) => ({ group: g.group, items: g.items.filter((n) => roleAllows(session.user.role, n.role)) })).filter(
    (g) => g.items.length,
  );
  const other: Locale = u.locale === 'ru' ? 'en' : 'ru';
  return html`<header class="top">
    <a class="brand" href="/admin">Otklik</a>
    <input type="checkbox" id="nav-toggle" class="nav-toggle" aria-controls="nav-menu" />
    <label for="nav-toggle" class="nav-button">${u.t('nav.menu')}</label>
    <nav id="nav-menu" aria-label="${u.t('nav.label')}">
      ${groups.map(
        (g) =>
          html`<div class="nav-group">
            <span class="nav-heading">${u.t(g.group)}</span>
            <ul>
              ${g.items.map(
                (n) =>
                  html`<li>
                    <a href="${n.href}" ${n.href === current ? html`aria-current="page"` : null}>${u.t(n.label)}</a>
                  </li>`,
              )}
            </ul>
          </div>`,
      )}
      <div class="nav-user">
        <span class="who">${session.user.email} · ${u.word('role', session.user.role)}</span>
        <form method="post" action="/admin/profile/locale" class="inline" data-test="locale-switch">
          ${csrfField(session)}<input type="hidden" name="locale" value="${other}" /><input
            type="hidden"
            name="back"
            value="${session.path}"
          /><button type="submit" class="link" lang="${other}">${translate(other, 'nav.switchLanguage')}</button>
        </form>
        <form method="post" action="/admin/logout" class="inline">
          ${csrfField(session)}<button type="submit" class="link" data-test="logout">${u.t('nav.logout')}</button>
        </form>
      </div>
    </nav>
  </header>`;
}

/**
 * A whole page. `scripts` names the page's own browser modules (src/admin/client/<name>.ts,
 * bundled by `npm run build`), loaded after `admin`; every page works without them where it can.
 */
export function layout(
  session: AdminSession | null,
  title: string,
  body: SafeHtml,
  notice?: Notice | null,
  scripts: readonly string[] = [],
): SafeHtml {
  const u = ui(session);
  const top = session ? navigation(session, u) : html`<header class="top"><span class="brand">Otklik</span></header>`;
  const flash = notice
    ? html`<p class="notice ${notice.kind}" role="${notice.kind === 'error' ? 'alert' : 'status'}">${notice.text}</p>`
    : null;
  return html`<!doctype html>
    <html lang="${u.locale}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="robots" content="noindex,nofollow" />
        <title>${title} · Otklik</title>
        <link rel="stylesheet" href="/admin/assets/admin.css" />
        <script src="/admin/assets/admin.js" defer></script>
        ${scripts.map((name) => (clientBundle(name, 'css') === undefined ? null : html`<link rel="stylesheet" href="/admin/assets/${name}.css" />`))}
        ${scripts.map((name) => html`<script src="/admin/assets/${name}.js" defer></script>`)}
      </head>
      <body>
        ${top}
        <main>
          <h1>${title}</h1>
          ${flash}${body}
        </main>
      </body>
    </html>`;
}

export function errorPage(session: AdminSession | null, status: number, message: string): SafeHtml {
  const u = ui(session);
  const title = status === 404 ? u.t('error.notFound') : status === 403 ? u.t('error.forbidden') : u.t('error.title');
  return layout(
    session,
    title,
    html`<p class="notice error" data-test="error">${message}</p>
      <p><a href="/admin">${u.t('error.home')}</a></p>`,
  );
}

export function csrfField(session: AdminSession): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${session.csrfToken}" />`;
}

/**
 * A one-button form posting to `action` (pause, resume, undo...). A `confirm` text makes the
 * button ask first (admin.js, `data-confirm`) and look dangerous; without script the post still works.
 */
export function actionButton(
  session: AdminSession,
  action: string,
  label: string,
  options: { extra?: SafeHtml | null; confirm?: string } = {},
): SafeHtml {
  return html`<form method="post" action="${action}" class="inline" data-confirm="${options.confirm ?? null}">
    ${csrfField(session)}${options.extra ?? null}<button type="submit" class="${options.confirm ? 'danger' : null}">${label}</button>
  </form>`;
}

export function table(headers: string[], rows: Array<Array<SafeHtml | null>>, empty: string): SafeHtml {
  if (!rows.length) return html`<p class="muted">${empty}</p>`;
  return html`<div class="table-wrap">
    <table>
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
    </table>
  </div>`;
}

/** A value in a table cell: dates in the user's zone and locale, numbers in the locale's digits, nothing as a dash. */
export function cell(value: unknown, u?: Ui): SafeHtml {
  if (value instanceof Date) return html`<time datetime="${value.toISOString()}">${u ? u.f.dateTime(value) : value.toISOString()}</time>`;
  if (value === null || value === undefined || value === '') return html`<span class="muted">—</span>`;
  if (typeof value === 'number' && u) return html`${u.f.number(value)}`;
  return html`${String(value)}`;
}

export function stat(label: string, value: number | string, testId?: string, u?: Ui): SafeHtml {
  const shown = typeof value === 'number' && u ? u.f.number(value) : value;
  return html`<div class="stat"><span class="value" data-test="${testId ?? null}">${shown}</span><span class="label">${label}</span></div>`;
}

export function canDo(session: AdminSession, role: Role): boolean {
  return roleAllows(session.user.role, role);
}
