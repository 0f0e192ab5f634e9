// Domain errors carry a code; only the HTTP edge (DomainErrorFilter) turns them into statuses,
// so services that also run in workers never throw HttpException.
export type DomainErrorCode =
  'validation_failed' | 'not_found' | 'conflict' | 'unauthenticated' | 'forbidden' | 'invalid_state' | 'payload_too_large' | 'unavailable';

export interface FieldIssue {
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(what: string, id: string | number | bigint): DomainError {
    return new DomainError('not_found', `${what} ${id} not found`);
  }

  static validation(issues: FieldIssue[]): DomainError {
    return new DomainError('validation_failed', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  }
}
