// Reading HTML form posts: fields are strings; errors name the field like the API's do.
import { DomainError } from '../common/domain-error';
import { rowIdText } from '../common/ids';
import { ownValue } from '../common/own-value';
import { parseOrThrow } from '../common/zod-validation';
import type { Notice } from './views/layout';

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

/** Fixed notices shown after a redirect (`?done=key`): the query picks one, it never supplies text. */
const NOTICES: Record<string, Notice> = {
  created: { kind: 'ok', text: 'Created.' },
  saved: { kind: 'ok', text: 'Saved.' },
  scheduled: { kind: 'ok', text: 'Scheduled.' },
  paused: { kind: 'ok', text: 'Paused.' },
  resumed: { kind: 'ok', text: 'Resumed.' },
  cancelled: { kind: 'ok', text: 'Cancelled.' },
  undone: { kind: 'ok', text: 'The cleanup action was undone.' },
  applied: { kind: 'ok', text: 'The withheld change was applied.' },
  accepted: { kind: 'ok', text: 'The address change was accepted: the old address is retired and the new one is the contact.' },
  rejected: { kind: 'ok', text: 'The address change was rejected: nothing changed.' },
  deleted: { kind: 'ok', text: 'Deleted.' },
  revoked: { kind: 'ok', text: 'Revoked.' },
};

export function noticeOf(done: unknown): Notice | null {
  return typeof done === 'string' ? (ownValue(NOTICES, done) ?? null) : null;
}

export function errorNotice(error: unknown): Notice {
  if (error instanceof DomainError) return { kind: 'error', text: error.message };
  throw error;
}
