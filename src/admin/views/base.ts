// Segments, templates and the suppression list.
import type { AdminSession } from '../admin-auth.service';
import { html, type SafeHtml } from '../html';
import { hasKey } from '../i18n/t';
import { actionButton, canDo, cell, csrfField, layout, table, ui, type Notice, type Ui } from './layout';

interface SegmentNaming {
  key?: string | null;
  builtIn?: boolean;
  name: string;
  description: string | null;
}

/** A built-in segment's name and description in the user's language (the stored ones are English); others as written. */
export function segmentName(u: Ui, s: SegmentNaming): string {
  const key = `builtinSegment.${s.key ?? ''}`;
  return s.builtIn && hasKey(key) ? u.t(key) : s.name;
}

export function segmentDescription(u: Ui, s: SegmentNaming): string | null {
  const key = `builtinSegmentAbout.${s.key ?? ''}`;
  return s.builtIn && hasKey(key) ? u.t(key) : s.description;
}

export function segmentsPage(
  session: AdminSession,
  rows: Array<SegmentNaming & { id: number; rules: unknown }>,
  notice: Notice | null,
): SafeHtml {
  const u = ui(session);
  return layout(
    session,
    u.t('segments.title'),
    html`${canDo(session, 'marketer') ? html`<p><a href="/admin/segments/new" class="button" data-test="new-segment">${u.t('segments.new')}</a></p>` : null}
    ${table(
      ['#', u.t('col.name'), u.t('col.description'), u.t('col.rules')],
      rows.map((s) => [
        cell(s.id),
        html`<a href="/admin/segments/${s.id}">${segmentName(u, s)}</a>`,
        cell(segmentDescription(u, s)),
        html`<code>${JSON.stringify(s.rules).slice(0, 160)}</code>`,
      ]),
      u.t('segments.empty'),
    )}`,
    notice,
  );
}

export interface FieldInfo {
  field: string;
  kind: string;
  ops: readonly string[];
}

/** The builder: rules as JSON (the API's rule DSL) with a live Count button (admin.js). */
export function segmentPage(
  session: AdminSession,
  segment: { id: number | null; name: string; description: string | null; rules: string },
  fields: FieldInfo[],
  notice: Notice | null,
): SafeHtml {
  const u = ui(session);
  const action = segment.id === null ? '/admin/segments' : `/admin/segments/${segment.id}`;
  const editable = canDo(session, 'marketer');
  return layout(
    session,
    segment.id === null ? u.t('segments.new') : u.t('segments.one', { name: segment.name }),
    html`<form method="post" action="${action}" class="stack" data-test="segment-form">
        ${csrfField(session)} <label for="name">${u.t('col.name')}</label
        ><input id="name" name="name" required maxlength="200" value="${segment.name}" />
        <label for="description">${u.t('col.description')}</label
        ><input id="description" name="description" value="${segment.description ?? ''}" />
        <label for="rules">${u.t('segments.rules')}</label><textarea id="rules" name="rules" rows="10" required>${segment.rules}</textarea>
        <button type="button" class="secondary" data-count-url="/admin/segments/count" data-count-target="#count">
          ${u.t('segments.count')}
        </button>
        <span id="count" data-test="count" aria-live="polite"></span>
        ${editable ? html`<button type="submit">${u.t('common.save')}</button>` : null}
      </form>
      <h2>${u.t('segments.fields')}</h2>
      ${table(
        [u.t('col.field'), u.t('col.kind'), u.t('col.operators')],
        fields.map((f) => [html`<code>${f.field}</code>`, html`<code>${f.kind}</code>`, html`<code>${f.ops.join(' ')}</code>`]),
        u.t('common.empty'),
      )}`,
    notice,
  );
}

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
  source: { locale: string; subject: string | null; body: string } | null,
  preview: { subject?: string; html?: string; text?: string; warnings: Array<{ path: string; message: string }> },
  notice: Notice | null,
): SafeHtml {
  const u = ui(session);
  const editable = canDo(session, 'marketer') && source !== null;
  return layout(
    session,
    u.t('templates.one', { name: template.name }),
    html`<p class="muted">${template.key} · ${u.word('channel', template.channel)}</p>
      ${
        editable
          ? html`<form method="post" action="/admin/templates/${template.id}" class="stack wide" data-test="template-form">
              ${csrfField(session)}
              <input type="hidden" name="locale" value="${source.locale}" />
              ${template.channel === 'email' ? html`<label for="subject">${u.t('templates.subject')}</label><input id="subject" name="subject" value="${source.subject ?? ''}" />` : null}
              <label for="body"
                >${u.t(template.channel === 'email' ? 'templates.sourceEmail' : 'templates.sourceSms', { locale: source.locale })}</label
              ><textarea id="body" name="body" rows="16">${source.body}</textarea>
              <button type="submit">${u.t('templates.save')}</button>
            </form>`
          : null
      }
      <h2>${u.t('templates.preview')}</h2>
      ${
        preview.warnings.length
          ? html`<ul class="notice error">
              ${preview.warnings.map((w) => html`<li>${w.path}: ${w.message}</li>`)}
            </ul>`
          : null
      }
      ${preview.subject !== undefined ? html`<p><strong>${u.t('templates.subject')}:</strong> <span data-test="preview-subject">${preview.subject}</span></p>` : null}
      ${preview.html !== undefined ? html`<iframe class="preview" sandbox="" srcdoc="${preview.html}" title="${u.t('templates.previewFrame')}" data-test="preview"></iframe>` : html`<pre data-test="preview">${preview.text ?? ''}</pre>`}`,
    notice,
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
