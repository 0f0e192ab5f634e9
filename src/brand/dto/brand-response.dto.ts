// What GET and PUT /settings/brand answer, for the OpenAPI description only.
import { z } from 'zod';
import { dateTimeText } from '../../common/openapi';

export const brandView = z.object({
  name: z.string().nullable().describe('null: messages show the sender’s from name instead'),
  address: z.string().nullable(),
  website: z.string().nullable(),
  logoUrl: z.string().nullable(),
  supportEmail: z.string().nullable(),
  supportPhone: z.string().nullable().describe('E.164, e.g. +74951234567'),
  updatedAt: dateTimeText.nullable().describe('null while the brand was never set'),
});
