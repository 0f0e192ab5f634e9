// Template errors and warnings as the API reports them: the request field they belong to
// (`body`, `subject`…), with the line and column inside that field.

import { DomainError, type FieldIssue } from '../common/domain-error';
import type { TemplateIssue, TemplateWarning, UnknownVariableWarning } from './render';

export interface TemplateFieldIssue extends FieldIssue {
  /** 1-based line inside the field */
  line: number;
  /** 1-based column */
  column: number;
}

export interface TemplateFieldWarning extends TemplateFieldIssue {
  /** unknown-variable warnings: the variable and the variables a template may use */
  variable?: string;
  known?: string[];
}

function pathOf(issue: TemplateIssue): string {
  return issue.part && issue.part !== 'front-matter' ? issue.part : 'body';
}

export function fieldIssueOf(issue: TemplateIssue): TemplateFieldIssue {
  return {
    path: pathOf(issue),
    line: issue.line,
    column: issue.column,
    message: `line ${issue.line}, column ${issue.column}: ${issue.message}`,
  };
}

export function fieldWarningOf(warning: TemplateWarning): TemplateFieldWarning {
  const out: TemplateFieldWarning = { path: pathOf(warning), line: warning.line, column: warning.column, message: warning.message };
  const unknown = warning as UnknownVariableWarning;
  if (unknown.variable !== undefined) {
    out.variable = unknown.variable;
    out.known = unknown.known;
  }
  return out;
}

/** A 400 listing every template error with its field, line and column. */
export function templateInvalid(errors: TemplateIssue[]): DomainError {
  const issues = errors.map(fieldIssueOf);
  return new DomainError('validation_failed', `Template is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
}
