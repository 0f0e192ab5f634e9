// The scoring page: how the customers fall into RFM groups, ABC and XYZ classes and A–E ratings
// (counts, shares and a bar each), the «Пересчитать» button that queues a run, the recent runs,
// and the settings (numbers editable by marketers; the RFM group rules shown, edited through the API).
import type { ScoringConfig } from '../../scoring/scoring-config';
import type { ScoringService } from '../../scoring/scoring.service';
import type { AdminSession } from '../admin-auth.service';
import { html, type SafeHtml } from '../html';
import type { MessageKey } from '../i18n/t';
import { shareBar } from '../svg-chart';
import { actionButton, canDo, cell, csrfField, layout, stat, table, ui, type Notice, type Ui } from './layout';

type Summary = Awaited<ReturnType<ScoringService['summary']>>;
type Run = Awaited<ReturnType<ScoringService['listRuns']>>[number];

export interface ScoringView {
  summary: Summary;
  runs: Run[];
  /** null: the saved settings are invalid (`settingsError` says why). */
  config: { config: ScoringConfig; source: 'default' | 'saved'; updatedAt: Date | null } | null;
  settingsError?: string;
  /** The settings form's values (typed ones after a refusal) and a message per field. */
  values: Record<string, string>;
  errors: Record<string, string>;
}

interface Row {
  code: string | null;
  label: string;
  customers: number;
}

/** Rows with count, share of all live customers and a bar. */
function shareTable(u: Ui, heading: string, rows: Row[], total: number, testPrefix: string): SafeHtml {
  return table(
    [heading, u.t('scoring.col.customers'), u.t('scoring.col.share'), u.t('scoring.col.bar')],
    rows.map((r) => {
      const share = u.f.percent(r.customers, total);
      return [
        cell(r.label),
        html`<span data-test="${testPrefix}-${r.code ?? 'none'}">${u.f.number(r.customers)}</span>`,
        html`<span data-test="${testPrefix}-share-${r.code ?? 'none'}">${share}</span>`,
        shareBar(total ? r.customers / total : 0, `${r.label}: ${share}`),
      ];
    }),
    u.t('common.empty'),
  );
}

/** Known codes first in their order, then any other the data has (a custom group), then «not scored». */
function ordered(
  rows: Array<{ code: string | null; customers: number }>,
  known: readonly string[],
): Array<{ code: string | null; customers: number }> {
  const rank = (code: string | null) => (code === null ? known.length + 1 : known.includes(code) ? known.indexOf(code) : known.length);
  return [...rows].sort((a, b) => rank(a.code) - rank(b.code) || (a.code ?? '').localeCompare(b.code ?? ''));
}

function sumBy<T>(rows: T[], key: (row: T) => string | null): Map<string | null, number> {
  const out = new Map<string | null, number>();
  for (const row of rows) out.set(key(row), (out.get(key(row)) ?? 0) + (row as { customers: number }).customers);
  return out;
}

function distribution(u: Ui, summary: Summary, config: ScoringConfig | null): SafeHtml {
  const total = summary.ratings.reduce((n, r) => n + r.customers, 0);
  const groupOrder = config ? [...config.rfm.groups.map((g) => g.name), config.rfm.fallbackGroup] : [];
  const groups = ordered(
    summary.rfmGroups.map((g) => ({ code: g.group, customers: g.customers })),
    groupOrder,
  ).map((g) => ({ ...g, label: g.code === null ? u.t('scoring.notScored') : u.word('rfmGroup', g.code) }));
  const ratings = ordered(
    summary.ratings.map((r) => ({ code: r.rating, customers: r.customers })),
    ['A', 'B', 'C', 'D', 'E'],
  ).map((r) => ({ ...r, label: r.code ?? u.t('scoring.notScored') }));
  const abcTotals = sumBy(summary.abcXyz, (r) => r.abc);
  const xyzTotals = sumBy(summary.abcXyz, (r) => r.xyz);
  const classRows = (totals: Map<string | null, number>, order: string[], group: string) =>
    ordered(
      [...totals].map(([code, customers]) => ({ code, customers })),
      order,
    ).map((r) => ({ ...r, label: r.code === null ? u.t('scoring.noClass') : `${r.code} — ${u.word(group, r.code)}` }));
  const matrixCell = (abc: string | null, xyz: string | null) => {
    const n = summary.abcXyz.find((r) => r.abc === abc && r.xyz === xyz)?.customers ?? 0;
    return html`<span data-test="abcxyz-${abc ?? 'none'}${xyz ?? 'none'}"
      >${n ? u.t('scoring.cell', { n, share: u.f.percent(n, total) }) : html`<span class="muted">0</span>`}</span
    >`;
  };
  const abcCodes: Array<string | null> = ['A', 'B', 'C', null];
  const xyzCodes: Array<string | null> = ['X', 'Y', 'Z', null];
  return html`<h3>${u.t('scoring.rfmGroups')}</h3>
    <div data-test="rfm-groups">${shareTable(u, u.t('scoring.col.group'), groups, total, 'rfm')}</div>
    <h3>${u.t('scoring.ratings')}</h3>
    <div data-test="ratings">${shareTable(u, u.t('scoring.col.class'), ratings, total, 'rating')}</div>
    <h3>${u.t('scoring.abc')}</h3>
    ${shareTable(u, u.t('scoring.col.class'), classRows(abcTotals, ['A', 'B', 'C'], 'abcClass'), total, 'abc')}
    <h3>${u.t('scoring.xyz')}</h3>
    ${shareTable(u, u.t('scoring.col.class'), classRows(xyzTotals, ['X', 'Y', 'Z'], 'xyzClass'), total, 'xyz')}
    <h3>${u.t('scoring.abcXyz')}</h3>
    ${table(
      ['', ...xyzCodes.map((x) => x ?? u.t('scoring.noClass'))],
      abcCodes.map((a) => [html`<strong>${a ?? u.t('scoring.noClass')}</strong>`, ...xyzCodes.map((x) => matrixCell(a, x))]),
      u.t('common.empty'),
    )}`;
}

function runsTable(u: Ui, runs: Run[]): SafeHtml {
  return table(
    [
      u.t('col.run'),
      u.t('col.status'),
      u.t('scoring.col.startedBy'),
      u.t('scoring.col.scored'),
      u.t('scoring.col.changed'),
      u.t('scoring.col.duration'),
      u.t('col.created'),
      u.t('col.finished'),
      u.t('scoring.col.error'),
    ],
    runs.map((r) => [
      cell(r.id),
      html`<span class="badge status-${r.status}" data-test="run-${r.id}" data-status="${r.status}"
        >${u.word('scoringRunStatus', r.status)}</span
      >`,
      cell(u.word('scoringRunTrigger', r.trigger)),
      cell(r.scoredCustomers, u),
      cell(r.changedCustomers, u),
      cell(r.durationMs === null ? null : u.t('scoring.seconds', { s: (r.durationMs / 1000).toFixed(1) })),
      cell(r.createdAt, u),
      cell(r.finishedAt, u),
      cell(r.error),
    ]),
    u.t('scoring.noRuns'),
  );
}

function numberField(u: Ui, view: ScoringView, name: string, step: string, editable: boolean): SafeHtml {
  const id = `s-${name.replace(/\./g, '-')}`;
  const error = view.errors[name];
  return html`<div class="field" data-field="${name}">
    <label for="${id}">${u.t(`scoringField.${name}` as MessageKey)}</label
    ><input
      id="${id}"
      name="${name}"
      type="number"
      step="${step}"
      value="${view.values[name] ?? ''}"
      ${editable ? null : html`readonly`}
      ${error ? html`aria-invalid="true" aria-describedby="${id}-error"` : null}
    />
    ${error ? html`<p class="notice error field-error" id="${id}-error" data-test="error-${name}">${error}</p>` : null}
  </div>`;
}

function groupError(view: ScoringView, name: string): SafeHtml | null {
  const error = view.errors[name];
  return error ? html`<p class="notice error field-error" data-test="error-${name}">${error}</p>` : null;
}

function settings(session: AdminSession, view: ScoringView): SafeHtml {
  const u = ui(session);
  const editable = canDo(session, 'marketer');
  const field = (name: string, step = '1') => numberField(u, view, name, step, editable);
  const config = view.config?.config ?? null;
  const status = view.config
    ? view.config.source === 'saved' && view.config.updatedAt
      ? u.t('scoring.settingsSavedAt', { when: u.f.dateTime(view.config.updatedAt) })
      : u.t('scoring.settingsDefault')
    : u.t('scoring.settingsInvalid', { error: view.settingsError ?? '' });
  const range = (r: readonly [number, number] | undefined) =>
    r ? u.t('scoring.range', { lo: r[0], hi: r[1] }) : u.t('scoring.range', { lo: 1, hi: 5 });
  const noOrders = view.values['rating.noOrders'] ?? '';
  return html`<p class="muted" data-test="settings-source">${status} ${u.t('scoring.appliesNext')}</p>
    <form method="post" action="/admin/scoring/config" class="stack" data-test="scoring-form" novalidate>
      ${csrfField(session)}
      <fieldset>
        <legend>${u.t('scoring.rfmSettings')}</legend>
        ${field('rfm.windowDays')}
      </fieldset>
      <fieldset>
        <legend>${u.t('scoring.abcSettings')}</legend>
        ${field('abc.windowDays')}${groupError(view, 'abc.shares')}${field('abc.shares.a', 'any')}${field('abc.shares.b', 'any')}${field(
          'abc.shares.c',
          'any',
        )}
      </fieldset>
      <fieldset>
        <legend>${u.t('scoring.xyzSettings')}</legend>
        ${groupError(view, 'xyz')}${field('xyz.months')}${field('xyz.xBelow', 'any')}${field('xyz.yBelow', 'any')}
      </fieldset>
      <fieldset>
        <legend>${u.t('scoring.ratingSettings')}</legend>
        ${groupError(view, 'rating.weights')}${field('rating.weights.r', 'any')}${field('rating.weights.f', 'any')}${field(
          'rating.weights.m',
          'any',
        )}
        ${groupError(view, 'rating.min')}${field('rating.min.A', 'any')}${field('rating.min.B', 'any')}${field('rating.min.C', 'any')}${field(
          'rating.min.D',
          'any',
        )}
        <div class="field">
          <label for="s-rating-noOrders">${u.t('scoringField.rating.noOrders')}</label
          ><select id="s-rating-noOrders" name="rating.noOrders" ${editable ? null : html`disabled`}>
            <option value="" ${noOrders === '' ? html`selected` : null}>${u.t('scoring.noRating')}</option>
            ${['A', 'B', 'C', 'D', 'E'].map((r) => html`<option value="${r}" ${noOrders === r ? html`selected` : null}>${r}</option>`)}
          </select>
          ${groupError(view, 'rating.noOrders')}
        </div>
      </fieldset>
      ${editable ? html`<button type="submit">${u.t('scoring.save')}</button>` : null}
    </form>
    ${
      editable && (view.config === null || view.config.source === 'saved')
        ? actionButton(session, '/admin/scoring/config/reset', u.t('scoring.reset'), { confirm: u.t('scoring.resetConfirm') })
        : null
    }
    ${
      config
        ? html`<h3>${u.t('scoring.groupRules')}</h3>
            <p class="muted">${u.t('scoring.groupRulesHint')}</p>
            ${table(
              [u.t('scoring.col.group'), 'R', 'F', 'M'],
              [
                ...config.rfm.groups.map((g) => [cell(u.word('rfmGroup', g.name)), cell(range(g.r)), cell(range(g.f)), cell(range(g.m))]),
                [cell(u.word('rfmGroup', config.rfm.fallbackGroup)), cell(u.t('scoring.otherwise')), cell(null), cell(null)],
              ],
              u.t('common.empty'),
            )}`
        : null
    }`;
}

export function scoringPage(session: AdminSession, view: ScoringView, notice: Notice | null): SafeHtml {
  const u = ui(session);
  const total = view.summary.ratings.reduce((n, r) => n + r.customers, 0);
  const scored = view.summary.rfmGroups.filter((g) => g.group !== null).reduce((n, g) => n + g.customers, 0);
  const lastDone = view.runs.find((r) => r.status === 'completed');
  const pending = view.runs.find((r) => r.status === 'queued' || r.status === 'running');
  return layout(
    session,
    u.t('scoring.title'),
    html`<p class="muted">${u.t('scoring.about')}</p>
      <div class="stats">
        ${stat(u.t('scoring.customers'), total, 'total', u)}${stat(u.t('scoring.scoredCustomers'), scored, 'scored', u)}${stat(
          u.t('scoring.lastRun'),
          lastDone?.finishedAt ? u.f.dateTime(lastDone.finishedAt) : u.t('scoring.never'),
          'last-run',
        )}
      </div>
      ${
        pending
          ? html`<p class="notice ok" data-test="pending">
              ${u.t('scoring.running', { id: pending.id, status: u.word('scoringRunStatus', pending.status) })}
            </p>`
          : null
      }
      ${canDo(session, 'marketer') ? html`<div class="action-row" data-test="recompute">${actionButton(session, '/admin/scoring/runs', u.t('scoring.recompute'))}</div>` : null}
      <h2>${u.t('scoring.distribution')}</h2>
      ${distribution(u, view.summary, view.config?.config ?? null)}
      <h2>${u.t('scoring.runs')}</h2>
      <div data-test="runs">${runsTable(u, view.runs)}</div>
      <h2>${u.t('scoring.settings')}</h2>
      ${settings(session, view)}`,
    notice,
  );
}
