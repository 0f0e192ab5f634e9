// The `data` of a campaign: values of the fields its template declares ({{data.month}},
// {{data.catalogUrl}}). Only the shape is checked here; names and types are checked against
// the template's declaration by CampaignsService, which knows the template.
import { z } from 'zod';

export const campaignDataSchema = z
  .record(z.string().regex(/^[A-Za-z_]\w*$/, 'expected a field name such as priceListName'), z.unknown())
  .refine((data) => Object.keys(data).length <= 100, 'at most 100 fields')
  .refine((data) => JSON.stringify(data).length <= 100_000, 'at most 100 000 characters of JSON')
  .describe('Values of the template\'s data fields, e.g. {"priceListName": "Опт, декабрь", "catalogUrl": "https://…"}')
  .default({});
