// The API description served at /docs/openapi.json. Request bodies and query parameters are
// described from the same zod schemas that validate them (zod-validation.ts); this file turns
// those into OpenAPI and finishes the document @nestjs/swagger builds.
//
// The document is OpenAPI 3.1.0, whose schema dialect is JSON Schema 2020-12: the dialect
// z.toJSONSchema writes. Nullable fields (`anyOf: [..., {type: 'null'}]`), `const`, tuples
// (`prefixItems`), numeric `exclusiveMinimum` and `propertyNames` mean what zod means, so the
// description is the validation, not a paraphrase of it. A 3.0 document would need each of
// those rewritten into the older dialect (nullable: true, enum of one, items arrays), and
// tuples and key patterns would be lost. Current client generators (@hey-api/openapi-ts,
// openapi-generator, openapi-typescript, oapi-codegen) read 3.1. Only the `$schema` key zod
// puts at a schema's root is removed: in 3.1 the dialect is the document's, declared once by
// `jsonSchemaDialect`.
import type { OpenAPIObject, SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';
import { INT4_MAX } from './ids';

export const OPENAPI_VERSION = '3.1.0';
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

type JsonSchema = Record<string, unknown>;

/** In a response schema: a Date as JSON carries it (an ISO 8601 date-time in UTC). */
export const dateTimeText = z.string().meta({ format: 'date-time' });

/** In a response schema: an int8 id (messages, inbound and outbox messages) as JSON carries it, text (bigint-json.ts). */
export const bigIdText = z
  .string()
  .regex(/^[1-9]\d{0,18}$/)
  .describe('An int8 id, as text (JSON numbers lose precision past 2^53)');

/** A zod schema as an OpenAPI 3.1 schema object: what a request must send (`input`) or gets back (`output`). */
export function openApiSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
    override: ({ zodSchema, jsonSchema }) => {
      // `z.coerce.date()` in a query: text that Date reads; JSON Schema has no date type.
      if (zodSchema._zod.def.type === 'date' && Object.keys(jsonSchema).length === 0) {
        Object.assign(jsonSchema, { type: 'string', description: 'A date or date-time: 2026-01-31 or 2026-01-31T12:00:00Z.' });
      }
    },
  }) as JsonSchema;
  return withoutKey(json, '$schema') as JsonSchema;
}

/** Each field of a query schema as a query parameter, with its schema, description and whether it is required. */
export function queryParameters(schema: z.ZodObject): Array<{ name: string; required: boolean; schema: JsonSchema; description?: string }> {
  const json = openApiSchema(schema);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.keys(schema.shape).map((name) => {
    const { description, ...fieldSchema } = properties[name] ?? {};
    return { name, required: required.has(name), schema: fieldSchema, ...(typeof description === 'string' ? { description } : {}) };
  });
}

/** `{ error, message, issues? }`: every error answer (DomainErrorFilter). */
export const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'string',
      description:
        'A stable code: validation_failed, unauthenticated, forbidden, not_found, conflict, invalid_state, payload_too_large, unavailable, internal, or an HTTP status name.',
    },
    message: { type: 'string' },
    issues: {
      type: 'array',
      description: 'For validation_failed: each failing field, named by its path (`rules.any[2].value`, `query.limit`, `id`).',
      items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } }, required: ['path', 'message'] },
    },
  },
  required: ['error', 'message'],
};

const ERROR_RESPONSES: Record<string, string> = {
  '400': 'A parameter or the body failed validation; `issues` names each field.',
  '401': 'No API key, or an unknown or revoked one.',
  '403': "The key's role may not do this.",
  '404': 'No such row.',
};

/**
 * Finishes the document @nestjs/swagger built: OpenAPI 3.1.0 with the JSON Schema 2020-12
 * dialect, no `$schema` inside schemas, int4 path ids described as what IdPipe accepts, the
 * error shape as a component and the errors each operation can answer; `schemas` are further
 * components the descriptions refer to (`#/components/schemas/<name>`).
 */
export function finishOpenApiDocument(document: OpenAPIObject, schemas: Record<string, JsonSchema> = {}): OpenAPIObject {
  const out = withoutKey(structuredClone(document), '$schema') as OpenAPIObject & { jsonSchemaDialect?: string };
  out.openapi = OPENAPI_VERSION;
  out.jsonSchemaDialect = JSON_SCHEMA_DIALECT;
  out.components = {
    ...out.components,
    schemas: { ...out.components?.schemas, ...(schemas as Record<string, SchemaObject>), Error: ERROR_SCHEMA as SchemaObject },
  };
  // An API key, not a JWT.
  const bearer = out.components.securitySchemes?.bearer as { bearerFormat?: string; description?: string } | undefined;
  if (bearer) {
    delete bearer.bearerFormat;
    bearer.description = 'An API key (POST /api-keys, or `npm run keys:bootstrap` for the first one).';
  }
  const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
  for (const operations of Object.values(out.paths)) {
    for (const operation of Object.values(operations as Record<string, OperationLike>)) {
      if (!operation || typeof operation !== 'object' || !operation.responses) continue;
      const parameters = operation.parameters ?? [];
      for (const parameter of parameters) {
        // `@Param('id', IdPipe) id: number`: the handler's type says number, IdPipe says which.
        if (parameter.in === 'path' && parameter.schema?.type === 'number')
          parameter.schema = { type: 'integer', minimum: 1, maximum: INT4_MAX };
        // `@Param('id', BigIdPipe) id: bigint`: an int8 row id.
        else if (parameter.in === 'path' && parameter.schema?.format === 'int64')
          parameter.schema = { type: 'integer', format: 'int64', minimum: 1 };
      }
      const codes = new Set<string>();
      if (parameters.length || operation.requestBody) codes.add('400');
      if (operation.security?.length) codes.add('401').add('403');
      if (parameters.some((p) => p.in === 'path')) codes.add('404');
      for (const code of codes) operation.responses[code] ??= { description: ERROR_RESPONSES[code], content: errorContent };
      for (const response of Object.values(operation.responses)) {
        if (response && typeof response === 'object' && !response.description) response.description = 'OK';
      }
    }
  }
  return out;
}

interface OperationLike {
  parameters?: Array<{ in: string; schema?: JsonSchema }>;
  requestBody?: unknown;
  security?: unknown[];
  responses?: Record<string, { description?: string; content?: unknown }>;
}

/** A copy of a JSON value without `key` at any depth. */
function withoutKey(value: unknown, key: string): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutKey(item, key));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([name]) => name !== key)
      .map(([name, item]) => [name, withoutKey(item, key)]),
  );
}
