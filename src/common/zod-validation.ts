// Request bodies and queries are validated with zod, the one validation library here; the
// same schema documents the route in OpenAPI through z.toJSONSchema (openapi.ts).
import { applyDecorators, ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { ApiBody, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';
import { DomainError, FieldIssue } from './domain-error';
import { bigRowIdText, rowIdText } from './ids';
import { openApiSchema, queryParameters } from './openapi';

/** `rules.any[2].value` style paths, the form every error in Otklik uses. */
export function formatPath(path: ReadonlyArray<PropertyKey>, root = ''): string {
  let out = root;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(body)';
}

export function zodIssues(error: z.ZodError, root = ''): FieldIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path, root), message: issue.message }));
}

/** Parses or throws a DomainError listing every failing field. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, root = ''): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw DomainError.validation(zodIssues(result.error, root));
  return result.data;
}

/** A body, a query or one path parameter through a schema; errors name the parameter (`id: …`). */
export class ZodPipe<T extends z.ZodType> implements PipeTransform {
  constructor(private readonly schema: T) {}

  transform(value: unknown, metadata: ArgumentMetadata): z.infer<T> {
    const root = metadata.type === 'param' || metadata.type === 'query' ? (metadata.data ?? metadata.type) : '';
    return parseOrThrow(this.schema, value, root);
  }
}

/** `@Param('id', IdPipe)`: the one reading of an int4 row id in a path (1…2147483647, else 400). */
export const IdPipe = new ZodPipe(rowIdText);
/** `@Param('id', BigIdPipe)`: an int8 row id (messages, inbound and outbox messages) as a bigint. */
export const BigIdPipe = new ZodPipe(bigRowIdText);

/** Documents a body schema in OpenAPI (validation itself is `@Body(new ZodPipe(schema))`). */
export function ApiZodBody(schema: z.ZodType): MethodDecorator {
  return applyDecorators(ApiBody({ schema: openApiSchema(schema) as SchemaObject }));
}

/** Documents each field of a query schema as a query parameter, with its schema. */
export function ApiZodQuery(schema: z.ZodObject): MethodDecorator {
  const decorators = queryParameters(schema).map((parameter) => ApiQuery(parameter));
  return applyDecorators(...decorators);
}

/** Documents a route that answers a file (CSV, a raw message) rather than JSON. */
export function ApiFileResponse(mediaType: string, description: string): MethodDecorator {
  return applyDecorators(ApiResponse({ status: 200, description, content: { [mediaType]: { schema: { type: 'string' } } } }));
}

/** Documents a route that answers 204 with no body (a delete, a revocation). */
export function ApiNoContent(description = 'Done; no body'): MethodDecorator {
  return applyDecorators(ApiResponse({ status: 204, description }));
}

/** Documents what a route answers with `status` (nothing is checked on the way out). */
export function ApiZodResponse(status: number, schema: z.ZodType, description = 'OK'): MethodDecorator {
  return applyDecorators(ApiResponse({ status, description, schema: openApiSchema(schema, 'output') }));
}
