// The secret values of the parsed environment, for the logger to mask (common/redact.ts).
// Add a variable here when it holds a credential.
import { redactSmsProviderConfig } from '../delivery/sms/create-sms-provider';
import type { Env } from './env';

const URL_VARIABLES = ['DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'IMAP_URL'] as const;

export function secretValuesOf(env: Partial<Env>): string[] {
  const values: Array<string | undefined> = [env.SECRET_KEY, ...(env.SECRET_KEY_PREVIOUS ?? []), env.MAILGUN_WEBHOOK_SIGNING_KEY, env.DKIM_PRIVATE_KEY];
  for (const name of URL_VARIABLES) values.push(...urlPassword(env[name]));
  if (env.SMS_PROVIDER && env.SMS_PROVIDER_CONFIG) values.push(...hiddenStrings(env.SMS_PROVIDER_CONFIG, redactSmsProviderConfig(env.SMS_PROVIDER, env.SMS_PROVIDER_CONFIG)));
  return values.filter((value): value is string => typeof value === 'string' && value !== '');
}

function urlPassword(value: string | undefined): string[] {
  if (!value) return [];
  try {
    const { password } = new URL(value);
    return password ? [password, decodeURIComponent(password)] : [];
  } catch {
    return [];
  }
}

/** The strings of `original` that the redacted copy replaced (the SMS provider's credentials). */
function hiddenStrings(original: unknown, redacted: unknown): string[] {
  if (typeof original === 'string') return original !== redacted ? [original] : [];
  if (original === null || typeof original !== 'object' || redacted === null || typeof redacted !== 'object') return [];
  return Object.entries(original).flatMap(([key, value]) => hiddenStrings(value, (redacted as Record<string, unknown>)[key]));
}
