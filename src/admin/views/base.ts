// Templates and the suppression list (the segments pages are in segments.ts).
import type { AdminSession } from '../admin-auth.service';
import { html, type SafeHtml } from '../html';
import { actionButton, canDo, cell, csrfField, layout, table, ui, type Notice } from './layout';

// Other pages name segments too (the campaign form's segment list).
export { segmentDescription, segmentName } from './segments';

export function templatesPage(
  session: AdminSession,
  rows: Array<{ id: number; key: string; name: string; channel: string; builtIn: boolean; locales: Array<{ locale: string }> }>,
): SafeHtml {
  const u = ui(session);
  return layout(
    session,
    u.t('templates.title'),
    table(
      ['#', u.t('col.key'), u.t('col.name'), u.t('col.channel'), u.t('col.locales'), ''],
      rows.map((t) => [
        cell(t.id),
        html`<a href="/admin/templates/${t.id}">${t.key}</a>`,
        cell(t.name),
        cell(u.word('channel', t.channel)),
        cell(t.locales.map((l) => l.locale).join(', ')),
        t.builtIn ? html`<span class="badge">${u.t('templates.builtIn')}</span>` : null,
      ]),
      u.t('templates.empty'),
    ),
  );
}

export function templatePage(
  session: AdminSession,
  template: { id: number; key: string; name: string; channel: string },
  source: { locale: string; subject: string | null; preheader: string | null; body: string } | null,
  notice: Notice | null,
): SafeHtml {
  const u = ui(session);
  const editable = canDo(session, 'marketer') && source !== null;
  const email = template.channel === 'email';
  return layout(
    session,
    u.t('templates.one', { name: template.name }),
    html`<p class="muted">${template.key} · ${u.word('channel', template.channel)}</p>
      ${
        editable
          ? html`<form
              method="post"
              action="/admin/templates/${template.id}"
              class="stack wide"
              id="template-form"
              data-test="template-form"
            >
              ${csrfField(session)}
              <input type="hidden" name="locale" value="${source.locale}" />
              ${
                email
                  ? html`<label for="subject">${u.t('templates.subject')}</label
                      ><input id="subject" name="subject" value="${source.subject ?? ''}" />
                      <label for="preheader">${u.t('tpv.preheader')}</label
                      ><input id="preheader" name="preheader" value="${source.preheader ?? ''}" />`
                  : null
              }
              <label for="body">${u.t(email ? 'templates.sourceEmail' : 'templates.sourceSms', { locale: source.locale })}</label
              ><textarea id="body" name="body" rows="16" data-channel="${template.channel}">${source.body}</textarea>
              <button type="submit">${u.t('templates.save')}</button>
            </form>`
          : null
      }
      <h2>${u.t('tpv.title')}</h2>
      ${
        source
          ? html`<section
              id="template-preview"
              data-template-id="${template.id}"
              data-locale="${source.locale}"
              data-channel="${template.channel}"
            ></section>`
          : null
      }`,
    notice,
    ['template-preview'],
  );
}

export interface SuppressionForm {
  channel: string;
  address: string;
}

export function suppressionPage(
  session: AdminSession,
  rows: Array<{ id: number; channel: string; address: string | null; reason: string; source: string | null; createdAt: Date }>,
  notice: Notice | null,
  typed: SuppressionForm = { channel: 'email', address: '' },
): SafeHtml {
  const u = ui(session);
  const admin = canDo(session, 'admin');
  return layout(
    session,
    u.t('suppression.title'),
    html`<p class="muted">${u.t('suppression.about')}</p>
      ${
        admin
          ? html`<form method="post" action="/admin/suppression" class="stack" data-test="suppress-form">
              ${csrfField(session)} <label for="channel">${u.t('col.channel')}</label
              ><select id="channel" name="channel">
                <option value="email" ${typed.channel !== 'sms' ? html`selected` : null}>${u.word('channel', 'email')}</option>
                <option value="sms" ${typed.channel === 'sms' ? html`selected` : null}>${u.word('channel', 'sms')}</option>
              </select>
              <label for="address">${u.t('col.address')}</label
              ><input id="address" name="address" required value="${typed.address}" /><button type="submit">
                ${u.t('suppression.add')}
              </button>
            </form>`
          : null
      }
      ${table(
        ['#', u.t('col.channel'), u.t('col.address'), u.t('col.reason'), u.t('col.source'), u.t('col.since'), ''],
        rows.map((s) => [
          cell(s.id),
          cell(u.word('channel', s.channel)),
          cell(s.address),
          cell(u.word('suppressionReason', s.reason)),
          cell(s.source),
          cell(s.createdAt, u),
          admin
            ? actionButton(session, `/admin/suppression/${s.id}/delete`, u.t('suppression.remove'), {
                confirm: u.t('suppression.removeConfirm', { address: s.address ?? '—' }),
              })
            : null,
        ]),
        u.t('suppression.empty'),
      )}`,
    notice,
  );
}
