// What the customers routes answer, for the OpenAPI description only (nothing is validated on
// the way out). Loose objects: the fields listed are always there; a row may carry more
// (scoring columns, order totals), and a new column does not break a client.
import { z } from 'zod';
import { INT4_MAX } from '../../common/ids';
import { dateTimeText } from '../../common/openapi';

const text = z.string().nullable();
const instant = dateTimeText;
const id = z.int().min(1).max(INT4_MAX);

export const customerRow = z.looseObject({
  id,
  externalId: text,
  kind: z.enum(['person', 'company']),
  companyId: id.nullable(),
  position: text,
  firstName: text,
  patronymic: text,
  lastName: text,
  companyName: text,
  email: text,
  emailValid: z.boolean(),
  phone: text,
  phoneValid: z.boolean(),
  birthday: instant.nullable(),
  timeZone: z.string(),
  locale: z.string(),
  source: text,
  tags: z.array(z.string()),
  attributes: z.record(z.string(), z.unknown()),
  registeredAt: instant,
  createdAt: instant,
  updatedAt: instant,
});

const contact = z.looseObject({ id, firstName: text, lastName: text, patronymic: text, email: text, phone: text, position: text });

/** GET /customers/:id and what creating or changing one answers. */
export const customerDetail = customerRow.extend({
  consents: z.array(z.looseObject({ channel: z.enum(['email', 'sms']), status: z.enum(['opted_in', 'opted_out', 'pending']) })),
  company: z.looseObject({ id, companyName: text }).nullable(),
  contacts: z.array(contact),
  suppressed: z.object({ email: text.describe('the suppression reason, null when not suppressed'), sms: text }),
});

/** A keyset page: `next` is the cursor for the following page (pass it as `after`), null at the end. */
export const customerPage = z.object({ items: z.array(customerRow), next: z.string().nullable() });
export const customerItems = z.object({ items: z.array(customerRow) });
export const contactItems = z.object({ items: z.array(contact) });
