import { z } from 'zod';
import { bigRowCursorText, rowIdText } from '../../common/ids';
import { isSupportedEncoding } from '../csv/csv-encoding';
import { CUSTOMER_FIELDS, ORDER_FIELDS } from '../csv/header-mapping';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes' || v === '')
  .default(false);

const TARGETS = new Set<string>([...CUSTOMER_FIELDS, ...ORDER_FIELDS, 'attribute', 'ignore']);

/** Upload options, in the query string (the body is the file itself). */
export const importUploadQuery = z.object({
  dryRun: booleanFlag,
  /** Skip detection: utf-8, windows-1251, utf-16le... */
  encoding: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .refine(isSupportedEncoding, 'unknown encoding; use utf-8, windows-1251 or utf-16le')
    .optional(),
  /** Skip detection: one character, e.g. ";" or "\t" (send %09 for a tab). */
  delimiter: z.string().length(1, 'one character').optional(),
  /** JSON object: header as written → field, "attribute" or "ignore", e.g. {"Город":"attribute"}. */
  mapping: z
    .string()
    .max(10_000)
    .transform((text, ctx) => {
      try {
        const value: unknown = JSON.parse(text);
        if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
      } catch {
        // reported below
      }
      ctx.addIssue({ code: 'custom', message: 'expected a JSON object such as {"Город":"attribute"}' });
      return z.NEVER;
    })
    .pipe(
      z.record(
        z.string(),
        z.string().refine((t) => TARGETS.has(t), 'expected a field name, "attribute" or "ignore"'),
      ),
    )
    .optional(),
  /** Shown in reports and kept as consent proof; defaults to "upload-<time>.csv". */
  filename: z.string().trim().min(1).max(255).optional(),
});

export type ImportUploadQuery = z.infer<typeof importUploadQuery>;

export const importListQuery = z.object({
  kind: z.enum(['customers', 'orders']).optional(),
  before: rowIdText.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
});

export const importIssuesQuery = z.object({
  severity: z.enum(['error', 'warning']).optional(),
  after: bigRowCursorText.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});
