import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { byteSize } from './byte-size';
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
      // The Express adapter wraps body-parser's errors (too large, too many fields) in an HttpException.
      const parserError = isBodyParserError(exception.cause) ? exception.cause : null;
      const message = parserError
        ? bodyParserMessage(parserError)
        : typeof raw === 'string'
          ? raw
          : ((raw as { message?: unknown }).message ?? exception.message);
      response.status(status).json({ error: httpCode(status), message });
      return;
    }
    // body-parser errors (too large, malformed JSON) carry a status but are not HttpExceptions.
    const status = (exception as { status?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      response.status(status).json({ error: httpCode(status), message: bodyParserMessage(exception as BodyParserError) });
      return;
    }
    this.logger.error(exception instanceof Error ? exception : String(exception));
    response.status(500).json({ error: 'internal', message: 'Internal server error' });
  }
}

/** Fields of one urlencoded form (body-parser's parameterLimit, set in app.factory.ts). */
export const FORM_FIELD_LIMIT = 1000;

interface BodyParserError extends Error {
  type?: string;
  limit?: number;
  length?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return error instanceof Error && typeof (error as BodyParserError).type === 'string';
}

/** body-parser says "request entity too large"; the caller needs the limit to act on it. */
function bodyParserMessage(error: BodyParserError): string {
  if (error.type === 'entity.too.large' && typeof error.limit === 'number') {
    const size = typeof error.length === 'number' ? ` (${error.length} bytes)` : '';
    return `The request body${size} is larger than the limit of ${byteSize(error.limit)} (${error.limit} bytes)`;
  }
  if (error.type === 'parameters.too.many') return `The form has more fields than the limit of ${FORM_FIELD_LIMIT}`;
  return error.message;
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
