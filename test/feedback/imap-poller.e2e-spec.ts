// The IMAP poller against a real IMAP server on loopback (hoodiecrow-imap): unseen messages are
// stored and processed like SMTP intake, flagged seen, and never stored twice.
import type { AddressInfo } from 'node:net';
import hoodiecrow from 'hoodiecrow-imap';
import { ImapFlow } from 'imapflow';
import { ConfigService } from '@nestjs/config';
import { secretKeys } from '../../src/config/config.module';
import { PrismaService } from '../../src/database/prisma.service';
import { ImapPollerService } from '../../src/feedback/intake/imap-poller.service';
import { waitFor } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';
import { BOUNCE_DOMAIN, dsn, reply, sentMessage, useKeys } from './feedback-fixtures';

let t: TestApp;
let prisma: PrismaService;
let server: ReturnType<typeof hoodiecrow>;
let port: number;

/** Delivers into the mailbox the way a mail server would: IMAP APPEND. */
async function append(messages: Array<{ raw: string; flags?: string[] }>): Promise<void> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port,
    secure: false,
    auth: { user: 'bounces@shop.example', pass: 'p@ss word' },
    logger: false,
  });
  await client.connect();
  for (const m of messages) await client.append('INBOX', m.raw, m.flags ?? []);
  await client.logout();
}

beforeAll(async () => {
  server = hoodiecrow({
    plugins: ['ID', 'UIDPLUS', 'ENABLE', 'LITERALPLUS'],
    storage: { INBOX: { messages: [] } },
    users: { 'bounces@shop.example': { password: 'p@ss word' } },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
  t = await startTestApp({
    BOUNCE_DOMAIN,
    MAIL_FROM: 'news@shop.example',
    IMAP_URL: `imap://bounces%40shop.example:p%40ss%20word@127.0.0.1:${port}/INBOX`,
  });
  prisma = t.app.get(PrismaService);
  useKeys(secretKeys(t.app.get(ConfigService)));
});

afterAll(async () => {
  await t?.close();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

describe('IMAP poller', () => {
  it('stores and applies the unseen messages of the mailbox once', async () => {
    const bounced = await sentMessage(prisma, 'imap.gone@mail.example');
    const replied = await sentMessage(prisma, 'imap.buyer@mail.example');
    await append([
      { raw: dsn({ messageId: bounced.messageId, to: bounced.email, status: '5.1.1', diagnostic: '550 5.1.1 User unknown' }) },
      {
        raw: reply({
          messageId: replied.messageId,
          from: replied.email,
          subject: 'Re: Цены',
          body: 'Добрый день, пришлите счёт на 10 коробок.',
        }),
      },
      { raw: 'Subject: already read\r\n\r\nold\r\n', flags: ['\\Seen'] },
    ]);
    const poller = t.app.get(ImapPollerService);
    expect(await poller.poll()).toEqual({ polled: true, stored: 2, seen: 2 });

    const rows = await waitFor(
      async () => {
        const found = await prisma.inboundMessage.findMany({ where: { source: 'imap' }, orderBy: { id: 'asc' } });
        return found.length === 2 && found.every((r) => r.status !== 'received') ? found : null;
      },
      20_000,
      'the polled messages processed',
    );
    expect(rows.map((r) => [r.status, r.kind, r.messageId])).toEqual([
      ['applied', 'bounce', bounced.messageId],
      ['applied', 'reply', replied.messageId],
    ]);
    expect(await prisma.suppression.findFirst({ where: { address: bounced.email } })).toMatchObject({ reason: 'hard_bounce' });
    expect(await prisma.lead.count({ where: { customerId: replied.customerId } })).toBe(1);

    // Flagged seen: the next poll finds nothing new.
    expect(await poller.poll()).toEqual({ polled: true, stored: 0, seen: 0 });
    expect(await prisma.inboundMessage.count({ where: { source: 'imap' } })).toBe(2);
  });
});
