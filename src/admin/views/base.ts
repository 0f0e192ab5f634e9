// Segments, templates and the suppression list.
import type { AdminSession } from '../admin-auth.service';
import { html, type SafeHtml } from '../html';
import { canDo, cell, csrfField, layout, table, type Notice } from './layout';

export function segmentsPage(
  session: AdminSession,
  rows: Array<{ id: number; name: string; description: string | null; builtIn?: boolean; rules: unknown }>,
  notice: Notice | null,
): SafeHtml {
  return layout(
    session,
    'Segments',
    html`${canDo(session, 'marketer') ? html`<p><a href="/admin/segments/new" data-test="new-segment">New segment</a></p>` : null}
    ${table(
      ['#', 'Name', 'Description', 'Rules'],
      rows.map((s) => [
        cell(s.id),
        html`<a href="/admin/segments/${s.id}">${s.name}</a>`,
        cell(s.description),
        html`<code>${JSON.stringify(s.rules).slice(0, 160)}</code>`,
      ]),
      'No segments yet.',
    )}`,
    notice,
  );
}

/** The builder: rules as JSON (the API's rule DSL) with a live Count button (admin.js). */
export function segmentPage(
  session: AdminSession,
  segment: { id: number | null; name: string; description: string | null; rules: string },
  fields: SafeHtml,
  notice: Notice | null,
): SafeHtml {
  const action = segment.id === null ? '/admin/segments' : `/admin/segments/${segment.id}`;
  const editable = canDo(session, 'marketer');
  return layout(
    session,
    segment.id === null ? 'New segment' : `Segment: ${segment.name}`,
    html`<form method="post" action="${action}" class="stack" data-test="segment-form">
        ${csrfField(session)} <label for="name">Name</label><input id="name" name="name" required maxlength="200" value="${segment.name}" />
        <label for="description">Description</label><input id="description" name="description" value="${segment.description ?? ''}" />
        <label for="rules">Rules (JSON, e.g. {"all":[{"field":"tags","op":"has","value":"vip"}]})</label
        ><textarea id="rules" name="rules" rows="10" required>${segment.rules}</textarea>
        <button type="button" data-count-url="/admin/segments/count" data-count-target="#count">Count</button>
        <span id="count" data-test="count"></span> ${editable ? html`<button type="submit">Save</button>` : null}
      </form>
      <h2>Fields</h2>
      ${fields}`,
    notice,
  );
}

export function templatesPage(
  session: AdminSession,
  rows: Array<{ id: number; key: string; name: string; channel: string; builtIn: boolean; locales: Array<{ locale: string }> }>,
): SafeHtml {
  return layout(
    session,
    'Templates',
    table(
      ['#', 'Key', 'Name', 'Channel', 'Locales', ''],
      rows.map((t) => [
        cell(t.id),
        html`<a href="/admin/templates/${t.id}">${t.key}</a>`,
        cell(t.name),
        cell(t.channel),
        cell(t.locales.map((l) => l.locale).join(', ')),
        t.builtIn ? html`<span class="badge">built in</span>` : null,
      ]),
      'No templates.',
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
  const editable = canDo(session, 'marketer') && source !== null;
  return layout(
    session,
    `Template: ${template.name}`,
    html`<p class="muted">${template.key} · ${template.channel}</p>
      ${
        editable
          ? html`<form method="post" action="/admin/templates/${template.id}" class="stack" data-test="template-form">
              ${csrfField(session)}
              <input type="hidden" name="locale" value="${source.locale}" />
              ${template.channel === 'email' ? html`<label for="subject">Subject</label><input id="subject" name="subject" value="${source.subject ?? ''}" />` : null}
              <label for="body"
                >Source (${template.channel === 'email' ? 'MJML + Handlebars' : 'Handlebars'}, locale ${source.locale})</label
              ><textarea id="body" name="body" rows="16">${source.body}</textarea>
              <button type="submit">Save a new version and preview</button>
            </form>`
          : null
      }
      <h2>Preview (sample customer)</h2>
      ${
        preview.warnings.length
          ? html`<ul class="notice error">
              ${preview.warnings.map((w) => html`<li>${w.path}: ${w.message}</li>`)}
            </ul>`
          : null
      }
      ${preview.subject !== undefined ? html`<p><strong>Subject:</strong> <span data-test="preview-subject">${preview.subject}</span></p>` : null}
      ${preview.html !== undefined ? html`<iframe class="preview" sandbox="" srcdoc="${preview.html}" title="Email preview" data-test="preview"></iframe>` : html`<pre data-test="preview">${preview.text ?? ''}</pre>`}`,
    notice,
  );
}

export function suppressionPage(
  session: AdminSession,
  rows: Array<{ id: number; channel: string; address: string | null; reason: string; source: string | null; createdAt: Date }>,
  notice: Notice | null,
): SafeHtml {
  const admin = canDo(session, 'admin');
  return layout(
    session,
    'Suppression list',
    html`<p class="muted">Addresses that never get bulk mail again (hard bounces, complaints, unsubscribes, manual). Newest first.</p>
      ${
        admin
          ? html`<form method="post" action="/admin/suppression" class="stack" data-test="suppress-form">
              ${csrfField(session)} <label for="channel">Channel</label
              ><select id="channel" name="channel">
                <option value="email">email</option>
                <option value="sms">sms</option>
              </select>
              <label for="address">Address</label><input id="address" name="address" required /><button type="submit">Suppress</button>
            </form>`
          : null
      }
      ${table(
        ['#', 'Channel', 'Address', 'Reason', 'Source', 'Since', ''],
        rows.map((s) => [
          cell(s.id),
          cell(s.channel),
          cell(s.address),
          cell(s.reason),
          cell(s.source),
          cell(s.createdAt),
          admin
            ? html`<form method="post" action="/admin/suppression/${s.id}/delete" class="inline">
                ${csrfField(session)}<button type="submit">Remove</button>
              </form>`
            : null,
        ]),
        'Nothing is suppressed.',
      )}`,
    notice,
  );
}
