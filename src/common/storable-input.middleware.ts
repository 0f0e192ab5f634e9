// Request bodies and query strings are checked once, at the edge, for what PostgreSQL cannot
// store (storable-text.ts): a NUL or a lone surrogate anywhere (`"firstName": "a\u0000b"`,
// `?search=%00`), or JSON nested past MAX_JSON_DEPTH, is a 400 naming the field, where it used
// to reach an INSERT or a WHERE and come back as a 500.
import type { NextFunction, Request, Response } from 'express';
import { DomainError } from './domain-error';
import { findUnstorable } from './storable-text';

export function rejectUnstorableInput(request: Request, _response: Response, next: NextFunction): void {
  const issue = findUnstorable(request.body) ?? findUnstorable(request.query, 'query');
  if (issue) return next(DomainError.validation([{ path: JSON.stringify(issue.path).slice(1, -1), message: issue.message }]));
  next();
}
