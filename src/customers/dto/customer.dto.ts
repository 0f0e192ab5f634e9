// Shapes of customer requests. Contacts (email, phone, birthday, zone, locale) are only
// shape-checked here; customer-input.ts normalises them with the configured phone region and
// names the field and the reason when one is not valid.
import { z } from 'zod';
import { rowCursorText, rowId, rowIdText } from '../../common/ids';

/** Free text: trimmed; "" means "no value" (null). */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .optional();

export const consentStatusSchema = z.enum(['opted_in', 'opted_out', 'pending']);

export const consentInputSchema = z
  .object({
    status: consentStatusSchema,
    /** Where the consent was given: "checkout", "crm", "landing/spring-sale". */
    source: z.string().trim().min(1).max(255).optional(),
    /** Proof: the IP address and the form the customer used. */
    proofIp: z.union([z.ipv4(), z.ipv6()]).optional(),
    proofForm: z.string().trim().min(1).max(500).optional(),
  })
  .strict();

export const customerFieldsSchema = z
  .object({
    externalId: optionalText(255),
    kind: z.enum(['person', 'company']).optional(),
    /** The company a contact belongs to. */
    companyId: rowId.nullable().optional(),
    position: optionalText(255),
    firstName: optionalText(255),
    lastName: optionalText(255),
    patronymic: optionalText(255),
    companyName: optionalText(255),
    email: z.string().max(1024).nullable().optional(),
    phone: z.string().max(100).nullable().optional(),
    /** YYYY-MM-DD or DD.MM.YYYY. */
    birthday: z.string().max(20).nullable().optional(),
    timeZone: z.string().max(64).optional(),
    locale: z.string().max(35).optional(),
    source: optionalText(255),
    tags: z.array(z.string().trim().min(1).max(64)).max(100).optional(),
    attributes: z.record(z.string(), z.unknown()).optional(),
    registeredAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

export const createCustomerSchema = customerFieldsSchema.extend({
  consents: z.object({ email: consentInputSchema.optional(), sms: consentInputSchema.optional() }).strict().optional(),
});

/** PATCH: every field optional; null clears a field. */
export const updateCustomerSchema = customerFieldsSchema;

export type CustomerFieldsBody = z.infer<typeof customerFieldsSchema>;
export type CreateCustomerBody = z.infer<typeof createCustomerSchema>;
export type ConsentInput = z.infer<typeof consentInputSchema>;

export const customerListQuery = z.object({
  after: rowCursorText.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  kind: z.enum(['person', 'company']).optional(),
  email: z.string().trim().min(1).max(1024).optional(),
  phone: z.string().trim().min(1).max(100).optional(),
  externalId: z.string().min(1).max(255).optional(),
  tag: z.string().trim().toLowerCase().min(1).max(64).optional(),
  companyId: rowIdText.optional(),
  /**
   * The search box: a name or «Имя Фамилия» in either order (patronymic too), an email or part
   * of it, a phone in any form («+7 (912) 345-67-89», «89123456789», «345-67-89»), a company
   * name or an external id.
   */
  q: z.string().trim().min(1).max(100).optional(),
  /** The former name of `q`, same meaning. */
  search: z.string().trim().min(1).max(100).optional(),
});
export type CustomerListQuery = z.output<typeof customerListQuery>;

/** Exactly one of the three. */
export const customerLookupQuery = z
  .object({
    email: z.string().trim().min(1).max(1024).optional(),
    phone: z.string().trim().min(1).max(100).optional(),
    externalId: z.string().min(1).max(255).optional(),
  })
  .refine((q) => [q.email, q.phone, q.externalId].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of email, phone or externalId',
  });
