import type { AdminSession } from '../admin-auth.service';
import { html, type SafeHtml } from '../html';
import type { AdminSettingsRepository } from '../admin-settings.repository';
import { actionButton, cell, csrfField, layout, table, type Notice } from './layout';

export interface SettingsView {
  delivery: Array<[string, string]>;
  senders: Awaited<ReturnType<AdminSettingsRepository['senders']>>;
  providers: Awaited<ReturnType<AdminSettingsRepository['providers']>>;
  keys: Array<{ id: number; name: string; prefix: string; role: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }>;
  users: Array<{ id: number; email: string; name: string | null; role: string; createdAt: Date; disabledAt: Date | null }>;
  /** A key or password just created: shown once, on this response only. */
  secret?: { label: string; value: string } | null;
}

const roleOptions = html`<option value="viewer">viewer</option>
  <option value="marketer">marketer</option>
  <option value="admin">admin</option>`;

export function settingsPage(session: AdminSession, view: SettingsView, notice: Notice | null): SafeHtml {
  return layout(
    session,
    'Settings',
    html`${view.secret ? html`<p class="notice ok" data-test="secret">${view.secret.label}: <code>${view.secret.value}</code> (shown once; store it now)</p>` : null}
      <h2>Delivery (from the environment)</h2>
      ${table(
        ['Setting', 'Value'],
        view.delivery.map(([k, v]) => [cell(k), cell(v)]),
      )}
      <h2>Senders</h2>
      ${table(
        ['#', 'Name', 'Channel', 'From', 'Reply-To', 'Bounce domain', 'Provider'],
        view.senders.map((s) => [
          cell(s.id),
          cell(s.name),
          cell(s.channel),
          cell(s.fromName ? `${s.fromName} <${s.fromAddress}>` : s.fromAddress),
          cell(s.replyTo),
          cell(s.bounceDomain),
          cell(s.provider?.name ?? null),
        ]),
        'No sender profiles; MAIL_FROM is used.',
      )}
      <h2>Providers</h2>
      ${table(
        ['#', 'Name', 'Channel', 'Kind', 'Per second', 'Per hour', 'Concurrency', 'Active'],
        view.providers.map((p) => [
          cell(p.id),
          cell(p.name),
          cell(p.channel),
          cell(p.kind),
          cell(p.perSecond),
          cell(p.perHour),
          cell(p.concurrency),
          cell(p.active ? 'yes' : 'no'),
        ]),
        'No provider rows; the environment settings above are used.',
      )}
      <h2>API keys</h2>
      ${table(
        ['#', 'Name', 'Prefix', 'Role', 'Created', 'Last used', ''],
        view.keys.map((k) => [
          cell(k.id),
          cell(k.name),
          html`<code>${k.prefix}</code>`,
          cell(k.role),
          cell(k.createdAt),
          cell(k.lastUsedAt),
          k.revokedAt
            ? html`<span class="muted">revoked ${cell(k.revokedAt)}</span>`
            : actionButton(session, `/admin/settings/api-keys/${k.id}/revoke`, 'Revoke'),
        ]),
        'No API keys.',
      )}
      <form method="post" action="/admin/settings/api-keys" class="stack" data-test="key-form">
        ${csrfField(session)} <label for="key-name">New key name</label><input id="key-name" name="name" required maxlength="100" />
        <label for="key-role">Role</label
        ><select id="key-role" name="role">
          ${roleOptions}</select
        ><button type="submit">Create API key</button>
      </form>
      <h2>Users</h2>
      ${table(
        ['#', 'Email', 'Name', 'Role', 'Created', 'Disabled'],
        view.users.map((u) => [cell(u.id), cell(u.email), cell(u.name), cell(u.role), cell(u.createdAt), cell(u.disabledAt)]),
      )}
      <form method="post" action="/admin/settings/users" class="stack" data-test="user-form">
        ${csrfField(session)} <label for="user-email">New user's email</label><input id="user-email" name="email" type="email" required />
        <label for="user-role">Role</label
        ><select id="user-role" name="role">
          ${roleOptions}</select
        ><button type="submit">Create user</button>
      </form>`,
    notice,
  );
}
