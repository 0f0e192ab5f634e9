// What the inbound SMS webhook reads.
import { z } from 'zod';

/** Field names differ between gateways: `from`/`phone`/`sender`, `text`/`message`/`body`. */
export const smsInboundSchema = z
  .object({
    from: z.string().trim().min(3).max(32).optional(),
    phone: z.string().trim().min(3).max(32).optional(),
    sender: z.string().trim().min(3).max(32).optional(),
    to: z.string().trim().max(32).optional(),
    text: z.string().max(2000).optional(),
    message: z.string().max(2000).optional(),
    body: z.string().max(2000).optional(),
  })
  .transform((b) => ({ from: b.from ?? b.phone ?? b.sender, to: b.to ?? null, text: b.text ?? b.message ?? b.body }))
  .refine((b) => b.from !== undefined, { message: 'expected the sender phone as from, phone or sender', path: ['from'] })
  .refine((b) => b.text !== undefined, { message: 'expected the message as text, message or body', path: ['text'] });
