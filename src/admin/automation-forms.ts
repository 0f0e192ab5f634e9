// Reading the automation and scoring forms. The posted strings become the body the API takes,
// and the domain's own schemas check it (createTriggerSchema/updateTriggerSchema, the type's
// options through parseTriggerOptions, scoringConfigSchema): no rule is written twice here.
// Their issues come back under the form's field names, said in the user's language. Pure: no
// Nest, no I/O.
import type { FieldIssue } from '../common/domain-error';
import type { ScoringConfig } from '../scoring/scoring-config';
import { TRIGGER_TYPES, type TriggerTypeName } from '../triggers/dto/trigger.dto';
import type { Form } from './admin-forms';
import { issueText } from './admin-forms';
import { hasKey } from './i18n/t';
import type { Notice, Ui } from './views/layout';

/** The options of each type that its form shows, in the order shown (the `common` ones follow for every type). */
export const TYPE_OPTIONS: Record<TriggerTypeName, readonly string[]> = {
  birthday: ['daysBefore', 'localHour', 'promoCode', 'discountPercent', 'promoValidDays'],
  order_status: ['orderStatus'],
  welcome: ['secondTemplate', 'secondStepDays'],
  win_back: ['days', 'localHour'],
  re_engagement: ['days', 'localHour'],
  event: ['eventName'],
};

/** Options read as numbers (an empty field leaves the type's default). */
const NUMBER_OPTIONS = new Set(['daysBefore', 'localHour', 'discountPercent', 'promoValidDays', 'secondStepDays', 'days']);

export function isTriggerType(value: unknown): value is TriggerTypeName {
  return typeof value === 'string' && (TRIGGER_TYPES as readonly string[]).includes(value);
}

function field(form: Form, name: string): string {
  const value = form[name];
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * A number typed in a form: empty is undefined (the default applies), a decimal comma is read
 * as a point, and anything else stays text so the schema names the field ("expected number").
 */
export function formNumber(value: string): number | string | undefined {
  const text = value.trim().replace(',', '.');
  if (!text) return undefined;
  return /^[-+]?\d+(\.\d+)?$/.test(text) ? Number(text) : value.trim();
}

/** The form's template data: a JSON object, or an issue on `options.data`. */
function dataOf(text: string): { value?: Record<string, unknown>; issue?: FieldIssue } {
  if (!text) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { issue: { path: 'options.data', message: 'expected JSON, such as {"priceListName": "Опт"}' } };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { issue: { path: 'options.data', message: 'expected a JSON object of field names and values' } };
  return { value: parsed as Record<string, unknown> };
}

/**
 * The automation form as the triggers API's body (create: with `type` and `active`), before any
 * schema has looked at it, plus the issues of reading it (the template data's JSON).
 */
export function automationInput(
  form: Form,
  type: TriggerTypeName,
  mode: 'create' | 'edit',
): { raw: Record<string, unknown>; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const options: Record<string, unknown> = {};
  for (const name of TYPE_OPTIONS[type]) {
    const value = field(form, name);
    if (NUMBER_OPTIONS.has(name)) {
      const number = formNumber(value);
      if (number !== undefined) options[name] = number;
    } else if (value) options[name] = value;
  }
  const consent = field(form, 'consent');
  if (consent) options.consent = consent;
  options.quietHours = form.quietHours !== undefined;
  const data = dataOf(field(form, 'data'));
  if (data.issue) issues.push(data.issue);
  if (data.value) options.data = data.value;

  const channels = [field(form, 'channel1'), field(form, 'channel2')].filter(Boolean);
  const segment = field(form, 'segmentId');
  const delay = formNumber(field(form, 'delayMinutes'));
  const raw: Record<string, unknown> = {
    name: field(form, 'name'),
    channels,
    template: field(form, 'template'),
    segmentId: segment ? (formNumber(segment) ?? null) : null,
    delayMinutes: delay ?? 0,
    options,
  };
  if (mode === 'create') {
    raw.type = type;
    raw.active = form.active !== undefined;
  }
  return { raw, issues };
}

/** The automation form's values for a stored trigger (what the edit form starts with). */
export function automationValues(trigger: {
  name: string;
  channels: readonly string[];
  template: string;
  segmentId: number | null;
  delayMinutes: number;
  options: unknown;
}): Record<string, string> {
  const options = (trigger.options ?? {}) as Record<string, unknown>;
  const values: Record<string, string> = {
    name: trigger.name,
    channel1: trigger.channels[0] ?? 'email',
    channel2: trigger.channels[1] ?? '',
    template: trigger.template,
    segmentId: trigger.segmentId === null ? '' : String(trigger.segmentId),
    delayMinutes: String(trigger.delayMinutes),
    consent: typeof options.consent === 'string' ? options.consent : '',
    data: options.data && Object.keys(options.data).length ? JSON.stringify(options.data, null, 2) : '',
  };
  if (options.quietHours !== false) values.quietHours = '1';
  for (const name of Object.values(TYPE_OPTIONS).flat()) {
    const value = options[name];
    if (typeof value === 'string' || typeof value === 'number') values[name] = String(value);
  }
  return values;
}

/** The scoring settings form over the current settings: the RFM groups are kept as they are (the API edits them). */
export function scoringInput(form: Form, current: ScoringConfig): Record<string, unknown> {
  const n = (name: string) => formNumber(field(form, name));
  const noOrders = field(form, 'rating.noOrders');
  return {
    rfm: { windowDays: n('rfm.windowDays'), groups: current.rfm.groups, fallbackGroup: current.rfm.fallbackGroup },
    abc: { windowDays: n('abc.windowDays'), shares: { a: n('abc.shares.a'), b: n('abc.shares.b'), c: n('abc.shares.c') } },
    xyz: { months: n('xyz.months'), xBelow: n('xyz.xBelow'), yBelow: n('xyz.yBelow') },
    rating: {
      weights: { r: n('rating.weights.r'), f: n('rating.weights.f'), m: n('rating.weights.m') },
      min: { A: n('rating.min.A'), B: n('rating.min.B'), C: n('rating.min.C'), D: n('rating.min.D') },
      noOrders: noOrders ? noOrders : null,
    },
  };
}

/** The scoring settings as the form's values. */
export function scoringValues(config: ScoringConfig): Record<string, string> {
  return {
    'rfm.windowDays': String(config.rfm.windowDays),
    'abc.windowDays': String(config.abc.windowDays),
    'abc.shares.a': String(config.abc.shares.a),
    'abc.shares.b': String(config.abc.shares.b),
    'abc.shares.c': String(config.abc.shares.c),
    'xyz.months': String(config.xyz.months),
    'xyz.xBelow': String(config.xyz.xBelow),
    'xyz.yBelow': String(config.xyz.yBelow),
    'rating.weights.r': String(config.rating.weights.r),
    'rating.weights.f': String(config.rating.weights.f),
    'rating.weights.m': String(config.rating.weights.m),
    'rating.min.A': String(config.rating.min.A),
    'rating.min.B': String(config.rating.min.B),
    'rating.min.C': String(config.rating.min.C),
    'rating.min.D': String(config.rating.min.D),
    'rating.noOrders': config.rating.noOrders ?? '',
  };
}

/** The automation form's field an API path belongs to: `options.daysBefore` → daysBefore, `channels[1]` → channels. */
export function automationField(path: string): string {
  const bare = path.startsWith('options.') ? path.slice('options.'.length) : path;
  return bare.replace(/\[\d+\].*$/, '');
}

/** The scoring form's field an API path belongs to: the longest prefix the catalogue names (`abc.shares` for a sum refused). */
export function scoringField(path: string): string {
  const parts = path
    .replace(/^config\./, '')
    .split(/[.[\]]+/)
    .filter(Boolean);
  for (let n = parts.length; n > 0; n--) {
    const candidate = parts.slice(0, n).join('.');
    if (hasKey(`scoringField.${candidate}`)) return candidate;
  }
  return parts.join('.');
}

/** What the schemas and services say in English, said in the user's language; others are shown as they came. */
const MESSAGES: Array<[RegExp, (u: Ui, m: RegExpExecArray) => string]> = [
  [/^Too small: expected number to be >=(-?[\d.]+)$/, (u, m) => u.t('formCheck.atLeast', { min: m[1] })],
  [/^Too small: expected number to be >(-?[\d.]+)$/, (u, m) => u.t('formCheck.above', { min: m[1] })],
  [/^Too big: expected number to be <=(-?[\d.]+)$/, (u, m) => u.t('formCheck.atMost', { max: m[1] })],
  [/^Too small: expected string to have >=1 characters$/, (u) => u.t('form.required')],
  [/^Too big: expected string to have <=(\d+) characters$/, (u, m) => u.t('form.tooLong', { max: Number(m[1]) })],
  [/^Too small: expected array to have >=1 items$/, (u) => u.t('form.required')],
  [/^Invalid input: expected int, received number$/, (u) => u.t('formCheck.integer')],
  [/^Invalid input: expected number, received/, (u) => u.t('formCheck.number')],
  [/^Invalid option: expected one of/, (u) => u.t('form.oneOf')],
  [/^expected a template key such as/, (u) => u.t('formCheck.chooseTemplate')],
  [
    /^no (SMS|email) template with key "(.*)"/,
    (u, m) => u.t('formCheck.noTemplate', { key: m[2], channel: u.word('channel', m[1].toLowerCase()) }),
  ],
  [/^a channel may appear once$/, (u) => u.t('formCheck.channelTwice')],
  [/^segment \d+ not found$/, (u) => u.t('formCheck.noSegment')],
  [/^shares must add up to 1$/, (u) => u.t('formCheck.sharesSum')],
  [/^xBelow must not exceed yBelow$/, (u) => u.t('formCheck.xyzOrder')],
  [/^expected A ≥ B ≥ C ≥ D$/, (u) => u.t('formCheck.ratingOrder')],
  [/^at least one weight must be positive$/, (u) => u.t('formCheck.weights')],
];

/** Issues as a notice naming every field («label»: why), and each field's message for beside it. */
export function formErrors(
  u: Ui,
  issues: readonly FieldIssue[],
  fieldOf: (path: string) => string,
  labelGroup: 'automationField' | 'scoringField',
): { notice: Notice; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    const name = fieldOf(issue.path);
    // One reason per field: the first is the plainest (an empty template is "required", not also "not a key").
    if (seen.has(name)) continue;
    seen.add(name);
    let message = issue.message;
    for (const [pattern, say] of MESSAGES) {
      const match = pattern.exec(issue.message);
      if (match) {
        message = say(u, match);
        break;
      }
    }
    // `data.promoUrl` is the template data's field: «Данные шаблона (promoUrl)».
    const [head, ...rest] = name.split('.');
    const whole = `${labelGroup}.${name}`;
    const first = `${labelGroup}.${head}`;
    let label: string | null = null;
    if (hasKey(whole)) label = u.t(whole);
    else if (hasKey(first)) label = `${u.t(first)}${rest.length ? ` (${rest.join('.')})` : ''}`;
    lines.push(label ? u.t('form.issue', { field: label, message }) : issueText(u, { path: name, message }));
    const shownAt = hasKey(whole) ? name : head;
    fields[shownAt] ??= message;
  }
  return { notice: { kind: 'error', text: lines.join('; ') }, fields };
}
