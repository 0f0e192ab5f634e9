import { parseEnv } from '../config/env';
import { secretValuesOf } from '../config/env-secrets';
import { JsonLogger } from './json-logger';
import { loggablePath, redactSecrets } from './redact';

describe('redactSecrets', () => {
  it.each([
    [
      'an SMTP URL in a driver error',
      'connect failed: smtp://mailer:s3cr%40t!@smtp.example.com:587',
      'connect failed: smtp://mailer:***@smtp.example.com:587',
    ],
    [
      'a PostgreSQL URL',
      'Error: postgresql://otklik:pg-pass@db:5432/otklik refused',
      'Error: postgresql://otklik:***@db:5432/otklik refused',
    ],
    ['a Redis URL with a password only', 'redis://:r3dis-pass@127.0.0.1:6379/0', 'redis://:***@127.0.0.1:6379/0'],
    [
      'an IMAP URL inside JSON',
      '{"msg":"poll failed","url":"imaps://bounces%40shop.example:imap-pw@imap.shop.example/INBOX"}',
      '{"msg":"poll failed","url":"imaps://bounces%40shop.example:***@imap.shop.example/INBOX"}',
    ],
    ['an API key, keeping its prefix', `key otk_ab12cd34_${'A1b2-_'.repeat(5)}zz was used`, 'key otk_ab12cd34_*** was used'],
    ['a bearer token', 'authorization: Bearer abc.DEF-123_xyz', 'authorization: Bearer ***'],
  ])('masks %s', (_name, input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it.each([
    ['a URL without a password', 'redis://127.0.0.1:6379 and https://user@example.com/x'],
    ['an email address and a time', 'mail to anna@example.com at 10:30@home'],
    ['something shaped almost like a key', 'otk_ab12cd34_short'],
  ])('leaves %s alone', (_name, input) => {
    expect(redactSecrets(input)).toBe(input);
  });

  it('masks known values as they are, URL-encoded and JSON-escaped; ignores values too short to be secrets', () => {
    const key = 'k3y with "quotes" & spaces\nand a line';
    const text = `raw=${key} url=${encodeURIComponent(key)} json=${JSON.stringify(key)} short=abc`;
    expect(redactSecrets(text, [key, 'abc'])).toBe('raw=*** url=*** json="***" short=abc');
  });
});

describe('loggablePath', () => {
  it('logs a route with a token as its pattern and any other path as it is', () => {
    expect(loggablePath('/u/MTIz.c2lnbmF0dXJl', '/u/:token')).toBe('/u/:token');
    expect(loggablePath('/webhooks/sendgrid/djE.abc', '/webhooks/sendgrid/:token')).toBe('/webhooks/sendgrid/:token');
    expect(loggablePath('/customers/12', '/customers/:id')).toBe('/customers/12');
    expect(loggablePath('/nowhere', undefined)).toBe('/nowhere');
  });
});

describe('secretValuesOf', () => {
  it('lists SECRET_KEY, signing keys, URL passwords (encoded and decoded) and SMS provider credentials', () => {
    const env = parseEnv({
      DATABASE_URL: 'postgresql://otklik:db%2Fpass@127.0.0.1:5432/otklik',
      REDIS_URL: 'redis://:redis-pass@127.0.0.1:6379',
      SMTP_URL: 'smtp://mailer:smtp-pass@127.0.0.1:2525',
      SECRET_KEY: 'x'.repeat(40),
      MAILGUN_WEBHOOK_SIGNING_KEY: 'key-mailgun-123',
      SMS_PROVIDER: 'sms_smsru',
      SMS_PROVIDER_CONFIG: '{"apiId":"sms-api-id-123"}',
    });
    expect(secretValuesOf(env).sort()).toEqual(
      [
        'db%2Fpass',
        'db/pass',
        'key-mailgun-123',
        'redis-pass',
        'redis-pass',
        'sms-api-id-123',
        'smtp-pass',
        'smtp-pass',
        'x'.repeat(40),
      ].sort(),
    );
  });

  it('makes the logger mask them in every line', () => {
    const env = parseEnv({ DATABASE_URL: 'postgresql://otklik:Db-Pass-42@127.0.0.1/otklik', SECRET_KEY: 's'.repeat(40) });
    const lines: string[] = [];
    const logger = new JsonLogger('debug', 'api', (line) => lines.push(line), secretValuesOf(env));
    logger.error(new Error(`password authentication failed (Db-Pass-42), key ${'s'.repeat(40)}`));
    logger.debug({ msg: 'config', url: 'postgresql://otklik:Db-Pass-42@127.0.0.1/otklik' });
    expect(lines.join('\n')).not.toMatch(/Db-Pass-42|s{40}/);
    expect(JSON.parse(lines[0]).msg).toBe('password authentication failed (***), key ***');
  });
});
