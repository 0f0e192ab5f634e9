// An unsubscribe received by mail counts in the campaign report as an unsubscribe, like the
// link's, and not as a reply: through the real path (a real SMTP client to the inbound server,
// the feedback worker, the report API). A reply asking to stop and mail to the List-Unsubscribe
// mailbox count with the link's one-click unsubscribe; a reply asking for a price stays a reply;
// an unsubscribe an admin undid counts as what the message was, a reply.
import { ConfigService } from '@nestjs/config';
import { signToken } from '../../src/common/signed-token';
import { secretKeys } from '../../src/config/config.module';
import { PrismaService } from '../../src/database/prisma.service';
import { LINK_PURPOSE } from '../../src/tracking/tracking-links';
import { InboundSmtpServer } from '../../src/feedback/intake/inbound-smtp.server';
import {
  BOUNCE_DOMAIN,
  lastInboundId,
  processed,
  reply,
  runningCampaign,
  sentMessage,
  smtpSend,
  unsubscribeTo,
  useKeys,
  type SentFixture,
} from '../feedback/feedback-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let prisma: PrismaService;
let port: number;
let viewer: string;
let admin: string;

beforeAll(async () => {
  t = await startTestApp({
    INBOUND_SMTP_PORT: '0',
    BOUNCE_DOMAIN,
    MAIL_FROM: 'news@shop.example',
    INBOUND_REPLY_ADDRESSES: 'sales@shop.example',
  });
  prisma = t.app.get(PrismaService);
  useKeys(secretKeys(t.app.get(ConfigService)));
  port = t.app.get(InboundSmtpServer).port as number;
  viewer = await t.key('viewer');
  admin = await t.key('admin');
});

afterAll(async () => {
  await t?.close();
});

async function deliver(envelope: { from: string; to: string[] }, raw: string) {
  const start = await lastInboundId(prisma);
  expect(await smtpSend(port, envelope, raw)).toMatch(/^250 .*Stored as inbound \d+/);
  return processed(prisma, { after: start });
}

async function report(campaignId: number) {
  const response = await fetch(`${t.url}/reports/campaigns/${campaignId}?interval=day`, { headers: { authorization: `Bearer ${viewer}` } });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { totals: Record<string, number>; chart: { points: Array<Record<string, number>> } };
  return { ...body.totals, chartUnsubscribes: body.chart.points.reduce((sum, p) => sum + p.unsubscribes, 0) };
}

it('counts a reply asking to stop and mail to the List-Unsubscribe mailbox as unsubscribes, not replies', async () => {
  const campaign = await runningCampaign(prisma, 'mail unsubscribes');
  // a: replies «stop»; b: mails the List-Unsubscribe mailbox; c: clicks the link; d: asks for a price.
  const sent: SentFixture[] = [];
  for (const email of ['stop@mail.example', 'mailto@mail.example', 'link@mail.example', 'lead@mail.example'])
    sent.push(await sentMessage(prisma, email, campaign));
  const [a, b, c, d] = sent;

  const stop = await deliver(
    { from: a.email, to: ['news@shop.example'] },
    reply({ messageId: a.messageId, from: a.email, subject: 'Re: Акция', body: 'Больше не пишите нам, пожалуйста.' }),
  );
  expect(stop).toMatchObject({ status: 'applied', kind: 'reply', messageId: a.messageId, campaignId: campaign.campaignId });
  const unsub = await deliver(
    { from: b.email, to: [unsubscribeTo(b.messageId)] },
    `From: ${b.email}\r\nTo: ${unsubscribeTo(b.messageId)}\r\nSubject: unsubscribe\r\n\r\n\r\n`,
  );
  expect(unsub).toMatchObject({ status: 'applied', messageId: b.messageId, campaignId: campaign.campaignId });
  const oneClick = await fetch(
    `${t.url}/u/${signToken(secretKeys(t.app.get(ConfigService)), LINK_PURPOSE.unsubscribe, String(c.messageId))}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    },
  );
  expect(oneClick.status).toBe(200);
  const price = await deliver(
    { from: d.email, to: ['news@shop.example'] },
    reply({ messageId: d.messageId, from: d.email, subject: 'Re: Акция', body: 'Добрый день, пришлите цену на 20 коробок бумаги А4.' }),
  );
  expect(price).toMatchObject({ status: 'applied', kind: 'reply', messageId: d.messageId });

  expect(await report(campaign.campaignId)).toMatchObject({ sent: 4, unsubscribed: 3, replied: 1, chartUnsubscribes: 3 });

  // An admin undoes the unsubscribe of the stop reply: the message counts as the reply it was.
  const entry = await prisma.cleanupLogEntry.findFirstOrThrow({ where: { inboundMessageId: stop.id, action: 'unsubscribed' } });
  const undo = await fetch(`${t.url}/feedback/cleanup-log/${entry.id}/undo`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}` },
  });
  expect(undo.status).toBeLessThan(300);
  expect(await report(campaign.campaignId)).toMatchObject({ unsubscribed: 2, replied: 2, chartUnsubscribes: 2 });
});
