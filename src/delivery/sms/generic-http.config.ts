// Provider.config of a `sms_http` provider: any gateway with an HTTP API, described as data.
// Validated once when the provider is built; every problem names its field (`config.body.template`).
import { z } from 'zod';
import { DOTTED_PATH_HINT, isDottedPath } from './json-path';
import { httpUrl, timeoutMs } from './gateway-config';
import { PLACEHOLDERS, templateStrings, unknownPlaceholders, usedPlaceholders, type JsonValue } from './sms-template';

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const HEADER_HINT = 'expected an HTTP header name such as X-Api-Key';
const headerName = z.string().regex(HEADER_NAME, HEADER_HINT);
// What fetch accepts in a header value: no line breaks, Latin-1 only.
const headerValue = z.string().regex(/^[\t\x20-\x7e\x80-\xff]*$/, 'expected a header value without line breaks or non-Latin-1 characters');
/** Header values may carry the message id (an idempotency key) or the number, never the text. */
const HEADER_PLACEHOLDERS = new Set(['messageId', 'to', 'toDigits']);
const headerTemplate = headerValue.superRefine((value, ctx) => {
  const unknown = unknownPlaceholders(value);
  if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: placeholderIssue(unknown) });
  else if (usedPlaceholders(value).some((name) => !HEADER_PLACEHOLDERS.has(name))) {
    ctx.addIssue({ code: 'custom', message: 'only {{messageId}}, {{to}} and {{toDigits}} may be used in a header' });
  }
});

function placeholderIssue(names: string[]): string {
  return `unknown placeholder ${names.map((n) => `{{${n}}}`).join(', ')}; expected ${PLACEHOLDERS.map((n) => `{{${n}}}`).join(', ')}`;
}

const templateString = z.string().superRefine((value, ctx) => {
  const unknown = unknownPlaceholders(value);
  if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: placeholderIssue(unknown) });
});

const dottedPath = z.string().refine(isDottedPath, DOTTED_PATH_HINT);

const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

/** A JSON template: an object/array, or the same written as a string of JSON. */
const jsonTemplate = z
  .union([z.string(), z.record(z.string(), jsonValue), z.array(jsonValue)])
  .transform((value, ctx): JsonValue => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as JsonValue;
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `expected JSON with {{placeholders}} inside strings: ${(error as Error).message}` });
      return z.NEVER;
    }
  })
  .superRefine((template, ctx) => {
    for (const [path, text] of templateStrings(template)) {
      const unknown = unknownPlaceholders(text);
      if (unknown.length > 0) ctx.addIssue({ code: 'custom', path, message: placeholderIssue(unknown) });
    }
  });

const authSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('none') }),
    z.strictObject({ type: z.literal('basic'), username: z.string().min(1, 'expected a user name'), password: z.string() }),
    z.strictObject({ type: z.literal('bearer'), token: headerValue.min(1, 'expected a token') }),
    z.strictObject({ type: z.literal('header'), name: headerName, value: headerValue.min(1, 'expected a value') }),
  ],
  { error: 'expected type "none", "basic", "bearer" or "header"' },
);

const bodySchema = z.discriminatedUnion(
  'format',
  [
    z.strictObject({ format: z.literal('json'), template: jsonTemplate }),
    z.strictObject({ format: z.literal('form'), template: z.record(z.string().min(1), templateString) }),
  ],
  { error: 'expected format "json" or "form"' },
);

const scalar = z.union([z.string(), z.number(), z.boolean()]);

const responseSchema = z
  .strictObject({
    /** Where the gateway's id for the message is, e.g. `data.id`. */
    messageIdPath: dottedPath.optional(),
    /** HTTP statuses that mean "accepted"; any 2xx when not given. */
    successStatuses: z.array(z.int().min(100).max(599)).min(1).optional(),
    /** A field that must hold one of `successValues` for the message to count as accepted. */
    successPath: dottedPath.optional(),
    successValues: z.array(scalar).min(1).optional(),
    /** A field that, when present and not empty/false/0, means the gateway refused the message. */
    errorPath: dottedPath.optional(),
    errorMessagePath: dottedPath.optional(),
    /** Values of `errorPath` that mean "try again later"; any other error is permanent. */
    transientErrors: z.array(z.union([z.string(), z.number()])).default([]),
  })
  .superRefine((value, ctx) => {
    if ((value.successPath === undefined) !== (value.successValues === undefined)) {
      const missing = value.successPath === undefined ? 'successPath' : 'successValues';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'successPath and successValues go together' });
    }
    if (value.errorPath === undefined && (value.errorMessagePath !== undefined || value.transientErrors.length > 0)) {
      ctx.addIssue({ code: 'custom', path: ['errorPath'], message: 'required when errorMessagePath or transientErrors is set' });
    }
  });

export const genericHttpConfigSchema = z
  .strictObject({
    url: httpUrl,
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH']).default('POST'),
    auth: authSchema.default({ type: 'none' }),
    /** Extra headers; values may use {{messageId}}, e.g. "Idempotency-Key": "otklik-{{messageId}}". */
    headers: z
      .record(z.string(), headerTemplate)
      .superRefine((headers, ctx) => {
        for (const name of Object.keys(headers)) {
          if (!HEADER_NAME.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: HEADER_HINT });
        }
      })
      .default({}),
    /** Query parameters added to the URL (URL-encoded), with placeholders. */
    query: z.record(z.string().min(1), templateString).default({}),
    body: bodySchema.optional(),
    /** Sender used when a message names none. */
    from: z.string().optional(),
    response: responseSchema.default({ transientErrors: [] }),
    timeoutMs,
  })
  .superRefine((value, ctx) => {
    if (value.method === 'GET' && value.body !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['body'], message: 'a GET request has no body; put the fields in query' });
    }
    const used = new Set(requestTemplates(value).flatMap(usedPlaceholders));
    const missing = [
      used.has('to') || used.has('toDigits') ? [] : ['{{to}} (or {{toDigits}})'],
      used.has('text') ? [] : ['{{text}}'],
    ].flat();
    if (missing.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: [value.method === 'GET' ? 'query' : 'body'],
        message: `the request never sends ${missing.join(' or ')}`,
      });
    }
  });

function requestTemplates(config: { query: Record<string, string>; body?: { template: JsonValue | Record<string, string> } }): string[] {
  const query = Object.entries(config.query).flat();
  const body = config.body ? [...templateStrings(config.body.template)].map(([, text]) => text) : [];
  return [...query, ...body];
}

export type GenericHttpConfig = z.infer<typeof genericHttpConfigSchema>;
export type GenericHttpResponseMapping = GenericHttpConfig['response'];
