// The segments pages: the list, and one segment's form with the visual builder (rows of field /
// operator / value in AND/OR groups, the browser module client/segment-builder.ts) over the
// rule JSON, which stays the form's `rules` field, so the page works without script too. The
// builder's words (fields, operators, values) are rendered here from the message catalogue.
import type { FieldIssue } from '../../common/domain-error';
import { fieldCatalogue, valueKind, type ValueKind } from '../../segments/dsl/field-catalogue';
import type { ConditionOp } from '../../segments/dsl/fields';
import type { AdminSession } from '../admin-auth.service';
import { issueText } from '../admin-forms';
import { html, type SafeHtml } from '../html';
import { hasKey } from '../i18n/t';
import { canDo, cell, csrfField, layout, stat, table, ui, type Notice, type Ui } from './layout';

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

// ───────────────────────────── the builder's catalogue ─────────────────────────────

/** One field as the builder offers it; `value` per operator says which input it shows. */
export interface BuilderField {
  field: string;
  label: string;
  group: string;
  ops: Array<{ op: ConditionOp; label: string; value: ValueKind }>;
  values?: Array<{ value: string; label: string }>;
  options?: readonly string[];
  /** Shown after a number input (₽ for money). */
  unit?: string;
}

const GROUPS = ['customer', 'orders', 'contacts', 'scoring', 'engagement', 'other'] as const;
const GROUP_OF: Record<string, (typeof GROUPS)[number]> = {
  first_order_at: 'orders',
  last_order_at: 'orders',
  order_count: 'orders',
  order_sum: 'orders',
  email: 'contacts',
  email_valid: 'contacts',
  phone: 'contacts',
  phone_valid: 'contacts',
  rating: 'scoring',
  abc_class: 'scoring',
  xyz_class: 'scoring',
  scored_at: 'scoring',
  tags: 'other',
};

function groupOf(field: string): (typeof GROUPS)[number] {
  if (GROUP_OF[field]) return GROUP_OF[field];
  if (field.startsWith('orders.')) return 'orders';
  if (field.startsWith('consent.') || field.startsWith('reachable.')) return 'contacts';
  if (field.startsWith('rfm_')) return 'scoring';
  if (field.startsWith('engagement.')) return 'engagement';
  if (field.startsWith('attributes.')) return 'other';
  return 'customer';
}

/** Operators a marketer reaches for first come first (the builder picks the first for a new row). */
const FIRST_OPS: readonly ConditionOp[] = ['within_last_days', 'more_than_days_ago', 'this_month', 'in_next_days', 'has', 'has_any'];
const MONEY = new Set(['order_sum', 'orders.sum']);
/** Codes whose words the catalogue has (`customerKind.company` → «компания»). */
const VALUE_WORDS: Record<string, string> = { kind: 'customerKind', 'consent.email': 'consentStatus', 'consent.sms': 'consentStatus' };

function label(u: Ui, key: string, fallback: string): string {
  return hasKey(key) ? u.t(key) : fallback;
}

export function builderFields(u: Ui): BuilderField[] {
  const fields = fieldCatalogue().map((entry): BuilderField => {
    const kind = entry.type ?? entry.kind;
    const ops = [...entry.ops].sort((a, b) => rank(a) - rank(b));
    const group = VALUE_WORDS[entry.field];
    return {
      field: entry.field,
      label: label(u, `segField.${entry.field}`, entry.field),
      group: groupOf(entry.field),
      ops: ops.map((op) => ({
        op,
        label: label(u, `segOp.${kind}.${op}`, label(u, `segOp.${op}`, op)),
        value: valueKind(entry.field, op),
      })),
      ...(entry.values ? { values: entry.values.map((value) => ({ value, label: group ? u.word(group, value) : value })) } : {}),
      ...(entry.options ? { options: entry.options } : {}),
      ...(MONEY.has(entry.field) ? { unit: u.t('segb.rub') } : {}),
    };
  });
  return fields.sort((a, b) => GROUPS.indexOf(a.group as never) - GROUPS.indexOf(b.group as never));
}

function rank(op: ConditionOp): number {
  const i = FIRST_OPS.indexOf(op);
  return i === -1 ? FIRST_OPS.length : i;
}

const WORD_KEYS = [
  'match.all',
  'match.any',
  'topMatch',
  'groupMatch',
  'joiner.all',
  'joiner.any',
  'not',
  'notTitle',
  'addCondition',
  'addGroup',
  'removeCondition',
  'removeGroup',
  'field',
  'op',
  'value',
  'from',
  'to',
  'attributeKey',
  'listHint',
  'days',
  'option.days',
  'option.channel',
  'option.campaignId',
  'anyChannel',
  'empty',
  'advanced',
  'notRows',
  'badJson',
  'sampleEmpty',
  'incomplete',
  'counting',
  'failed',
  'noName',
] as const;

/** Everything the browser module shows, in the user's language: fields, groups, words. */
export function builderCatalogue(u: Ui) {
  return {
    fields: builderFields(u),
    groups: GROUPS.map((key) => ({ key, label: u.t(`segb.group.${key}`) })),
    channels: ['email', 'sms'].map((value) => ({ value, label: u.word('channel', value) })),
    words: Object.fromEntries(WORD_KEYS.map((k) => [k, u.t(`segb.${k}`)])),
  };
}

// ───────────────────────────── rule issues in words ─────────────────────────────

/** The rule validator's messages (segments/dsl/format-issues.ts) said in the user's language; others as they came. */
const RULE_MESSAGES: Array<[RegExp, (u: Ui, m: RegExpExecArray) => string]> = [
  [/^required/, (u) => u.t('segb.issue.required')],
  [/^expected an integer$/, (u) => u.t('segb.issue.integer')],
  [/^expected a number$/, (u) => u.t('segb.issue.number')],
  [/^expected a date/, (u) => u.t('segb.issue.date')],
  [/^expected a number [≥>] (-?[\d.]+)$/, (u, m) => u.t('segb.issue.min', { n: Number(m[1]) })],
  [/^expected a number [≤<] (-?[\d.]+)$/, (u, m) => u.t('segb.issue.max', { n: Number(m[1]) })],
  [/^expected at least 1 (item|character)/, (u, m) => (m[1] === 'item' ? u.t('segb.issue.list') : u.t('segb.issue.required'))],
  [/^expected \[from, to\]/, (u) => u.t('segb.issue.range')],
  [/^expected one of /, (u) => u.t('segb.issue.oneOf')],
  [/^unknown field /, (u) => u.t('segb.issue.field')],
  [/^not valid JSON/, (u) => u.t('segb.issue.json')],
];

export function ruleIssue(u: Ui, issue: FieldIssue): FieldIssue {
  let message = issue.message;
  if (/\.any$/.test(issue.path) && /at least 1 item/.test(message)) message = u.t('segb.issue.emptyAny');
  else
    for (const [pattern, say] of RULE_MESSAGES) {
      const match = pattern.exec(issue.message);
      if (match) {
        message = say(u, match);
        break;
      }
    }
  return { path: issue.path, message };
}

/**
 * One issue as the form says it: a rule's by its place among the conditions («Правила, условие
 * 2.1»: не больше 366, the first condition of the second item), any other as admin-forms does.
 */
export function segmentIssueText(u: Ui, issue: FieldIssue): string {
  if (!/^rules([.[]|$)/.test(issue.path)) return issueText(u, issue);
  const said = ruleIssue(u, issue);
  const place = [...issue.path.matchAll(/\b(?:all|any)\[(\d+)\]/g)].map((m) => Number(m[1]) + 1).join('.');
  const field = place ? `${u.t('field.rules')}, ${u.t('segb.issue.at', { path: place })}` : u.t('field.rules');
  return u.t('form.issue', { field, message: said.message });
}

// ───────────────────────────── one segment ─────────────────────────────

export interface SegmentFormValues {
  id: number | null;
  name: string;
  description: string | null;
  /** The rules as JSON text: what is stored, or what was typed. */
  rules: string;
}

/**
 * A segment's form. Without script the rules are the JSON textarea; segment-builder.js turns
 * them into rows, keeps the textarea (behind «Расширенный режим») in step and counts live.
 * `issues` name the refused fields: each is said under its field, rule issues also at their row.
 */
export function segmentPage(
  session: AdminSession,
  segment: SegmentFormValues,
  notice: Notice | null,
  issues: readonly FieldIssue[] = [],
): SafeHtml {
  const u = ui(session);
  const action = segment.id === null ? '/admin/segments' : `/admin/segments/${segment.id}`;
  const editable = canDo(session, 'marketer');
  const at = (field: string) => issues.filter((i) => i.path === field || i.path.startsWith(`${field}.`) || i.path.startsWith(`${field}[`));
  const errors = (field: string) => {
    const list = at(field);
    return list.length
      ? html`<ul class="field-error" id="${field}-error" data-test="${field}-error">
          ${list.map((i) => html`<li>${segmentIssueText(u, i)}</li>`)}
        </ul>`
      : null;
  };
  const invalid = (field: string) => (at(field).length ? html`aria-invalid="true" aria-describedby="${field}-error"` : null);
  const fields = fieldCatalogue();
  return layout(
    session,
    segment.id === null ? u.t('segments.new') : u.t('segments.one', { name: segment.name }),
    html`<form method="post" action="${action}" class="stack wide segment-form" data-test="segment-form">
        ${csrfField(session)}
        <div class="segment-head">
          <div>
            <label for="name">${u.t('col.name')}</label
            ><input id="name" name="name" required maxlength="200" value="${segment.name}" ${invalid('name')} />${errors('name')}
          </div>
          <div>
            <label for="description">${u.t('col.description')}</label
            ><input
              id="description"
              name="description"
              maxlength="2000"
              value="${segment.description ?? ''}"
              ${invalid('description')}
            />${errors('description')}
          </div>
        </div>
        <div
          class="segb"
          id="segment-builder"
          data-test="builder"
          data-catalogue="${JSON.stringify(builderCatalogue(u))}"
          data-issues="${JSON.stringify(at('rules'))}"
          data-preview-url="/admin/segments/preview"
          data-editable="${editable ? 'true' : 'false'}"
        ></div>
        <div class="segb-json" data-segb-json>
          <label for="rules">${u.t('segments.rules')}</label
          ><textarea id="rules" name="rules" rows="12" required spellcheck="false" ${invalid('rules')}>${segment.rules}</textarea>
        </div>
        ${errors('rules')}
        <section class="segb-live" data-segb-live hidden aria-live="polite">
          <h2>${u.t('segb.live')}</h2>
          <div class="stats">
            ${stat(u.t('segb.total'), '—', 'count-total')} ${stat(u.t('segb.reachableEmail'), '—', 'count-email')}
            ${stat(u.t('segb.reachableSms'), '—', 'count-sms')}
          </div>
          <p class="muted" data-segb-status data-test="count-status"></p>
          <h3>${u.t('segb.sample')}</h3>
          <div class="table-wrap">
            <table data-test="sample">
              <thead>
                <tr>
                  <th>${u.t('col.customer')}</th>
                  <th>${u.t('segb.col.contact')}</th>
                  <th>${u.t('segb.col.company')}</th>
                </tr>
              </thead>
              <tbody data-segb-sample></tbody>
            </table>
          </div>
        </section>
        ${editable ? html`<button type="submit">${u.t('common.save')}</button>` : null}
      </form>
      <details class="segb-help">
        <summary>${u.t('segb.fieldsHelp')}</summary>
        ${table(
          [u.t('col.field'), u.t('col.kind'), u.t('col.operators')],
          fields.map((f) => [html`<code>${f.field}</code>`, html`<code>${f.type ?? f.kind}</code>`, html`<code>${f.ops.join(' ')}</code>`]),
          u.t('common.empty'),
        )}
      </details>`,
    notice,
    ['segment-builder'],
  );
}
