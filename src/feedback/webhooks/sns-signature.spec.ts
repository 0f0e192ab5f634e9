import { createSign, generateKeyPairSync } from 'node:crypto';
import { isSnsCertificateUrl, parseSnsMessage, snsStringToSign, verifySnsSignature, type SnsMessage } from './sns-signature';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

function signed(message: Omit<SnsMessage, 'Signature'>, version = '2'): SnsMessage {
  const unsigned = { ...message, SignatureVersion: version, Signature: '' };
  const signature = createSign(version === '1' ? 'RSA-SHA1' : 'RSA-SHA256')
    .update(snsStringToSign(unsigned))
    .sign(privateKey, 'base64');
  return { ...unsigned, Signature: signature };
}

const notification = {
  Type: 'Notification',
  MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
  TopicArn: 'arn:aws:sns:eu-west-1:123456789012:ses-events',
  Subject: 'Amazon SES Email Event Notification',
  Message: '{"notificationType":"Bounce"}',
  Timestamp: '2026-11-23T10:00:00.000Z',
  SignatureVersion: '2',
  SigningCertURL: 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem',
};

describe('snsStringToSign', () => {
  it('lists the notification keys in order, each followed by a newline, and skips a missing Subject', () => {
    const m = { ...notification, Signature: 'x' };
    expect(snsStringToSign(m)).toBe(
      `Message\n${m.Message}\nMessageId\n${m.MessageId}\nSubject\n${m.Subject}\nTimestamp\n${m.Timestamp}\nTopicArn\n${m.TopicArn}\nType\nNotification\n`,
    );
    const { Subject: _subject, ...withoutSubject } = m;
    expect(snsStringToSign(withoutSubject)).not.toContain('Subject');
  });

  it('uses SubscribeURL and Token for a subscription confirmation', () => {
    const m = {
      ...notification,
      Type: 'SubscriptionConfirmation',
      SubscribeURL: 'https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription',
      Token: 't0k',
      Signature: 'x',
    };
    expect(snsStringToSign(m)).toContain('SubscribeURL\nhttps://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription\nTimestamp');
    expect(snsStringToSign(m)).toContain('Token\nt0k\nTopicArn');
  });
});

describe('verifySnsSignature', () => {
  it.each(['1', '2'])('accepts a message signed with SignatureVersion %s', (version) => {
    expect(verifySnsSignature(signed(notification, version), publicPem)).toBe(true);
  });

  it('rejects a changed message, an unknown version and garbage', () => {
    const good = signed(notification);
    expect(verifySnsSignature({ ...good, Message: '{"notificationType":"Complaint"}' }, publicPem)).toBe(false);
    expect(verifySnsSignature({ ...good, SignatureVersion: '3' }, publicPem)).toBe(false);
    expect(verifySnsSignature({ ...good, Signature: 'bm9wZQ==' }, publicPem)).toBe(false);
    expect(verifySnsSignature(good, 'not a pem')).toBe(false);
  });
});

describe('isSnsCertificateUrl', () => {
  it.each([
    ['https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem', true],
    ['https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem', true],
    ['http://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem', false],
    ['https://sns.eu-west-1.amazonaws.com.evil.example/x.pem', false],
    ['https://evil.example/sns.eu-west-1.amazonaws.com/x.pem', false],
    ['https://sns.eu-west-1.amazonaws.com/x.pem?redirect=1', false],
    ['not a url', false],
  ])('%s → %s', (url, expected) => {
    expect(isSnsCertificateUrl(url)).toBe(expected);
  });
});

describe('parseSnsMessage', () => {
  it('reads an SNS body and refuses anything else', () => {
    expect(parseSnsMessage(JSON.stringify({ ...notification, Signature: 'x' }))?.Type).toBe('Notification');
    expect(parseSnsMessage('{"Type":"Notification"}')).toBeNull();
    expect(parseSnsMessage('not json')).toBeNull();
  });
});
