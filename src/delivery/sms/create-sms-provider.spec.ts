import { DomainError } from '../../common/domain-error';
import type { OutboxRepository } from '../outbox.repository';
import { CaptureSmsProvider } from '../transports/capture-sms.provider';
import { redactSmsProviderConfig } from '../../config/env-secrets';
import { createSmsProvider, parseSmsProviderConfig } from './create-sms-provider';
import { GenericHttpSmsProvider } from './generic-http.sms-provider';
import { SmsRuProvider } from './smsru.sms-provider';

// The capture provider is only constructed here, never asked to send (that is an e2e test).
const deps = { outbox: {} as OutboxRepository };
const httpConfig = { url: 'https://gw.example.com/send', body: { format: 'form', template: { to: '{{to}}', text: '{{text}}' } } };

describe('createSmsProvider', () => {
  it.each([
    ['capture', {}, CaptureSmsProvider, 'capture'],
    ['capture', null, CaptureSmsProvider, 'capture'],
    ['sms_http', httpConfig, GenericHttpSmsProvider, 'sms_http'],
    ['sms_smsru', { apiId: 'A1B2' }, SmsRuProvider, 'sms_smsru'],
  ])('builds %s', (kind, config, type, name) => {
    const provider = createSmsProvider({ kind, config }, deps);
    expect(provider).toBeInstanceOf(type);
    expect(provider.name).toBe(name);
  });

  it.each([
    ['smtp', {}, 'kind: "smtp" is not an SMS provider; expected capture, sms_http, sms_smsru'],
    ['sms_smsru', {}, 'config.apiId: expected the api_id from the SMS.ru account'],
    ['sms_smsru', null, 'config.apiId: expected the api_id from the SMS.ru account'],
    ['sms_smsru', { apiId: 'k', baseUrl: 'sms.ru' }, 'config.baseUrl: expected an http:// or https:// URL'],
    ['sms_smsru', { apiId: 'k', test: 'yes' }, 'config.test:'],
    ['sms_http', [], 'config:'],
  ])('rejects kind %s with config %j', (kind, config, message) => {
    expect(() => createSmsProvider({ kind, config }, deps)).toThrow(DomainError);
    expect(() => createSmsProvider({ kind, config }, deps)).toThrow(message);
  });

  it('fills SMS.ru defaults', () => {
    expect(parseSmsProviderConfig('sms_smsru', { apiId: 'k' })).toEqual({
      kind: 'sms_smsru',
      config: { apiId: 'k', baseUrl: 'https://sms.ru', test: false, timeoutMs: 10_000 },
    });
  });
});

describe('redactSmsProviderConfig', () => {
  it('hides credentials and leaves the rest', () => {
    const config = {
      ...httpConfig,
      auth: { type: 'basic', username: 'shop', password: 'p4ss' },
      headers: { 'X-Api-Key': 'k1', 'X-Client': 'otklik' },
      query: { token: 't1', to: '{{to}}' },
    };
    expect(redactSmsProviderConfig('sms_http', config)).toEqual({
      ...httpConfig,
      auth: { type: 'basic', username: 'shop', password: '***' },
      headers: { 'X-Api-Key': '***', 'X-Client': 'otklik' },
      query: { token: '***', to: '{{to}}' },
    });
    expect(config.auth.password).toBe('p4ss');
    expect(redactSmsProviderConfig('sms_http', { auth: { type: 'bearer', token: 't' } })).toEqual({
      auth: { type: 'bearer', token: '***' },
    });
    expect(redactSmsProviderConfig('sms_smsru', { apiId: 'secret', from: 'Shop' })).toEqual({ apiId: '***', from: 'Shop' });
    expect(redactSmsProviderConfig('capture', null)).toBeNull();
  });
});
