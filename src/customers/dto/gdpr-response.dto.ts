// What the personal-data routes answer, for the OpenAPI description only (nothing is validated
// on the way out). The export is every stored row about the customer, table by table: its
// sections are listed, their rows are the tables' columns as they are.
import { z } from 'zod';
import { INT4_MAX } from '../../common/ids';
import { dateTimeText } from '../../common/openapi';
import { Channel } from '../../generated/prisma/enums';
import { customerRow } from './customer-response.dto';

const rows = (what: string) => z.array(z.record(z.string(), z.unknown())).describe(what);

/** GET /customers/:id/export (a subject access request). */
export const personalDataExport = z.looseObject({
  exportedAt: dateTimeText,
  customer: customerRow.extend({ company: z.looseObject({ id: z.int(), companyName: z.string().nullable() }).nullable() }),
  consents: rows('The current consent per channel'),
  consentHistory: rows('Every consent change, with its proof'),
  orders: rows('Orders with their items'),
  messages: rows('Messages sent or queued to the customer'),
  trackingEvents: rows('Opens, clicks and unsubscribes'),
  bounces: rows('Bounces of messages to the customer'),
  complaints: rows('Complaints and reclamations'),
  inbound: rows('Inbound messages from the customer, without raw bytes'),
  leads: rows('Leads from the customer'),
  events: rows('Named events recorded for the customer'),
  cleanup: rows('What the feedback loop changed for the customer'),
  suppressions: rows("Suppressions of the customer or the customer's addresses"),
});

/** POST /customers/:id/erase. */
export const erasure = z.object({
  id: z.int().min(1).max(INT4_MAX),
  erased: z.literal(true),
  suppressed: z.array(z.enum(Channel)).describe('The channels whose address stays suppressed, as a hash'),
});
