// Any SMS gateway with an HTTP API, configured as data (URL, auth, body template, response
// mapping) in Provider.config of kind `sms_http`. See generic-http.config.ts for the fields.
import type { OutgoingSms, SmsProvider, SmsSendResult } from '../transports/sms-provider';
import type { GenericHttpConfig } from './generic-http.config';
import { interpretGenericAnswer } from './generic-http.response';
import { callGateway, describeUrl } from './http-call';
import { fillPlaceholders, renderForm, renderJsonBody, templateValues, type TemplateValues } from './sms-template';

export class GenericHttpSmsProvider implements SmsProvider {
  readonly name = 'sms_http';

  constructor(private readonly config: GenericHttpConfig) {}

  async send(sms: OutgoingSms): Promise<SmsSendResult> {
    const values = templateValues(sms, this.config.from);
    const url = this.url(values);
    const answer = await callGateway({
      url,
      method: this.config.method,
      headers: this.headers(values),
      body: this.body(values),
      timeoutMs: this.config.timeoutMs,
    });
    return interpretGenericAnswer(answer, this.config.response, describeUrl(url));
  }

  private url(values: TemplateValues): URL {
    const url = new URL(this.config.url);
    for (const [key, value] of renderForm(this.config.query, values)) url.searchParams.append(key, value);
    return url;
  }

  private body(values: TemplateValues): string | undefined {
    const body = this.config.body;
    if (body === undefined) return undefined;
    return body.format === 'json' ? renderJsonBody(body.template, values) : renderForm(body.template, values).toString();
  }

  private headers(values: TemplateValues): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.config.body?.format === 'json') headers['content-type'] = 'application/json; charset=utf-8';
    if (this.config.body?.format === 'form') headers['content-type'] = 'application/x-www-form-urlencoded; charset=utf-8';
    for (const [name, value] of Object.entries(this.config.headers)) headers[name.toLowerCase()] = fillPlaceholders(value, values);
    const auth = this.config.auth;
    if (auth.type === 'basic')
      headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
    if (auth.type === 'bearer') headers.authorization = `Bearer ${auth.token}`;
    if (auth.type === 'header') headers[auth.name.toLowerCase()] = auth.value;
    return headers;
  }
}
