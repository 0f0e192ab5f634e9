// Builds the SmsProvider for a Provider row (kind + config JSON), or for the SMS_PROVIDER
// environment default. A bad config throws a DomainError naming each field (`config.body: ...`).
import { DomainError } from '../../common/domain-error';
import { parseOrThrow } from '../../common/zod-validation';
import type { OutboxRepository } from '../outbox.repository';
import { CaptureSmsProvider } from '../transports/capture-sms.provider';
import type { SmsProvider } from '../transports/sms-provider';
import { genericHttpConfigSchema, type GenericHttpConfig } from './generic-http.config';
import { GenericHttpSmsProvider } from './generic-http.sms-provider';
import { smsRuConfigSchema, SmsRuProvider, type SmsRuConfig } from './smsru.sms-provider';

export const SMS_PROVIDER_KINDS = ['capture', 'sms_http', 'sms_smsru'] as const;
export type SmsProviderKind = (typeof SMS_PROVIDER_KINDS)[number];

export type SmsProviderSettings =
  { kind: 'capture' } | { kind: 'sms_http'; config: GenericHttpConfig } | { kind: 'sms_smsru'; config: SmsRuConfig };

export interface SmsProviderDeps {
  /** Where the capture provider keeps messages. */
  outbox: OutboxRepository;
}

/** Validates a Provider's kind and config (e.g. before storing it); errors name fields under `root`. */
export function parseSmsProviderConfig(kind: string, config: unknown, root = 'config'): SmsProviderSettings {
  const raw = config ?? {};
  switch (kind) {
    case 'capture':
      return { kind };
    case 'sms_http':
      return { kind, config: parseOrThrow(genericHttpConfigSchema, raw, root) };
    case 'sms_smsru':
      return { kind, config: parseOrThrow(smsRuConfigSchema, raw, root) };
    default:
      throw DomainError.validation([
        { path: 'kind', message: `"${kind}" is not an SMS provider; expected ${SMS_PROVIDER_KINDS.join(', ')}` },
      ]);
  }
}

export function createSmsProvider(provider: { kind: string; config: unknown }, deps: SmsProviderDeps, root = 'config'): SmsProvider {
  const settings = parseSmsProviderConfig(provider.kind, provider.config, root);
  switch (settings.kind) {
    case 'capture':
      return new CaptureSmsProvider(deps.outbox);
    case 'sms_http':
      return new GenericHttpSmsProvider(settings.config);
    case 'sms_smsru':
      return new SmsRuProvider(settings.config);
  }
}
