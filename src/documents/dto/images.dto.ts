// Request and response schemas of the images routes (responses for the OpenAPI description only).
import { z } from 'zod';
import { INT4_MAX, rowCursorText } from '../../common/ids';
import { dateTimeText } from '../../common/openapi';
import { fileSchema } from './documents.dto';

/** POST /images: the file's name and bytes; its type is read from the bytes, never declared. */
export const newImageSchema = fileSchema.pick({ filename: true, contentBase64: true }).strict();

export const imageListQuery = z.object({
  before: rowCursorText.optional().describe('an id: the images uploaded before it (the next page)'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const imageView = z.object({
  id: z.int().min(1).max(INT4_MAX),
  url: z.string().describe('Where Otklik serves the image: `<PUBLIC_URL>/images/<sha256>.<ext>`, cached for a year'),
  sha256: z.string(),
  contentType: z.enum(['image/png', 'image/jpeg', 'image/gif', 'image/webp']),
  size: z.int().min(1).describe('Bytes'),
  width: z.int().min(1),
  height: z.int().min(1),
  filename: z.string().describe('The name of the first upload of these bytes'),
  createdAt: dateTimeText,
});
