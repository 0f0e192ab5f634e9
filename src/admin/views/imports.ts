// CSV import pages: the upload form with the recent imports, the mapping step (how the file was
// read, its first lines, a target per column, dry run), and an import's progress and result with
// its issues by line. Codes (statuses, fields, issue reasons) are shown as words of the catalogue.
import type { AdminSession } from '../admin-auth.service';
import { html, type SafeHtml } from '../html';
import { hasKey, type MessageKey } from '../i18n/t';
import { canDo, cell, csrfField, layout, stat, table, ui, type Notice, type Ui } from './layout';

/** The delimiters offered, by the name a form posts. */
export const DELIMITERS: Readonly<Record<string, string>> = { semicolon: ';', comma: ',', tab: '\t', pipe: '|' };
/** The encodings offered (others are read when detected, e.g. UTF-16 BE). */
export const ENCODINGS = ['utf-8', 'windows-1251', 'utf-16le'] as const;

export function delimiterName(delimiter: string): string | undefined {
  return Object.keys(DELIMITERS).find((name) => DELIMITERS[name] === delimiter);
}

function delimiterWord(u: Ui, delimiter: string): string {
  const name = delimiterName(delimiter);
  return name ? u.t(`delimiter.${name}` as MessageKey) : `«${delimiter}»`;
}

/** 1536 → «1,5 КБ». */
export function fileSize(u: Ui, bytes: number): string {
  if (bytes >= 1 << 20) return u.t('imports.mb', { n: u.f.number(Math.round((bytes / (1 << 20)) * 10) / 10) });
  if (bytes >= 1 << 10) return u.t('imports.kb', { n: u.f.number(Math.round((bytes / (1 << 10)) * 10) / 10) });
  return u.t('imports.bytes', { n: u.f.number(bytes) });
}

function who(u: Ui, createdBy: string | null): string {
  if (!createdBy) return '—';
  if (createdBy.startsWith('admin UI: ')) return createdBy.slice('admin UI: '.length);
  const key = /^api_key:(\d+)$/.exec(createdBy);
  if (key) return u.t('imports.by', { id: key[1] });
  if (createdBy === 'cli') return u.t('imports.cli');
  if (createdBy === 'api') return u.t('imports.api');
  return createdBy;
}

export function targetWord(u: Ui, target: string): string {
  if (target === 'attribute' || target === 'ignore') return u.t(`importTarget.${target}`);
  return u.word('importField', target);
}

/** An issue's field as a word: a known field, «вся строка», or an attribute column's header as written. */
function issueField(u: Ui, field: string): string {
  return hasKey(`importField.${field}`) ? u.t(`importField.${field}` as MessageKey) : field;
}

/** The reason in the user's language when its code is known, else as the import wrote it. */
export function issueReason(u: Ui, issue: { code: string; reason: string; otherLine?: number | null }): string {
  const other = issue.otherLine === null || issue.otherLine === undefined ? '' : String(issue.otherLine);
  const key = `importIssue.${issue.code}`;
  if (hasKey(key)) return u.t(key, { other });
  if (issue.code.endsWith('.too_long')) return u.t('importIssue.too_long');
  return issue.reason;
}

function statusBadge(u: Ui, status: string, dryRun: boolean, testId: string): SafeHtml {
  return html`<span class="badge status-${status}" data-test="${testId}" data-status="${status}">${u.word('importStatus', status)}</span>${
      dryRun ? html` <span class="badge">${u.t('importStatus.dryRun')}</span>` : null
    }`;
}

// ── the list and the upload form ──

export interface ImportRow {
  id: number;
  kind: string;
  status: string;
  filename: string | null;
  dryRun: boolean;
  createdBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  insertedRows: number;
  updatedRows: number;
  unchangedRows: number;
  duplicateRows: number;
  errorRows: number;
  warningCount: number;
}

export function importsPage(
  session: AdminSession,
  view: { rows: ImportRow[]; next: string | null; maxBytes: number; kind?: string },
  notice: Notice | null,
): SafeHtml {
  const u = ui(session);
  const kind = view.kind === 'orders' ? 'orders' : 'customers';
  const form = canDo(session, 'marketer')
    ? html`<form method="post" action="/admin/imports" enctype="multipart/form-data" class="stack" data-test="upload-form">
        ${csrfField(session)}
        <p class="muted">${u.t('imports.about')}</p>
        <label for="kind">${u.t('field.kind')}</label
        ><select id="kind" name="kind">
          <option value="customers" ${kind === 'customers' ? html`selected` : null}>${u.t('importKind.customers')}</option>
          <option value="orders" ${kind === 'orders' ? html`selected` : null}>${u.t('importKind.orders')}</option>
        </select>
        <label for="file">${u.t('field.file')}</label
        ><input id="file" name="file" type="file" accept=".csv,.txt,.tsv,text/csv,text/plain" />
        <p class="muted">${u.t('imports.limit', { size: fileSize(u, view.maxBytes) })}</p>
        <button type="submit">${u.t('imports.uploadButton')}</button>
      </form>`
    : null;
  return layout(
    session,
    u.t('imports.title'),
    html`${
        form
          ? html`<h2>${u.t('imports.upload')}</h2>
              ${form}`
          : null
      }
      <h2>${u.t('imports.recent')}</h2>
      ${table(
        [
          '#',
          u.t('imports.col.file'),
          u.t('col.kind'),
          u.t('col.status'),
          u.t('imports.col.counts'),
          u.t('col.started'),
          u.t('imports.col.who'),
        ],
        view.rows.map((r) => [
          cell(r.id),
          html`<a href="/admin/imports/${r.id}" data-test="import-${r.id}">${r.filename ?? `#${r.id}`}</a>`,
          cell(u.word('importKind', r.kind)),
          statusBadge(u, r.status, r.dryRun, `import-status-${r.id}`),
          cell(
            [r.insertedRows, r.updatedRows, r.unchangedRows, r.duplicateRows, r.errorRows, r.warningCount]
              .map((n) => u.f.number(n))
              .join(' / '),
          ),
          cell(r.startedAt ?? r.createdAt, u),
          cell(who(u, r.createdBy)),
        ]),
        u.t('imports.empty'),
      )}
      ${view.next ? html`<p><a href="/admin/imports?before=${view.next}">${u.t('imports.older')}</a></p>` : null}`,
    notice,
  );
}

// ── the mapping step ──

export interface MappingView {
  job: { id: number; kind: string; filename: string | null };
  preview: {
    encoding: string;
    encodingBasis: string;
    delimiter: string;
    delimiterBasis: string;
    headers: string[];
    rows: Array<{ line: number; cells: string[] }>;
    undecodableChars: number;
  };
  /** What the read form chose (empty: detect). */
  read: { encoding: string; delimiter: string };
  targets: string[];
  /** Attribute key per column (null when the column is not an attribute). */
  keys: Array<string | null>;
  /** Every target a column may take, in order. */
  options: string[];
  dryRun: boolean;
}

export function mappingPage(session: AdminSession, view: MappingView, notice: Notice | null): SafeHtml {
  const u = ui(session);
  const p = view.preview;
  const marketer = canDo(session, 'marketer');
  const action = `/admin/imports/${view.job.id}`;
  const headerText = (header: string, i: number) => header || u.t('imports.columnNumber', { n: i + 1 });
  const readForm = html`<form method="get" action="${action}" class="search" data-test="read-form">
    <label for="encoding">${u.t('field.encoding')}</label>
    <select id="encoding" name="encoding">
      <option value="">${u.t('imports.auto')}</option>
      ${ENCODINGS.map((e) => html`<option value="${e}" ${view.read.encoding === e ? html`selected` : null}>${u.word('encoding', e)}</option>`)}
    </select>
    <label for="delimiter">${u.t('field.delimiter')}</label>
    <select id="delimiter" name="delimiter">
      <option value="">${u.t('imports.auto')}</option>
      ${Object.keys(DELIMITERS).map(
        (d) =>
          html`<option value="${d}" ${view.read.delimiter === d ? html`selected` : null}>${u.t(`delimiter.${d}` as MessageKey)}</option>`,
      )}
    </select>
    <button type="submit" class="secondary">${u.t('imports.reread')}</button>
  </form>`;
  const previewTable = p.rows.length
    ? table(
        [u.t('imports.line'), ...p.headers.map(headerText)],
        p.rows.map((r) => [cell(r.line), ...p.headers.map((_, i) => cell(r.cells[i] ?? ''))]),
        '',
      )
    : html`<p class="muted">${u.t('imports.previewEmpty')}</p>`;
  // One block per column (label, select, attribute key): a list, not a table, so a phone shows it whole.
  const columns = p.headers.map((header, i) => {
    const sample = p.rows[0]?.cells[i] ?? '';
    const key = view.keys[i];
    return html`<div class="map-column" data-test="column-${i}">
      <label for="col-${i}"
        >${headerText(header, i)}${sample ? html` <span class="muted">(${u.t('imports.sample', { line: p.rows[0].line, value: sample })})</span>` : null}</label
      >
      <select id="col-${i}" name="col.${i}" data-column="${i}" data-header="${header}" ${marketer ? null : html`disabled`}>
        ${view.options.map(
          (target) =>
            html`<option value="${target}" ${view.targets[i] === target ? html`selected` : null}>${targetWord(u, target)}</option>`,
        )}
      </select>
      <code class="muted" data-key-for="${i}" data-test="key-${i}">${key ? u.t('imports.key', { key }) : ''}</code>
    </div>`;
  });
  const hiddenRead = html`<input type="hidden" name="encoding" value="${view.read.encoding}" /><input
      type="hidden"
      name="delimiter"
      value="${view.read.delimiter}"
    />`;
  return layout(
    session,
    u.t('imports.mappingTitle', { file: view.job.filename ?? `#${view.job.id}` }),
    html`<h2>${u.t('imports.read')}</h2>
      <p data-test="read-as">
        ${u.t('imports.readAs', {
          encoding: u.word('encoding', p.encoding),
          basis: u.word('encodingBasis', p.encodingBasis),
          delimiter: delimiterWord(u, p.delimiter),
          delimiterBasis: u.word('delimiterBasis', p.delimiterBasis),
        })}
      </p>
      <p>${u.t('field.kind')}: ${u.word('importKind', view.job.kind)}</p>
      ${p.undecodableChars > 0 ? html`<p class="notice error">${u.t('imports.undecodable', { n: p.undecodableChars })}</p>` : null}
      ${readForm}
      <h2>${u.t('imports.preview')}</h2>
      ${previewTable}
      <h2>${u.t('imports.columns')}</h2>
      <form
        method="post"
        action="${action}/start"
        class="stack"
        data-test="mapping-form"
        data-key-label="${u.t('imports.key', { key: '{key}' })}"
      >
        ${csrfField(session)}${hiddenRead} ${columns}
        <p class="muted">${u.t('imports.keyHint')}</p>
        ${view.job.kind === 'customers' ? html`<p class="muted">${u.t('imports.companyHint')}</p>` : null}
        ${
          marketer
            ? html`<label class="check"
                  ><input type="checkbox" name="dryRun" value="1" data-test="dry-run" ${view.dryRun ? html`checked` : null} />
                  ${u.t('imports.dryRun')}</label
                >
                <button type="submit" data-test="start">${u.t('imports.start')}</button>`
            : null
        }
      </form>`,
    notice,
    ['import-mapping'],
  );
}

/** The words for what stops a mapping, one line each. */
export function mappingProblemTexts(
  u: Ui,
  headers: string[],
  problems: Array<
    | { code: 'unknown_target'; column: number; target: string }
    | { code: 'duplicate_field'; field: string; columns: number[] }
    | { code: 'duplicate_header'; header: string; columns: number[] }
    | { code: 'missing_column'; fields: readonly string[] }
  >,
): string[] {
  const name = (i: number) => `«${headers[i] || u.t('imports.columnNumber', { n: i + 1 })}»`;
  return problems.map((p) => {
    switch (p.code) {
      case 'unknown_target':
        return u.t('imports.unknownTarget', { column: name(p.column) });
      case 'duplicate_field':
        return u.t('imports.duplicateField', { columns: p.columns.map(name).join(', '), field: targetWord(u, p.field) });
      case 'duplicate_header':
        return u.t('imports.duplicateHeader', { columns: p.columns.map((c) => String(c + 1)).join(', '), header: p.header });
      case 'missing_column':
        return u.t('imports.required', { fields: p.fields.map((f) => targetWord(u, f)).join(`»${u.t('imports.or')}«`) });
    }
  });
}

// ── progress and result ──

export interface JobView {
  id: number;
  kind: string;
  status: string;
  filename: string | null;
  dryRun: boolean;
  createdBy: string | null;
  failure: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  progress: { bytesRead: number; totalBytes: number | null; percent: number | null; rows: number };
  counts: { rows: number; inserted: number; updated: number; unchanged: number; duplicates: number; rejected: number; warnings: number };
  summary: unknown;
}

export interface IssueRow {
  id: bigint;
  line: number;
  severity: string;
  field: string;
  code: string;
  reason: string;
  otherLine: number | null;
}

export function jobPage(
  session: AdminSession,
  job: JobView,
  issues: { items: IssueRow[]; next: string | null },
  canImportForReal: boolean,
  notice: Notice | null,
): SafeHtml {
  const u = ui(session);
  const title = u.t('imports.jobTitle', { id: job.id, file: job.filename ?? `#${job.id}` });
  const head = html`<p>
    ${u.t('col.status')}: ${statusBadge(u, job.status, job.dryRun, 'job-status')} · ${u.word('importKind', job.kind)} ·
    ${who(u, job.createdBy)}${job.startedAt ? html` · ${cell(job.startedAt, u)}` : null}
  </p>`;
  const p = job.progress;
  const read = fileSize(u, p.bytesRead);
  const progress =
    p.totalBytes !== null && p.totalBytes > 0
      ? u.t('imports.progress', { percent: `${p.percent ?? 0} %`, read, total: fileSize(u, p.totalBytes) })
      : u.t('imports.progressUnknown', { read });
  if (job.status === 'queued' || job.status === 'running') {
    return layout(
      session,
      title,
      html`${head}
        <p data-test="progress">${progress}</p>
        <progress max="100" value="${p.percent ?? 0}" aria-label="${progress}"></progress>
        <p class="muted">${u.t('imports.waiting')} <a href="/admin/imports/${job.id}">${u.t('imports.refresh')}</a></p>`,
      notice,
    );
  }
  const c = job.counts;
  const summary = job.summary as {
    encoding?: string;
    delimiter?: string;
    columns?: Array<{ header: string; target: string; key?: string }>;
  } | null;
  const marketer = canDo(session, 'marketer');
  return layout(
    session,
    title,
    html`${head}
      ${job.dryRun && job.status === 'completed' ? html`<p class="notice ok" data-test="dry-run-done">${u.t('imports.dryRunDone')}</p>` : null}
      ${
        canImportForReal && marketer
          ? html`<form method="post" action="/admin/imports/${job.id}/import" class="inline">
              ${csrfField(session)}<button type="submit" data-test="import-for-real">${u.t('imports.importForReal')}</button>
            </form>`
          : null
      }
      ${job.failure ? html`<p class="notice error" data-test="failure">${u.t('imports.failed', { reason: job.failure })}</p>` : null}
      <h2>${u.t('imports.result')}</h2>
      <div class="stats">
        ${stat(u.t('imports.rows'), c.rows, 'rows', u)}${stat(u.t('imports.inserted'), c.inserted, 'inserted', u)}${stat(
          u.t('imports.updated'),
          c.updated,
          'updated',
          u,
        )}${stat(u.t('imports.unchanged'), c.unchanged, 'unchanged', u)}${stat(u.t('imports.duplicates'), c.duplicates, 'duplicates', u)}${stat(
          u.t('imports.rejected'),
          c.rejected,
          'rejected',
          u,
        )}${stat(u.t('imports.warnings'), c.warnings, 'warnings', u)}
      </div>
      ${
        summary?.encoding
          ? html`<p class="muted">
              ${u.t('field.encoding')}: ${u.word('encoding', summary.encoding)} · ${u.t('field.delimiter')}:
              ${delimiterWord(u, summary.delimiter ?? '')}${
                summary.columns?.length
                  ? html` ·
                    ${summary.columns
                      .map((col) => `${col.header} → ${targetWord(u, col.target)}${col.key ? ` (${col.key})` : ''}`)
                      .join('; ')}`
                  : null
              }
            </p>`
          : null
      }
      <h2>${u.t('imports.issues')}</h2>
      ${
        marketer && (c.rejected > 0 || c.warnings > 0 || c.duplicates > 0)
          ? html`<p><a href="/admin/imports/${job.id}/issues.csv" data-test="issues-csv">${u.t('imports.issuesCsv')}</a></p>`
          : null
      }
      <div data-test="issues">
        ${table(
          [u.t('imports.col.line'), u.t('imports.col.severity'), u.t('col.field'), u.t('col.reason'), u.t('imports.col.otherLine')],
          // Stored per batch, errors before warnings: a page is shown in line order.
          [...issues.items]
            .sort((a, b) => a.line - b.line)
            .map((i) => [
              cell(i.line, u),
              cell(u.word('importSeverity', i.severity)),
              cell(issueField(u, i.field)),
              cell(issueReason(u, i)),
              cell(i.otherLine === null ? null : u.t('imports.otherLine', { line: i.otherLine })),
            ]),
          u.t('imports.noIssues'),
        )}
      </div>
      ${issues.next ? html`<p><a href="/admin/imports/${job.id}?after=${issues.next}" data-test="issues-next">${u.t('common.nextPage')}</a></p>` : null}`,
    notice,
  );
}
