import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, DomainErrorCode } from './domain-error';

const STATUS: Record<DomainErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_state: 409,
  payload_too_large: 413,
  unavailable: 503,
};

/** The one place where errors become HTTP responses: `{ error, message, issues? }`. */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof DomainError) {
      const body: Record<string, unknown> = { error: exception.code, message: exception.message };
      if (exception.issues.length) body.issues = exception.issues;
      response.status(STATUS[exception.code]).json(body);
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const raw = exception.getResponse();
      const message = typeof raw === 'string' ? raw : ((raw as { message?: unknown }).message ?? exception.message);
      response.status(status).json({ error: httpCode(status), message });
      return;
    }
    // body-parser errors (too large, malformed JSON) carry a status but are not HttpExceptions.
    const status = (exception as { status?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      response.status(status).json({ error: httpCode(status), message: (exception as Error).message });
      return;
    }
    this.logger.error(exception instanceof Error ? exception : String(exception));
    response.status(500).json({ error: 'internal', message: 'Internal server error' });
  }
}

function httpCode(status: number): string {
  if (status === 400) return 'bad_request';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 413) return 'payload_too_large';
  if (status === 429) return 'too_many_requests';
  return status >= 500 ? 'internal' : 'bad_request';
}
