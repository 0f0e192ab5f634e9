// The suppression list (the segments pages are in segments.ts, the template pages in templates.ts).
import type { AdminSession } from '../admin-auth.service';
import { html, type SafeHtml } from '../html';
import { actionButton, canDo, cell, csrfField, layout, table, ui, type Notice } from './layout';

// Other pages name segments too (the campaign form's segment list).
export { segmentDescription, segmentName } from './segments';

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
