// Reading HTML form posts: fields are strings; errors name the field like the API's do, and are
// shown on the form in the user's language (the field's label, then why).
import { DomainError, type FieldIssue } from '../common/domain-error';
import { rowIdText } from '../common/ids';
import { ownValue } from '../common/own-value';
import { parseOrThrow } from '../common/zod-validation';
import { hasKey, type MessageKey } from './i18n/t';
import type { Notice, Ui } from './views/layout';

export type Form = Record<string, unknown>;

export function text(form: Form, field: string, options: { required?: boolean; max?: number } = {}): string {
  const value = typeof form[field] === 'string' ? form[field].trim() : '';
  if (options.required && !value) throw DomainError.validation([{ path: field, message: 'is required' }]);
  if (options.max && value.length > options.max)
    throw DomainError.validation([{ path: field, message: `must be at most ${options.max} characters` }]);
  return value;
}

/** A row id chosen in a form (a select's value): the API's id rules, the field named in the error. */
export function formId(form: Form, field: string): number {
  return parseOrThrow(rowIdText, text(form, field, { required: true }), field);
}

/** What a refused form had typed (string fields only, never the CSRF token), to show it again. */
export function typedValues(form: Form): Record<string, string> {
  return Object.fromEntries(Object.entries(form).filter(([k, v]) => typeof v === 'string' && k !== '_csrf')) as Record<string, string>;
}

/** Fixed notices shown after a redirect (`?done=key`): the query picks one, it never supplies text. */
const NOTICES: Record<string, MessageKey> = {
  created: 'notice.created',
  saved: 'notice.saved',
  scheduled: 'notice.scheduled',
  paused: 'notice.paused',
  resumed: 'notice.resumed',
  cancelled: 'notice.cancelled',
  undone: 'notice.undone',
  applied: 'notice.applied',
  accepted: 'notice.accepted',
  rejected: 'notice.rejected',
  deleted: 'notice.deleted',
  revoked: 'notice.revoked',
  keyCreated: 'notice.keyCreated',
  userCreated: 'notice.userCreated',
  profileSaved: 'notice.profileSaved',
};

export function noticeOf(done: unknown, u: Ui): Notice | null {
  const key = typeof done === 'string' ? ownValue(NOTICES, done) : undefined;
  return key ? { kind: 'ok', text: u.t(key) } : null;
}

/** Messages of this module's own checks, said in the user's language; others are shown as they came. */
const KNOWN: Array<[RegExp, (u: Ui, m: RegExpExecArray) => string]> = [
  [/^is required$/, (u) => u.t('form.required')],
  [/^must be at most (\d+) characters$/, (u, m) => u.t('form.tooLong', { max: Number(m[1]) })],
  [/is not a date and time$/, (u) => u.t('form.notDate')],
  [/^expected JSON, such as/, (u) => u.t('form.notJson')],
  [/^expected a JSON object/, (u) => u.t('form.notJsonObject')],
  [/is not an email address$/, (u) => u.t('form.notEmail')],
  [/^must be one of /, (u) => u.t('form.oneOf')],
  [/is not an IANA time zone/, (u) => u.t('form.notTimeZone')],
];

/** One issue as «Field label»: why. The label is the catalogue's `field.<first path segment>`, the rest of the path kept. */
export function issueText(u: Ui, issue: FieldIssue): string {
  const [head, ...rest] = issue.path.split('.');
  const labelKey = `field.${head}`;
  const label = hasKey(labelKey) ? `${u.t(labelKey)}${rest.length ? ` (${rest.join('.')})` : ''}` : issue.path;
  return u.t('form.issue', { field: label, message: issueMessage(u, issue.message) });
}

/** A check's message in the user's language when this module knows it, else as it came. */
export function issueMessage(u: Ui, message: string): string {
  for (const [pattern, say] of KNOWN) {
    const match = pattern.exec(message);
    if (match) return say(u, match);
  }
  return message;
}

export function errorNotice(error: unknown, u: Ui): Notice {
  if (!(error instanceof DomainError)) throw error;
  if (error.issues.length) return { kind: 'error', text: error.issues.map((i) => issueText(u, i)).join('; ') };
  if (error.code === 'conflict' && /exists already/.test(error.message)) return { kind: 'error', text: u.t('form.userExists') };
  return { kind: 'error', text: error.message };
}
