// Request schemas of the documents routes.
import { z } from 'zod';
import { rowCursorText } from '../../common/ids';
import { DocumentKind } from '../../generated/prisma/enums';

/** A file as the upload routes take it (also POST /attachments, unchanged since before documents). */
export const fileSchema = z.object({
  filename: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^/\\\r\n]+$/, 'a file name, no path'),
  contentType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'expected a MIME type such as application/pdf'),
  contentBase64: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9+/=\s]+$/, 'expected base64'),
});

/** POST /documents: the file of version 1, and the document's name (the file name without it). */
export const newDocumentSchema = fileSchema
  .extend({
    name: z.string().trim().min(1).max(200).optional(),
    kind: z.enum(DocumentKind).default('attachment'),
  })
  .superRefine((value, ctx) => {
    if (value.kind === 'image' && !value.contentType.startsWith('image/'))
      ctx.addIssue({ code: 'custom', path: ['contentType'], message: 'an image document takes an image/* type such as image/png' });
  });

export const documentListQuery = z.object({
  kind: z.enum(DocumentKind).optional(),
  after: rowCursorText.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const versionNumberText = z.coerce.number({ error: 'expected a version number' }).int().min(1).max(1_000_000);
