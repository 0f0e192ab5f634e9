// What /settings/dkim-keys answers, for the OpenAPI description only. The private key is never answered.
import { z } from 'zod';
import { INT4_MAX } from '../../common/ids';
import { dateTimeText } from '../../common/openapi';

export const dkimKeyView = z.object({
  id: z.int().min(1).max(INT4_MAX),
  domain: z.string(),
  selector: z.string(),
  bits: z.int(),
  active: z.boolean(),
  signing: z.boolean().describe('whether this key signs the mail of its domain now (the newest active one)'),
  dnsRecord: z
    .object({ type: z.literal('TXT'), name: z.string(), value: z.string() })
    .describe('the TXT record to publish before the key signs: name `<selector>._domainkey.<domain>`, value `v=DKIM1; k=rsa; p=…`'),
  createdAt: dateTimeText,
});

export const dkimKeyList = z.array(dkimKeyView);
