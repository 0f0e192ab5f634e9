// The SMS variables of the environment (src/config/env.ts) parse into what the providers and
// the quiet-hours rule take.
import { parseEnv } from '../../config/env';

const base = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/otklik', SECRET_KEY: 'x'.repeat(32) };

describe('SMS environment variables', () => {
  it('defaults to the capture provider and 21:00-09:00 quiet hours', () => {
    const env = parseEnv(base);
    expect(env.SMS_PROVIDER).toBe('capture');
    expect(env.SMS_PROVIDER_CONFIG).toBeUndefined();
    expect(env.SMS_QUIET_HOURS).toEqual({ start: 21 * 60, end: 9 * 60 });
  });

  it('reads a provider, its JSON config and a quiet-hours window or off', () => {
    const env = parseEnv({
      ...base,
      SMS_PROVIDER: 'sms_smsru',
      SMS_PROVIDER_CONFIG: '{"apiId":"k","from":"Shop"}',
      SMS_QUIET_HOURS: '22:00-08:30',
    });
    expect(env.SMS_PROVIDER).toBe('sms_smsru');
    expect(env.SMS_PROVIDER_CONFIG).toEqual({ apiId: 'k', from: 'Shop' });
    expect(env.SMS_QUIET_HOURS).toEqual({ start: 22 * 60, end: 8 * 60 + 30 });
    expect(parseEnv({ ...base, SMS_QUIET_HOURS: 'off' }).SMS_QUIET_HOURS).toBeNull();
  });

  it.each([
    [{ SMS_PROVIDER: 'twilio' }, /SMS_PROVIDER: /],
    [{ SMS_PROVIDER_CONFIG: '{apiId: k}' }, /SMS_PROVIDER_CONFIG: expected a JSON object such as \{"apiId":"..."\}/],
    [{ SMS_PROVIDER_CONFIG: '["k"]' }, /SMS_PROVIDER_CONFIG: expected a JSON object/],
    [{ SMS_QUIET_HOURS: '21-9' }, /SMS_QUIET_HOURS: expected HH:MM-HH:MM such as 21:00-09:00, or "off"/],
  ])('rejects %p naming the variable', (override, message) => {
    expect(() => parseEnv({ ...base, ...override })).toThrow(message);
  });
});
