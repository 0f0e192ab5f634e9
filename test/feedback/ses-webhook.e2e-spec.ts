// SES events through SNS: the signature is checked against the signing certificate (pinned
// here: this machine cannot reach AWS), the topic against SES_SNS_TOPIC_ARNS, and a signed
// bounce is applied like a DSN.
import { createSign, generateKeyPairSync } from 'node:crypto';
import { PrismaService } from '../../src/database/prisma.service';
import { SnsCertificates } from '../../src/feedback/webhooks/sns-certificates';
import { snsStringToSign, type SnsMessage } from '../../src/feedback/webhooks/sns-signature';
import { waitFor } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';
import { BOUNCE_DOMAIN, sentMessage } from './feedback-fixtures';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:ses-events';
const CERT_URL = 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

let t: TestApp;
let prisma: PrismaService;

function signed(fields: Omit<SnsMessage, 'Signature' | 'SignatureVersion' | 'SigningCertURL'>): SnsMessage {
  const message: SnsMessage = { ...fields, SignatureVersion: '2', SigningCertURL: CERT_URL, Signature: '' };
  message.Signature = createSign('RSA-SHA256').update(snsStringToSign(message)).sign(privateKey, 'base64');
  return message;
}

function sesBounce(messageId: bigint, to: string): SnsMessage {
  const event = {
    notificationType: 'Bounce',
    bounce: {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [{ emailAddress: to, action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
      timestamp: '2026-11-23T10:00:00.000Z',
    },
    mail: {
      messageId: 'ses-0001',
      source: 'news@shop.example',
      headers: [{ name: 'Message-ID', value: `<otk.${messageId}@${BOUNCE_DOMAIN}>` }],
      commonHeaders: { messageId: `<otk.${messageId}@${BOUNCE_DOMAIN}>` },
    },
  };
  return signed({
    Type: 'Notification',
    MessageId: `sns-${messageId}`,
    TopicArn: TOPIC,
    Message: JSON.stringify(event),
    Timestamp: '2026-11-23T10:00:01.000Z',
  });
}

async function post(body: unknown) {
  const response = await fetch(`${t.url}/webhooks/ses`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain; charset=UTF-8' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

beforeAll(async () => {
  t = await startTestApp({ BOUNCE_DOMAIN, MAIL_FROM: 'news@shop.example', SES_SNS_TOPIC_ARNS: TOPIC });
  prisma = t.app.get(PrismaService);
  t.app.get(SnsCertificates).pin(CERT_URL, publicKey.export({ type: 'spki', format: 'pem' }).toString());
});

afterAll(async () => {
  await t?.close();
});

describe('SES events through SNS', () => {
  it('applies a signed SES bounce: the address is suppressed', async () => {
    const sent = await sentMessage(prisma, 'ses.gone@mail.example');
    const response = await post(sesBounce(sent.messageId, sent.email));
    expect(response.status).toBe(200);
    const row = await waitFor(
      () => prisma.inboundMessage.findFirst({ where: { id: BigInt(response.body.id), status: { not: 'received' } } }),
      20_000,
      'the SES event processed',
    );
    expect(row).toMatchObject({
      source: 'webhook_ses',
      status: 'applied',
      kind: 'bounce',
      messageId: sent.messageId,
      customerId: sent.customerId,
    });
    expect(await prisma.suppression.findFirst({ where: { channel: 'email', address: sent.email } })).toMatchObject({
      reason: 'hard_bounce',
    });
  });

  it('refuses a forged signature, another topic, an untrusted certificate URL and a body that is no SNS message', async () => {
    const sent = await sentMessage(prisma, 'ses.forged@mail.example');
    const good = sesBounce(sent.messageId, sent.email);
    expect((await post({ ...good, Message: good.Message.replace('Permanent', 'Transient') })).status).toBe(403);
    expect((await post({ ...good, TopicArn: 'arn:aws:sns:eu-west-1:999999999999:other' })).status).toBe(403);
    expect((await post({ ...good, SigningCertURL: 'https://evil.example/cert.pem' })).status).toBe(403);
    const bad = await post({ hello: 'world' });
    expect(bad.status).toBe(400);
    expect(await prisma.inboundMessage.count({ where: { source: 'webhook_ses', messageId: sent.messageId } })).toBe(0);
    expect(await prisma.suppression.findFirst({ where: { address: sent.email } })).toBeNull();
  });
});
