// Turns zod issues into one line each, `rules.any[2].value: expected a number`: the path from
// the root the caller names, then what was wrong in words a marketer can act on.
import type { z } from 'zod';

export type Issue = z.core.$ZodIssue;

const ARTICLE_TYPES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean',
  array: 'an array',
  object: 'an object',
  tuple: 'an array',
  date: 'a date',
};

/** `rules`, `["any", 2, "value"]` → `rules.any[2].value` */
export function formatPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(part)) out += `${out ? '.' : ''}${part}`;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out;
}

function quoteList(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

function bound(kind: 'least' | 'most', origin: string, limit: number | bigint, inclusive: boolean | undefined): string {
  const n = Number(limit);
  if (origin === 'array' || origin === 'set') return `expected at ${kind} ${n} item${n === 1 ? '' : 's'}`;
  if (origin === 'string') return `expected at ${kind} ${n} character${n === 1 ? '' : 's'}`;
  const sign = kind === 'least' ? (inclusive === false ? '>' : '≥') : inclusive === false ? '<' : '≤';
  return `expected a number ${sign} ${n}`;
}

/** The message part of one issue, without its path. */
export function describeIssue(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = ARTICLE_TYPES[issue.expected] ?? issue.expected;
      return issue.input === undefined ? `required, expected ${expected}` : `expected ${expected}`;
    }
    case 'too_small':
      return bound('least', issue.origin, issue.minimum, issue.inclusive);
    case 'too_big':
      return bound('most', issue.origin, issue.maximum, issue.inclusive);
    case 'invalid_value':
      return issue.values.length === 1 ? `expected ${quoteList(issue.values)}` : `expected one of ${quoteList(issue.values)}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length === 1 ? '' : 's'} ${quoteList(issue.keys)}`;
    case 'invalid_format':
      if (issue.format === 'date') return 'expected a date as YYYY-MM-DD';
      return issue.format === 'regex' && issue.pattern ? `expected a value matching ${issue.pattern}` : `expected ${issue.format}`;
    default:
      return issue.message;
  }
}

export function formatIssue(issue: Issue, root = 'rules'): string {
  return `${formatPath(root, issue.path)}: ${describeIssue(issue)}`;
}

export function formatIssues(issues: readonly Issue[], root = 'rules'): string[] {
  return issues.map((i) => formatIssue(i, root));
}

/** `{ path, message }` pairs, the shape of the API's `issues` (common/domain-error FieldIssue). */
export function toFieldIssues(issues: readonly Issue[], root = 'rules'): Array<{ path: string; message: string }> {
  return issues.map((i) => ({ path: formatPath(root, i.path), message: describeIssue(i) }));
}
