// Settings (admins): delivery configuration, senders, providers, API keys and users; and each
// user's own profile (language and time zone).
import type { AdminSession } from '../admin-auth.service';
import type { AdminSettingsRepository } from '../admin-settings.repository';
import { html, type SafeHtml } from '../html';
import { LOCALES } from '../i18n/t';
import { actionButton, cell, csrfField, layout, table, ui, type Notice, type Ui } from './layout';

export interface SettingsView {
  delivery: Array<{ key: 'relay' | 'mailFrom' | 'sms' | 'publicUrl'; value: string | null }>;
  senders: Awaited<ReturnType<AdminSettingsRepository['senders']>>;
  providers: Awaited<ReturnType<AdminSettingsRepository['providers']>>;
  keys: Array<{ id: number; name: string; prefix: string; role: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }>;
  users: Array<{ id: number; email: string; name: string | null; role: string; createdAt: Date; disabledAt: Date | null }>;
  /** A key or password just created: shown once, on the page after the redirect only. */
  secret?: { kind: 'apiKey' | 'password'; name: string; value: string } | null;
  /** What a refused form had typed, so it is shown again. */
  typed?: { keyName?: string; keyRole?: string; userEmail?: string; userRole?: string };
}

function roleOptions(u: Ui, chosen: string | undefined): SafeHtml {
  return html`${(['viewer', 'marketer', 'admin'] as const).map(
    (r) => html`<option value="${r}" ${chosen === r ? html`selected` : null}>${u.word('role', r)}</option>`,
  )}`;
}

export function settingsPage(session: AdminSession, view: SettingsView, notice: Notice | null): SafeHtml {
  const u = ui(session);
  const typed = view.typed ?? {};
  const secret = view.secret
    ? html`<div class="notice ok" data-test="secret">
        ${u.t(view.secret.kind === 'apiKey' ? 'settings.newKey' : 'settings.newPassword', { name: view.secret.name })}:
        <code>${view.secret.value}</code>
        <div class="muted">${u.t('settings.shownOnce')}</div>
      </div>`
    : null;
  return layout(
    session,
    u.t('settings.title'),
    html`${secret}
      <h2>${u.t('settings.delivery')}</h2>
      ${table(
        [u.t('col.setting'), u.t('col.value')],
        view.delivery.map(({ key, value }) => [cell(u.t(`settings.delivery.${key}`)), cell(value ?? u.t('settings.unset'))]),
        u.t('common.empty'),
      )}
      <h2>${u.t('settings.senders')}</h2>
      ${table(
        [
          '#',
          u.t('col.name'),
          u.t('col.channel'),
          u.t('settings.from'),
          u.t('settings.replyTo'),
          u.t('settings.bounceDomain'),
          u.t('settings.provider'),
        ],
        view.senders.map((s) => [
          cell(s.id),
          cell(s.name),
          cell(u.word('channel', s.channel)),
          cell(s.fromName ? `${s.fromName} <${s.fromAddress}>` : s.fromAddress),
          cell(s.replyTo),
          cell(s.bounceDomain),
          cell(s.provider?.name ?? null),
        ]),
        u.t('settings.noSenders'),
      )}
      <h2>${u.t('settings.providers')}</h2>
      ${table(
        [
          '#',
          u.t('col.name'),
          u.t('col.channel'),
          u.t('col.kind'),
          u.t('settings.perSecond'),
          u.t('settings.perHour'),
          u.t('settings.concurrency'),
          u.t('settings.active'),
        ],
        view.providers.map((p) => [
          cell(p.id),
          cell(p.name),
          cell(u.word('channel', p.channel)),
          cell(p.kind),
          cell(p.perSecond, u),
          cell(p.perHour, u),
          cell(p.concurrency, u),
          cell(p.active ? u.t('common.yes') : u.t('common.no')),
        ]),
        u.t('settings.noProviders'),
      )}
      <h2>${u.t('settings.keys')}</h2>
      ${table(
        ['#', u.t('col.name'), u.t('settings.prefix'), u.t('col.role'), u.t('col.created'), u.t('settings.lastUsed'), ''],
        view.keys.map((k) => [
          cell(k.id),
          cell(k.name),
          html`<code>${k.prefix}</code>`,
          cell(u.word('role', k.role)),
          cell(k.createdAt, u),
          cell(k.lastUsedAt, u),
          k.revokedAt
            ? html`<span class="muted">${u.t('settings.revoked', { when: u.f.dateTime(k.revokedAt) })}</span>`
            : actionButton(session, `/admin/settings/api-keys/${k.id}/revoke`, u.t('settings.revoke'), {
                confirm: u.t('settings.revokeConfirm', { name: k.name }),
              }),
        ]),
        u.t('settings.noKeys'),
      )}
      <form method="post" action="/admin/settings/api-keys" class="stack" data-test="key-form">
        ${csrfField(session)} <label for="key-name">${u.t('settings.keyName')}</label
        ><input id="key-name" name="name" required maxlength="100" value="${typed.keyName ?? ''}" />
        <label for="key-role">${u.t('col.role')}</label
        ><select id="key-role" name="role">
          ${roleOptions(u, typed.keyRole)}</select
        ><button type="submit">${u.t('settings.createKey')}</button>
      </form>
      <h2>${u.t('settings.users')}</h2>
      ${table(
        ['#', u.t('col.email'), u.t('settings.userName'), u.t('col.role'), u.t('col.created'), u.t('settings.disabled')],
        view.users.map((x) => [
          cell(x.id),
          cell(x.email),
          cell(x.name),
          cell(u.word('role', x.role)),
          cell(x.createdAt, u),
          cell(x.disabledAt, u),
        ]),
        u.t('common.empty'),
      )}
      <form method="post" action="/admin/settings/users" class="stack" data-test="user-form">
        ${csrfField(session)} <label for="user-email">${u.t('settings.userEmail')}</label
        ><input id="user-email" name="email" type="email" required value="${typed.userEmail ?? ''}" />
        <label for="user-role">${u.t('col.role')}</label
        ><select id="user-role" name="role">
          ${roleOptions(u, typed.userRole)}</select
        ><button type="submit">${u.t('settings.createUser')}</button>
      </form>`,
    notice,
  );
}

export function profilePage(
  session: AdminSession,
  view: { zones: string[]; defaultZone: string; ownZone: string | null; typedZone?: string },
  notice: Notice | null,
): SafeHtml {
  const u = ui(session);
  const zone = view.typedZone ?? view.ownZone ?? '';
  return layout(
    session,
    u.t('profile.title'),
    html`<form method="post" action="/admin/profile" class="stack" data-test="profile-form">
      ${csrfField(session)}
      <label for="locale">${u.t('profile.language')}</label
      ><select id="locale" name="locale">
        ${LOCALES.map((l) => html`<option value="${l}" ${session.locale === l ? html`selected` : null}>${u.t(`profile.locale.${l}`)}</option>`)}
      </select>
      <label for="timeZone">${u.t('profile.timeZone')}</label
      ><input id="timeZone" name="timeZone" list="zones" value="${zone}" placeholder="${view.defaultZone}" autocomplete="off" />
      <datalist id="zones">${view.zones.map((z) => html`<option value="${z}"></option>`)}</datalist>
      <p class="muted">${u.t('profile.timeZoneHint', { zone: view.defaultZone })}</p>
      <button type="submit">${u.t('common.save')}</button>
    </form>`,
    notice,
  );
}
