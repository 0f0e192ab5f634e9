// The secret values of the parsed environment, for the logger to mask (common/redact.ts).
// Add a variable here when it holds a credential.
import type { Env } from './env';

const URL_VARIABLES = ['DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'IMAP_URL'] as const;

export function secretValuesOf(env: Partial<Env>): string[] {
  const values: Array<string | undefined> = [
    env.SECRET_KEY,
    ...(env.SECRET_KEY_PREVIOUS ?? []),
    env.MAILGUN_WEBHOOK_SIGNING_KEY,
    env.DKIM_PRIVATE_KEY,
  ];
  for (const name of URL_VARIABLES) values.push(...urlPassword(env[name]));
  if (env.SMS_PROVIDER && env.SMS_PROVIDER_CONFIG)
    values.push(...hiddenStrings(env.SMS_PROVIDER_CONFIG, redactSmsProviderConfig(env.SMS_PROVIDER, env.SMS_PROVIDER_CONFIG)));
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

// The credentials of an SMS provider's config (delivery/sms/create-sms-provider.ts builds the
// provider). Kept here, beside the other secrets, so the logger masks them too.
const SECRET_NAME = /auth|key|token|secret|pass|signature/i;

/** A copy of a stored config with credentials replaced by "***", for showing it back to a user. */
export function redactSmsProviderConfig(kind: string, config: unknown): unknown {
  if (!isRecord(config)) return config;
  const copy = structuredClone(config);
  if (kind === 'sms_smsru') hide(copy, (key) => key === 'apiId');
  if (kind === 'sms_http') {
    hide(copy.auth, (key) => key === 'password' || key === 'token' || key === 'value');
    hide(copy.headers, (key) => SECRET_NAME.test(key));
    hide(copy.query, (key) => SECRET_NAME.test(key));
  }
  return copy;
}

function hide(target: unknown, secret: (key: string) => boolean): void {
  if (!isRecord(target)) return;
  for (const key of Object.keys(target)) if (secret(key)) target[key] = '***';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
