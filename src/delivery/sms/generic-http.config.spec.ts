import { DomainError } from '../../common/domain-error';
import { parseSmsProviderConfig } from './create-sms-provider';
import type { GenericHttpConfig } from './generic-http.config';

const minimal = { url: 'https://gw.example.com/send', body: { format: 'json', template: { to: '{{to}}', text: '{{text}}' } } };

function issues(config: unknown): string[] {
  try {
    parseSmsProviderConfig('sms_http', config);
  } catch (error) {
    if (error instanceof DomainError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

function parsed(config: unknown): GenericHttpConfig {
  const settings = parseSmsProviderConfig('sms_http', config);
  if (settings.kind !== 'sms_http') throw new Error('wrong kind');
  return settings.config;
}

describe('generic HTTP provider config', () => {
  it('fills defaults: POST, no auth, 10 s timeout, any 2xx', () => {
    expect(parsed(minimal)).toMatchObject({
      method: 'POST',
      auth: { type: 'none' },
      headers: {},
      query: {},
      timeoutMs: 10_000,
      response: { transientErrors: [] },
    });
  });

  it('accepts a JSON template written as a string and parses it once', () => {
    expect(parsed({ ...minimal, body: { format: 'json', template: '{"msisdn":"{{toDigits}}","sms":"{{text}}"}' } }).body).toEqual({
      format: 'json',
      template: { msisdn: '{{toDigits}}', sms: '{{text}}' },
    });
  });

  it('accepts an idempotency key header made of the message id', () => {
    expect(parsed({ ...minimal, headers: { 'Idempotency-Key': 'otklik-{{messageId}}' } }).headers).toEqual({
      'Idempotency-Key': 'otklik-{{messageId}}',
    });
  });

  it('accepts a GET gateway that takes everything in the query', () => {
    expect(parsed({ url: 'http://gw.local/send', method: 'GET', query: { to: '{{to}}', text: '{{text}}' } }).method).toBe('GET');
  });

  it.each([
    [{}, 'config.url: expected an http:// or https:// URL'],
    [{ ...minimal, url: 'ftp://gw.example.com' }, 'config.url: expected an http:// or https:// URL'],
    [{ ...minimal, method: 'DELETE' }, 'config.method:'],
    [{ ...minimal, body: { format: 'xml', template: '' } }, 'config.body.format: expected format "json" or "form"'],
    [
      { ...minimal, body: { format: 'json', template: '{"to": {{to}}' } },
      'config.body.template: expected JSON with {{placeholders}} inside strings',
    ],
    [
      { ...minimal, body: { format: 'json', template: { to: '{{phone}}', text: '{{text}}' } } },
      'config.body.template.to: unknown placeholder {{phone}}; expected {{to}}, {{toDigits}}, {{from}}, {{text}}, {{messageId}}',
    ],
    [
      { ...minimal, body: { format: 'form', template: { to: '{{to}}', msg: '{{message}}' } } },
      'config.body.template.msg: unknown placeholder {{message}}',
    ],
    [{ ...minimal, body: { format: 'json', template: { to: '{{to}}' } } }, 'config.body: the request never sends {{text}}'],
    [
      { ...minimal, body: { format: 'json', template: { text: '{{text}}' } } },
      'config.body: the request never sends {{to}} (or {{toDigits}})',
    ],
    [{ url: 'http://gw.local/send' }, 'config.body: the request never sends {{to}} (or {{toDigits}}) or {{text}}'],
    [
      { ...minimal, method: 'GET', query: { to: '{{to}}', text: '{{text}}' } },
      'config.body: a GET request has no body; put the fields in query',
    ],
    [{ ...minimal, auth: { type: 'oauth' } }, 'config.auth.type: expected type "none", "basic", "bearer" or "header"'],
    [{ ...minimal, auth: { type: 'bearer', token: '' } }, 'config.auth.token: expected a token'],
    [
      { ...minimal, auth: { type: 'header', name: 'X Api Key', value: 'k' } },
      'config.auth.name: expected an HTTP header name such as X-Api-Key',
    ],
    [{ ...minimal, headers: { 'bad header': 'x' } }, 'config.headers.bad header: expected an HTTP header name'],
    [{ ...minimal, headers: { 'X-Note': 'a\r\nInjected: 1' } }, 'config.headers.X-Note: expected a header value without line breaks'],
    [
      { ...minimal, headers: { 'X-Text': '{{text}}' } },
      'config.headers.X-Text: only {{messageId}}, {{to}} and {{toDigits}} may be used in a header',
    ],
    [{ ...minimal, headers: { 'X-Ref': '{{ref}}' } }, 'config.headers.X-Ref: unknown placeholder {{ref}}'],
    [
      { ...minimal, auth: { type: 'bearer', token: 'токен' } },
      'config.auth.token: expected a header value without line breaks or non-Latin-1 characters',
    ],
    [
      { ...minimal, response: { messageIdPath: 'data..id' } },
      'config.response.messageIdPath: expected a dotted path such as data.id or messages[0].id',
    ],
    [{ ...minimal, response: { successPath: 'status' } }, 'config.response.successValues: successPath and successValues go together'],
    [
      { ...minimal, response: { transientErrors: ['busy'] } },
      'config.response.errorPath: required when errorMessagePath or transientErrors is set',
    ],
    [{ ...minimal, response: { successStatuses: [200, 700] } }, 'config.response.successStatuses[1]:'],
    [{ ...minimal, timeoutMs: 5 }, 'config.timeoutMs: expected at least 100 ms'],
    [{ ...minimal, respons: {} }, 'config: Unrecognized key: "respons"'],
  ])('rejects %j with "%s"', (config, expected) => {
    expect(issues(config)).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });

  it('names the environment variable when asked to', () => {
    expect(() => parseSmsProviderConfig('sms_http', { url: 'nope' }, 'SMS_PROVIDER_CONFIG')).toThrow(
      /SMS_PROVIDER_CONFIG\.url: expected an http/,
    );
  });
});
