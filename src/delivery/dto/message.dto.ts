// What POST /messages reads: one transactional message to a customer or an address.
import { z } from 'zod';
import { rowId } from '../../common/ids';

export const sendSchema = z
  .object({
    template: z.string().min(1).max(100).describe('template key, e.g. order-shipped'),
    channel: z.enum(['email', 'sms']).default('email'),
    customerId: rowId.optional(),
    to: z.string().min(3).max(320).optional().describe('an email address or phone number, for someone not in the base'),
    locale: z.string().min(2).max(10).optional(),
    data: z.record(z.string(), z.unknown()).default({}).describe('template data, e.g. {"orderId": 17} or {"promoCode": "X"}'),
    idempotencyKey: z.string().min(1).max(200).optional(),
  })
  .refine((body) => body.customerId !== undefined || body.to !== undefined, { message: 'give customerId or to', path: ['customerId'] });
