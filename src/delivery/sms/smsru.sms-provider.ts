// SMS.ru (https://sms.ru/api/send): POST /sms/send with api_id, to, msg, json=1 and an optional
// approved sender name `from`. Provider kind `sms_smsru`.
import { z } from 'zod';
import type { OutgoingSms, SmsProvider, SmsSendResult } from '../transports/sms-provider';
import { httpUrl, timeoutMs } from './gateway-config';
import { callGateway } from './http-call';
import { e164Digits } from './sms-template';
import { interpretSmsRuAnswer } from './smsru.response';

const API_ID_HINT = 'expected the api_id from the SMS.ru account';

export const smsRuConfigSchema = z.strictObject({
  apiId: z.string({ error: API_ID_HINT }).min(1, API_ID_HINT),
  /** Approved sender name used when a message names none; SMS.ru's default sender otherwise. */
  from: z.string().min(1).optional(),
  /** Only tests and proxies change this. */
  baseUrl: httpUrl.default('https://sms.ru'),
  /** SMS.ru's test mode: the answer is as for a real send, but nothing is sent or charged. */
  test: z.boolean().default(false),
  timeoutMs,
});

export type SmsRuConfig = z.infer<typeof smsRuConfigSchema>;

export class SmsRuProvider implements SmsProvider {
  readonly name = 'sms_smsru';
  private readonly endpoint: URL;

  constructor(private readonly config: SmsRuConfig) {
    this.endpoint = new URL('sms/send', config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`);
  }

  async send(sms: OutgoingSms): Promise<SmsSendResult> {
    const to = e164Digits(sms.to);
    const form = new URLSearchParams({ api_id: this.config.apiId, to, msg: sms.text, json: '1' });
    const from = sms.from ?? this.config.from;
    if (from !== undefined && from !== '') form.set('from', from);
    if (this.config.test) form.set('test', '1');
    const answer = await callGateway({
      url: this.endpoint,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', accept: 'application/json' },
      body: form.toString(),
      timeoutMs: this.config.timeoutMs,
    });
    return interpretSmsRuAnswer(answer, to);
  }
}
