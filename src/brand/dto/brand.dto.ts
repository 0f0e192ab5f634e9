// PUT /settings/brand: the whole brand at once. A field left out, null or "" is not set.
// Phones are checked and stored in E.164 and emails normalised by the customers' contact rules,
// so the brand is held to the same rules as the addresses Otklik sends to.
import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { unstorableReason } from '../../common/storable-text';
import { normaliseEmail, normalisePhone } from '../../customers/contact-normalise';

/** Trimmed text up to `max` characters; "" and null mean not set. */
function optionalText(max: number) {
  return z
    .string({ error: 'expected text' })
    .trim()
    .max(max, `expected at most ${max} characters`)
    .superRefine((value, ctx) => {
      const reason = unstorableReason(value);
      if (reason) ctx.addIssue({ code: 'custom', message: reason });
    })
    .nullish()
    .transform((value) => (value ? value : null));
}

const HTTP_URL_HINT = 'expected an http:// or https:// address such as https://shop.example';

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const optionalUrl = optionalText(2000).refine((value) => value === null || isHttpUrl(value), HTTP_URL_HINT);

export function brandInputSchema(phoneRegion: CountryCode) {
  return z.strictObject({
    name: optionalText(200),
    address: optionalText(500),
    website: optionalUrl,
    logoUrl: optionalUrl,
    supportEmail: optionalText(254).transform((value, ctx) => {
      if (value === null) return null;
      const email = normaliseEmail(value);
      if (email.ok) return email.value;
      ctx.addIssue({ code: 'custom', message: `expected an email address such as help@shop.example (${email.reason.replace(/_/g, ' ')})` });
      return z.NEVER;
    }),
    supportPhone: optionalText(40).transform((value, ctx) => {
      if (value === null) return null;
      const phone = normalisePhone(value, phoneRegion);
      if (!phone.ok) {
        ctx.addIssue({ code: 'custom', message: `expected a phone number such as +7 495 123-45-67 (${phone.reason.replace(/_/g, ' ')})` });
        return z.NEVER;
      }
      if (phone.value.extension) {
        ctx.addIssue({ code: 'custom', message: 'expected a number without an extension: it is stored in E.164, which has none' });
        return z.NEVER;
      }
      return phone.value.e164;
    }),
  });
}

export type BrandInput = z.infer<ReturnType<typeof brandInputSchema>>;
