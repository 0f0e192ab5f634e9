import { DomainError } from '../../common/domain-error';
import { keepStoredSecrets, kindChannelIssue, maskProviderConfig, maskUrl, parseProviderConfig } from './provider-config';

function issuePaths(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    return (error as DomainError).issues.map((issue) => issue.path);
  }
  throw new Error('expected a validation error');
}

const gateway = {
  url: 'https://gw.example/send?login=shop&psw=s3cret',
  auth: { type: 'bearer', token: 'tok-123' },
  headers: { 'X-Api-Key': 'key-456', 'Idempotency-Key': 'otklik-{{messageId}}' },
  body: { format: 'json', template: { to: '{{to}}', text: '{{text}}', password: 'body-789', sender: 'MyShop', priority: 1 } },
};

describe('provider config validation', () => {
  it.each([
    ['smtp', { url: 'smtp://user:pass@relay.example:587' }, [], 'a good one'],
    ['smtp', { url: 'http://relay.example' }, ['config.url'], 'not an SMTP URL'],
    ['smtp', { url: 'smtp://:pass@relay.example' }, ['config.url'], 'a password with no user'],
    ['smtp', {}, ['config.url'], 'no URL'],
    ['smtp', { url: 'smtp://relay.example', pool: 3 }, ['config'], 'an unknown field'],
    ['sms_smsru', { apiId: '' }, ['config.apiId'], 'an empty api id'],
    [
      'sms_http',
      { url: 'ftp://gw.example', body: { format: 'json', template: { to: '{{to}}', text: '{{text}}' } } },
      ['config.url'],
      'not http',
    ],
    ['capture', { anything: 1 }, ['config'], 'capture takes no config'],
  ] as const)('%s %j → issues at %j (%s)', (kind, config, paths, _why) => {
    if (paths.length === 0) expect(parseProviderConfig(kind, config)).toEqual(config);
    else expect(issuePaths(() => parseProviderConfig(kind, config))).toEqual(paths);
  });

  it('stores a JSON body given as a string as the object it is, with the defaults', () => {
    const stored = parseProviderConfig('sms_http', {
      url: 'https://gw.example',
      body: { format: 'json', template: '{"to":"{{to}}","t":"{{text}}"}' },
    });
    expect(stored).toMatchObject({ method: 'POST', auth: { type: 'none' }, body: { template: { to: '{{to}}', t: '{{text}}' } } });
  });

  it('matches kinds and channels', () => {
    expect(kindChannelIssue('smtp', 'email')).toBeNull();
    expect(kindChannelIssue('capture', 'sms')).toBeNull();
    expect(kindChannelIssue('smtp', 'sms')).toMatch(/cannot send sms/);
    expect(kindChannelIssue('sms_smsru', 'email')).toMatch(/cannot send email/);
  });
});

describe('masking', () => {
  it.each([
    ['smtp://user:p%40ss@relay.example:587', 'smtp://user:***@relay.example:587', 'the password, user and host kept'],
    ['smtps://relay.example:465', 'smtps://relay.example:465', 'nothing secret in it'],
    [
      'smtp://u:p@relay.example?tlsRejectUnauthorized=false',
      'smtp://u:***@relay.example?tlsRejectUnauthorized=false',
      'the TLS switch is no secret',
    ],
    ['https://gw.example/send?login=a&psw=b', 'https://gw.example/send?login=***&psw=***', 'query values may be keys'],
    ['not a url', '***', 'what does not parse is masked whole'],
  ])('%s → %s (%s)', (url, masked) => {
    expect(maskUrl(url)).toBe(masked);
  });

  it('masks every secret of a gateway and says where, keeping templates and numbers', () => {
    const stored = parseProviderConfig('sms_http', gateway);
    const { config, maskedFields } = maskProviderConfig('sms_http', stored);
    expect(config).toMatchObject({
      url: 'https://gw.example/send?login=***&psw=***',
      auth: { type: 'bearer', token: '***' },
      headers: { 'X-Api-Key': '***', 'Idempotency-Key': 'otklik-{{messageId}}' },
      body: { template: { to: '{{to}}', password: '***', sender: '***', priority: 1 } },
    });
    expect(maskedFields.sort()).toEqual(['auth.token', 'body.template.password', 'body.template.sender', 'headers.X-Api-Key', 'url']);
    const text = JSON.stringify(config);
    for (const secret of ['s3cret', 'tok-123', 'key-456', 'body-789']) expect(text).not.toContain(secret);
    expect(JSON.stringify(stored)).toContain('tok-123'); // the stored config itself is untouched
  });

  it('masks the SMS.ru api id and the SMTP password', () => {
    expect(maskProviderConfig('sms_smsru', { apiId: 'ABC-1', test: false })).toEqual({
      config: { apiId: '***', test: false },
      maskedFields: ['apiId'],
    });
    expect(maskProviderConfig('smtp', { url: 'smtp://u:pw@h:25' })).toEqual({
      config: { url: 'smtp://u:***@h:25' },
      maskedFields: ['url'],
    });
  });
});

describe('keeping stored secrets on an edit', () => {
  const stored = parseProviderConfig('sms_http', gateway);

  it('round-trips: the masked config sent back is the stored one', () => {
    const masked = maskProviderConfig('sms_http', stored).config;
    expect(parseProviderConfig('sms_http', keepStoredSecrets('sms_http', masked, stored))).toEqual(stored);
  });

  it('keeps an auth secret left out while the auth type stays, not when it changes', () => {
    const edited = keepStoredSecrets('sms_http', { ...stored, auth: { type: 'bearer' } }, stored) as typeof gateway;
    expect(edited.auth.token).toBe('tok-123');
    expect(
      issuePaths(() =>
        parseProviderConfig('sms_http', keepStoredSecrets('sms_http', { ...stored, auth: { type: 'basic', username: 'x' } }, stored)),
      ),
    ).toEqual(['config.auth.password']);
  });

  it.each([
    ['smtp://user:***@relay.example:587', 'smtp://user:pw@relay.example:587', 'the mask'],
    ['smtp://user@relay.example:587', 'smtp://user:pw@relay.example:587', 'no password, same user'],
    ['smtp://user:new@relay.example:587', 'smtp://user:new@relay.example:587', 'a new password'],
    ['smtp://other@relay.example:587', 'smtp://other@relay.example:587', 'another user does not get the old password'],
    ['smtp://user@backup.example:587', 'smtp://user@backup.example:587', 'another host does not get the old password'],
  ])('SMTP %s → %s (%s)', (url, expected) => {
    expect(keepStoredSecrets('smtp', { url }, { url: 'smtp://user:pw@relay.example:587' })).toEqual({ url: expected });
  });

  it('refuses a mask with nothing stored behind it, naming the field', () => {
    expect(issuePaths(() => keepStoredSecrets('smtp', { url: 'smtp://user:***@relay.example' }, { url: 'smtp://relay.example' }))).toEqual([
      'config.url',
    ]);
    expect(
      issuePaths(() => keepStoredSecrets('smtp', { url: 'smtp://user:***@other.example' }, { url: 'smtp://user:pw@relay.example' })),
    ).toEqual(['config.url']);
    expect(issuePaths(() => keepStoredSecrets('sms_http', { ...stored, headers: { 'X-New': '***' } }, stored))).toEqual([
      'config.headers.X-New',
    ]);
    expect(issuePaths(() => keepStoredSecrets('sms_smsru', { apiId: '***' }, {}))).toEqual(['config.apiId']);
  });

  it('keeps the SMS.ru api id when the edit leaves it out', () => {
    expect(keepStoredSecrets('sms_smsru', { test: true }, { apiId: 'ABC-1', test: false })).toEqual({ test: true, apiId: 'ABC-1' });
  });
});
