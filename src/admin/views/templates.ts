// The template pages: the list with its create form, a template's page (locale tabs, the edit
// form with the variable menu, a refused save's errors at their lines, grouped warnings, rename,
// clone, delete) and the version history (list, one version, its diff with the current one).
import type { FieldIssue } from '../../common/domain-error';
import type { DataField } from '../../templates/render/data-fields';
import type { AdminSession } from '../admin-auth.service';
import { html, SafeHtml } from '../html';
import type { MessageKey } from '../i18n/t';
import {
  errorMarks,
  templateVariables,
  warningNotes,
  type DiffRow,
  type ErrorMark,
  type MarkedField,
  type StoredWarning,
  type TemplateVariable,
} from '../template-form';
import { issueMessage } from '../admin-forms';
import { actionButton, canDo, cell, csrfField, layout, table, ui, type Notice, type Ui } from './layout';
import { builderMount } from './template-builder';

/** Languages offered when creating a template or adding a locale; others can be typed. */
export const TEMPLATE_LOCALES = ['ru', 'en'] as const;

export interface TemplateRow {
  id: number;
  key: string;
  name: string;
  channel: string;
  builtIn: boolean;
  locales: Array<{ locale: string; savedAt: Date }>;
}

export interface CreateTemplateForm {
  key: string;
  name: string;
  channel: string;
  locale: string;
  description: string;
}

const EMPTY_CREATE: CreateTemplateForm = { key: '', name: '', channel: 'email', locale: 'ru', description: '' };

/** JSON for a `<script type="application/json">`: nothing in it can close the element or start markup. */
export function jsonScript(id: string, value: unknown): SafeHtml {
  const json = JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
  return new SafeHtml(`<script type="application/json" id="${id}">${json}</script>`);
}

const TPL_FIELDS: Record<string, MessageKey> = {
  key: 'tpl.field.key',
  name: 'tpl.field.name',
  channel: 'tpl.field.channel',
  locale: 'tpl.field.locale',
  from: 'tpl.field.locale',
  description: 'tpl.field.description',
};

const TPL_MESSAGES: Array<[RegExp, MessageKey]> = [
  [/^already taken$/, 'tpl.msg.keyTaken'],
  [/^expected lower-case letters and digits/, 'tpl.msg.keyFormat'],
  [/^already exists$/, 'tpl.msg.localeExists'],
  [/^expected a language tag/, 'tpl.msg.localeFormat'],
];

/** A refused template form's issue as «Field»: why, in the user's language. */
export function templateIssueText(u: Ui, issue: FieldIssue): string {
  const head = issue.path.split(/[.[]/)[0];
  const label = TPL_FIELDS[head] ? u.t(TPL_FIELDS[head]) : issue.path;
  const known = TPL_MESSAGES.find(([pattern]) => pattern.test(issue.message));
  return u.t('form.issue', { field: label, message: known ? u.t(known[1]) : issueMessage(u, issue.message) });
}

/** A refused form's notice: each issue named, or the error's message. */
export function templateNotice(u: Ui, issues: readonly FieldIssue[], message: string): Notice {
  return { kind: 'error', text: issues.length ? issues.map((i) => templateIssueText(u, i)).join('; ') : message };
}

function localeName(u: Ui, locale: string): string {
  return locale === 'ru' || locale === 'en' ? `${locale} — ${u.t(`tpl.locale.${locale}`)}` : locale;
}

function lastEdited(row: TemplateRow): Date | null {
  return row.locales.reduce<Date | null>((latest, l) => (!latest || l.savedAt > latest ? l.savedAt : latest), null);
}

export function templatesPage(
  session: AdminSession,
  rows: TemplateRow[],
  notice: Notice | null,
  typed: CreateTemplateForm = EMPTY_CREATE,
): SafeHtml {
  const u = ui(session);
  const option = (value: string, label: string, chosen: string) =>
    html`<option value="${value}" ${value === chosen ? html`selected` : null}>${label}</option>`;
  return layout(
    session,
    u.t('tpl.title'),
    html`${table(
      ['#', u.t('col.key'), u.t('col.name'), u.t('col.channel'), u.t('col.locales'), '', u.t('tpl.col.edited')],
      rows.map((t) => [
        cell(t.id),
        html`<a href="/admin/templates/${t.id}">${t.key}</a>`,
        cell(t.name),
        cell(u.word('channel', t.channel)),
        cell(t.locales.map((l) => l.locale).join(', ')),
        t.builtIn ? html`<span class="badge">${u.t('tpl.builtIn')}</span>` : null,
        cell(lastEdited(t), u),
      ]),
      u.t('tpl.empty'),
    )}
    ${
      canDo(session, 'marketer')
        ? html`<h2>${u.t('tpl.create')}</h2>
            <form method="post" action="/admin/templates" class="stack" data-test="template-create">
              ${csrfField(session)}
              <label for="new-key">${u.t('tpl.create.key')}</label>
              <input id="new-key" name="key" required maxlength="64" value="${typed.key}" />
              <label for="new-name">${u.t('tpl.create.name')}</label>
              <input id="new-name" name="name" required maxlength="200" value="${typed.name}" />
              <label for="new-channel">${u.t('tpl.create.channel')}</label>
              <select id="new-channel" name="channel">
                ${option('email', u.word('channel', 'email'), typed.channel)} ${option('sms', u.word('channel', 'sms'), typed.channel)}
              </select>
              <label for="new-locale">${u.t('tpl.create.locale')}</label>
              <select id="new-locale" name="locale">
                ${TEMPLATE_LOCALES.map((l) => option(l, localeName(u, l), typed.locale))}
              </select>
              <label for="new-description">${u.t('tpl.create.description')}</label>
              <textarea id="new-description" name="description" rows="2" maxlength="2000">${typed.description}</textarea>
              <button type="submit">${u.t('tpl.create')}</button>
            </form>`
        : null
    }`,
    notice,
  );
}

// ---- one template ------------------------------------------------------------------------

export interface TemplateDetail {
  id: number;
  key: string;
  name: string;
  channel: string;
  description: string | null;
  builtIn: boolean;
  embedImages?: boolean;
  locales: Array<{ locale: string }>;
}

/** What the edit form shows: the locale's current version, or what a refused save had typed. */
export interface TemplateDraft {
  locale: string;
  subject: string;
  preheader: string;
  body: string;
  dataFields: string;
}

export interface TemplatePageOptions {
  notice: Notice | null;
  /** a refused save's errors (fields with lines) */
  errors?: FieldIssue[];
  /** the current version's warnings */
  warnings?: StoredWarning[];
  /** the declared data fields, for the variable menu and the warnings' suggestions */
  dataSchema: DataField[];
  details?: { name: string; description: string; embedImages?: boolean };
  clone?: { key: string; name: string };
  addLocale?: string;
}

const FIELD_KEYS: Record<MarkedField, MessageKey> = {
  subject: 'tpl.subject',
  preheader: 'tpl.preheader',
  body: 'field.body',
  dataSchema: 'tpl.dataFields',
};

function position(u: Ui, mark: { line?: number; column?: number }): string {
  if (mark.line === undefined) return '';
  return mark.column === undefined
    ? u.t('tpl.atLine', { line: mark.line })
    : u.t('tpl.atLineColumn', { line: mark.line, column: mark.column });
}

/** A field's errors, each naming its line; the browser module selects the line on a click. */
function fieldErrors(u: Ui, field: MarkedField, marks: ErrorMark[] | undefined): SafeHtml | null {
  if (!marks?.length) return null;
  const label = u.t(FIELD_KEYS[field]).split(' (')[0].split(':')[0];
  return html`<div class="notice error field-errors" role="alert" data-test="errors-${field}" data-field="${field}">
    <strong>${u.t('tpl.errorsOf', { field: label })}</strong>
    <ul>
      ${marks.map(
        (m) =>
          html`<li>
            ${
              m.line !== undefined
                ? html`<a
                      href="#${field === 'dataSchema' ? 'dataFields' : field}"
                      class="line-mark"
                      data-field="${field === 'dataSchema' ? 'dataFields' : field}"
                      data-line="${m.line}"
                      data-column="${m.column ?? 1}"
                      >${position(u, m)}</a
                    >: `
                : null
            }${m.message}
          </li>`,
      )}
    </ul>
  </div>`;
}

function placesText(u: Ui, places: Array<{ path: string; line: number }>): string {
  const parts = places.map((p) => {
    const key = `tpl.part.${p.path}`;
    const part = ['body', 'subject', 'preheader', 'text', 'dataSchema'].includes(p.path) ? u.t(key as MessageKey) : p.path;
    return `${part}: ${u.t('tpl.atLine', { line: p.line })}`;
  });
  return u.t('tpl.where', { places: [...new Set(parts)].join('; ') });
}

function warningsBlock(u: Ui, warnings: StoredWarning[], dataFields: string[]): SafeHtml | null {
  if (!warnings.length) return null;
  const notes = warningNotes(warnings, dataFields);
  return html`<section class="notice warning" data-test="template-warnings" aria-labelledby="template-warnings-title">
    <strong id="template-warnings-title">${u.t('tpl.warnings')}</strong>
    <ul>
      ${notes.unknown.map(
        (n) =>
          html`<li data-test="unknown-variable">
            ${u.t('tpl.unknownVariable', { variable: n.variable })}${n.suggestion ? ` ${u.t('tpl.didYouMean', { suggestion: n.suggestion })}` : ''}
            <span class="muted">${placesText(u, n.places)}</span>
          </li>`,
      )}
      ${notes.other.map(
        (n) =>
          html`<li>
            ${/^Unescaped output/.test(n.message) ? u.t('tpl.unescaped') : n.message} <span class="muted">${placesText(u, n.places)}</span>
          </li>`,
      )}
    </ul>
  </section>`;
}

export function variableWords(u: Ui) {
  const labels: Record<string, string> = {};
  for (const name of [
    'firstName',
    'lastName',
    'patronymic',
    'companyName',
    'position',
    'email',
    'phone',
    'fullName',
    'politeName',
    'brand.name',
    'brand.website',
    'brand.address',
    'brand.supportEmail',
    'brand.supportPhone',
    'brand.logoUrl',
    'track',
    'unsubscribeUrl',
    'preferencesUrl',
    'viewInBrowserUrl',
    'confirmUrl',
    'run.month',
    'run.monthName',
    'run.year',
    'run.date',
    'year',
  ]) {
    labels[name] = u.t(`tpl.var.${name}` as MessageKey);
  }
  return {
    groups: {
      customer: u.t('tpl.var.customer'),
      brand: u.t('tpl.var.brand'),
      links: u.t('tpl.var.links'),
      run: u.t('tpl.var.run'),
      data: u.t('tpl.var.data'),
    },
    labels,
    defaultName: u.t('tpl.var.defaultName'),
  };
}

/** The variable menu next to a field (filled by template-editor.js from #template-variables). */
function variableMenu(u: Ui, field: string, label: string): SafeHtml {
  return html`<div
    class="variable-menu"
    data-variable-menu="${field}"
    data-label="${u.t('tpl.insertVariable')}"
    data-title="${u.t('tpl.insertVariable.into', { field: label })}"
  ></div>`;
}

export function templatePage(
  session: AdminSession,
  t: TemplateDetail,
  draft: TemplateDraft | null,
  options: TemplatePageOptions,
): SafeHtml {
  const u = ui(session);
  const editor = canDo(session, 'marketer');
  const email = t.channel === 'email';
  const marks = errorMarks(options.errors ?? []);
  const variables: TemplateVariable[] = templateVariables(options.dataSchema, variableWords(u));
  const locale = draft?.locale ?? t.locales[0]?.locale ?? 'ru';
  const details = options.details ?? { name: t.name, description: t.description ?? '', embedImages: t.embedImages ?? false };
  const clone = options.clone ?? { key: `${t.key}-copy`, name: u.t('tpl.clone.suffix', { name: t.name }) };
  const otherErrors = marks.other.length
    ? html`<ul class="notice error" data-test="errors-other">
        ${marks.other.map((i) => html`<li>${templateIssueText(u, i)}</li>`)}
      </ul>`
    : null;

  const tabs = html`<div class="tabs" role="navigation" aria-label="${u.t('tpl.locales')}" data-test="locale-tabs">
    <ul>
      ${t.locales.map(
        (l) =>
          html`<li>
            <a
              href="/admin/templates/${t.id}?locale=${l.locale}"
              lang="${l.locale}"
              data-locale="${l.locale}"
              ${l.locale === locale ? html`aria-current="page"` : null}
              >${localeName(u, l.locale)}</a
            >
          </li>`,
      )}
    </ul>
  </div>`;

  const form =
    editor && draft
      ? // The visual builder's own controls must not be the form's (nor submit it on Enter): the
        // form holds the short fields, and the source, data fields and button outside it join it
        // by their form="template-form" attribute.
        html`<div class="template-editor" data-test="template-form">
          <form id="template-form" method="post" action="/admin/templates/${t.id}">
            ${csrfField(session)}
            <input type="hidden" name="locale" value="${draft.locale}" />
            ${
              email
                ? html`<label for="subject">${u.t('tpl.subject')}</label>
                    <div class="with-menu">
                      <input
                        id="subject"
                        name="subject"
                        value="${draft.subject}"
                        maxlength="2000"
                      />${variableMenu(u, 'subject', u.t('tpl.subject'))}
                    </div>
                    ${fieldErrors(u, 'subject', marks.byField.subject)}
                    <label for="preheader">${u.t('tpl.preheader')}</label>
                    <div class="with-menu">
                      <input
                        id="preheader"
                        name="preheader"
                        value="${draft.preheader}"
                        maxlength="2000"
                      />${variableMenu(u, 'preheader', u.t('tpl.preheader'))}
                    </div>
                    ${fieldErrors(u, 'preheader', marks.byField.preheader)}`
                : null
            }
          </form>
          <label for="body">${u.t(email ? 'tpl.sourceEmail' : 'tpl.sourceSms', { locale: draft.locale })}</label>
          ${variableMenu(u, 'body', u.t('field.body'))} ${email ? builderMount(u) : null}
          <textarea id="body" name="body" form="template-form" rows="${email ? 20 : 6}" data-channel="${t.channel}" spellcheck="false">
${draft.body}</textarea>
          ${fieldErrors(u, 'body', marks.byField.body)}
          <label for="dataFields">${u.t('tpl.dataFields')}</label>
          <textarea id="dataFields" name="dataFields" form="template-form" rows="4" spellcheck="false" aria-describedby="dataFields-hint">
${draft.dataFields}</textarea>
          <p class="muted" id="dataFields-hint">${u.t('tpl.dataFields.hint')}</p>
          ${fieldErrors(u, 'dataSchema', marks.byField.dataSchema)}
          <button type="submit" form="template-form">${u.t('tpl.save')}</button>
        </div>`
      : null;

  const readOnly =
    !editor && draft
      ? html`${email ? html`<p><strong>${u.t('tpl.subject')}:</strong> ${draft.subject}</p>` : null}
          <pre class="source" data-test="template-source">${draft.body}</pre>`
      : null;

  const manage = editor
    ? html`<h2>${u.t('tpl.addLocale')}</h2>
        <form method="post" action="/admin/templates/${t.id}/locales" class="inline-form" data-test="add-locale">
          ${csrfField(session)}<input type="hidden" name="from" value="${locale}" />
          <label for="add-locale">${u.t('tpl.addLocale.label', { locale })}</label>
          <input
            id="add-locale"
            name="locale"
            list="template-locales"
            required
            maxlength="16"
            value="${options.addLocale ?? TEMPLATE_LOCALES.find((l) => !t.locales.some((x) => x.locale === l)) ?? ''}"
          />
          <datalist id="template-locales">${TEMPLATE_LOCALES.map((l) => html`<option value="${l}">${localeName(u, l)}</option>`)}</datalist>
          <button type="submit">${u.t('tpl.addLocale')}</button>
        </form>
        <h2>${u.t('tpl.details')}</h2>
        <form method="post" action="/admin/templates/${t.id}/details" class="stack" data-test="template-details">
          ${csrfField(session)}
          <label for="detail-name">${u.t('tpl.create.name')}</label>
          <input id="detail-name" name="name" required maxlength="200" value="${details.name}" />
          <label for="detail-description">${u.t('tpl.create.description')}</label>
          <textarea id="detail-description" name="description" rows="2" maxlength="2000">${details.description}</textarea>
          ${
            email
              ? html`<label class="check"
                  ><input type="checkbox" name="embedImages" value="1" ${details.embedImages ? html`checked` : null} />
                  ${u.t('tpl.embedImages')}</label
                >`
              : null
          }
          <button type="submit">${u.t('tpl.details.save')}</button>
        </form>
        <h2>${u.t('tpl.clone')}</h2>
        <form method="post" action="/admin/templates/${t.id}/clone" class="stack" data-test="template-clone">
          ${csrfField(session)}
          <label for="clone-key">${u.t('tpl.clone.key')}</label>
          <input id="clone-key" name="key" required maxlength="64" value="${clone.key}" />
          <label for="clone-name">${u.t('tpl.clone.name')}</label>
          <input id="clone-name" name="name" required maxlength="200" value="${clone.name}" />
          <button type="submit">${u.t('tpl.clone.submit')}</button>
        </form>
        ${
          t.builtIn
            ? null
            : html`<h2>${u.t('tpl.delete')}</h2>
                ${actionButton(session, `/admin/templates/${t.id}/delete`, u.t('tpl.delete'), {
                  confirm: u.t('tpl.delete.confirm', { name: t.name }),
                })}`
        }`
    : null;

  return layout(
    session,
    u.t('tpl.one', { name: t.name }),
    html`<p class="muted">
        ${t.key} · ${u.word('channel', t.channel)}${t.builtIn ? html` · <span class="badge">${u.t('tpl.builtIn')}</span>` : null}
        ${t.description ? html`<br />${t.description}` : null}
      </p>
      ${tabs}
      <p><a href="/admin/templates/${t.id}/versions?locale=${locale}" data-test="history-link">${u.t('tpl.history')}</a></p>
      ${draft ? null : html`<p class="muted">${u.t('tpl.noVersion')}</p>`} ${otherErrors} ${form ?? readOnly}
      <section id="template-preview" data-template-id="${t.id}" data-locale="${locale}" data-channel="${t.channel}"></section>
      ${warningsBlock(
        u,
        options.warnings ?? [],
        options.dataSchema.map((f) => f.name),
      )}
      ${jsonScript('template-variables', variables)}
      <div hidden id="template-editor-words" data-leave="${u.t('tpl.leaveGuard')}" data-data-group="${u.t('tpl.var.data')}"></div>
      ${manage}`,
    options.notice,
    editor
      ? email
        ? ['template-editor', 'template-builder', 'template-preview']
        : ['template-editor', 'template-preview']
      : ['template-preview'],
  );
}

// ---- version history ---------------------------------------------------------------------

export interface VersionRow {
  id: number;
  version: number;
  locale: string;
  createdBy: string | null;
  createdAt: Date;
  fromFile: boolean;
  current: boolean;
}

export function versionsPage(
  session: AdminSession,
  t: TemplateDetail,
  locale: string,
  rows: VersionRow[],
  notice: Notice | null,
): SafeHtml {
  const u = ui(session);
  return layout(
    session,
    u.t('tpl.history.title', { name: t.name, locale }),
    html`<p><a href="/admin/templates/${t.id}?locale=${locale}">${u.t('tpl.history.back')}</a></p>
      <div data-test="version-list">
        ${table(
          [u.t('tpl.col.version'), u.t('tpl.col.author'), u.t('tpl.col.date'), ''],
          rows.map((v) => [
            html`<a href="/admin/templates/${t.id}/versions/${v.id}" data-version="${v.version}">${v.version}</a>`,
            cell(v.createdBy),
            cell(v.createdAt, u),
            html`${v.current ? html`<span class="badge">${u.t('tpl.current')}</span>` : null}${v.fromFile ? html` <span class="muted">${u.t('tpl.fromFile')}</span>` : null}`,
          ]),
          u.t('tpl.noVersion'),
        )}
      </div>`,
    notice,
  );
}

export interface VersionContent {
  id: number;
  version: number;
  locale: string;
  subject: string | null;
  preheader: string | null;
  body: string;
  dataFields: string;
  createdBy: string | null;
  createdAt: Date;
}

/** The parts of a version as one text, for reading and for the diff. */
export function versionText(u: Ui, v: Pick<VersionContent, 'subject' | 'preheader' | 'body' | 'dataFields'>): string {
  const parts: string[] = [];
  if (v.subject !== null) parts.push(`${u.t('tpl.subject')}: ${v.subject}`);
  if (v.preheader) parts.push(`${u.t('tpl.preheader').split(' (')[0]}: ${v.preheader}`);
  if (v.dataFields) parts.push(`${u.t('tpl.dataFields').split(':')[0]}:\n${v.dataFields}`);
  parts.push(v.body);
  return `${parts.join('\n\n')}\n`;
}

/** The diff as a `<pre>` of rows: − removed, + added (with the words for screen readers), unchanged. */
function diffListing(u: Ui, diff: DiffRow[]): SafeHtml {
  const rows = diff.map((r) => {
    if (r.kind === 'same') return html`<span class="diff-same">${'  '}${r.text}</span>`;
    const word = u.t(r.kind === 'added' ? 'tpl.diff.added' : 'tpl.diff.removed');
    const hidden = html`<span class="visually-hidden">${word}: </span>`;
    // prettier-ignore
    return r.kind === 'added' ? html`<ins class="diff-added" title="${word}">${hidden}+ ${r.text}</ins>` : html`<del class="diff-removed" title="${word}">${hidden}− ${r.text}</del>`;
  });
  return html`<pre class="diff" data-test="version-diff">${rows}</pre>`;
}

export function versionPage(
  session: AdminSession,
  t: TemplateDetail,
  version: VersionContent,
  current: { version: number } | null,
  diff: DiffRow[] | null,
): SafeHtml {
  const u = ui(session);
  const isCurrent = current?.version === version.version;
  return layout(
    session,
    u.t('tpl.version.title', { version: version.version, name: t.name, locale: version.locale }),
    html`<p>
        <a href="/admin/templates/${t.id}/versions?locale=${version.locale}">${u.t('tpl.history')}</a> ·
        <a href="/admin/templates/${t.id}?locale=${version.locale}">${u.t('tpl.history.back')}</a>
      </p>
      <p class="muted">${version.createdBy ?? '—'} · ${cell(version.createdAt, u)}</p>
      ${
        !isCurrent && canDo(session, 'marketer')
          ? actionButton(session, `/admin/templates/${t.id}/versions/${version.id}/restore`, u.t('tpl.restore'), {
              confirm: u.t('tpl.restore.confirm', { version: version.version }),
            })
          : null
      }
      ${
        current && diff
          ? html`<h2>${u.t('tpl.diff', { version: current.version })}</h2>
              ${
                diff.every((r) => r.kind === 'same')
                  ? html`<p class="muted" data-test="diff-none">${u.t('tpl.diff.none')}</p>`
                  : html`<p class="muted">${u.t('tpl.diff.legend')}</p>
                      ${diffListing(u, diff)}`
              }`
          : null
      }
      <h2>${u.t('tpl.version.content')}</h2>
      <pre class="source" data-test="version-content">${versionText(u, version)}</pre>`,
    null,
  );
}
