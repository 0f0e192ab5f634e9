// Bounded inbound intake, through the real inbound SMTP server: a budget of bytes in flight
// (8 MB here) and a per-client connection limit (12 here). Every message is either stored
// whole or refused with a 4xx; nothing is half-stored; the server keeps serving.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { PrismaService } from '../../src/database/prisma.service';
import { InboundSmtpServer } from '../../src/feedback/intake/inbound-smtp.server';
import { QueueName } from '../../src/queue/job-catalogue';
import { JobQueue } from '../../src/queue/job-queue';
import { RawSmtpClient } from '../support/smtp-client';
import { waitFor } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';
import { BOUNCE_DOMAIN, lastInboundId } from './feedback-fixtures';

const MB = 1024 * 1024;
const BUDGET = 8 * MB;
const PER_CLIENT = 12;
const TO = 'news@shop.example';

let t: TestApp;
let prisma: PrismaService;
let server: InboundSmtpServer;
let port: number;
let spoolDir: string;

/** A reply with an attachment, `bytes` long in all (give or take a line). */
function bigMessage(name: string, bytes: number): Buffer {
  const head = [
    `From: ${name}@mail.example`,
    `To: ${TO}`,
    `Subject: ${name}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain',
    '',
    'Прайс во вложении.',
    '--b',
    'Content-Type: application/octet-stream',
    'Content-Transfer-Encoding: base64',
    '',
    '',
  ].join('\r\n');
  const tail = '\r\n--b--\r\n';
  const line = `${'QUJD'.repeat(19)}\r\n`;
  const lines = Math.max(0, Math.floor((bytes - head.length - tail.length) / line.length));
  return Buffer.from(head + line.repeat(lines) + tail);
}

const small = (name: string) => Buffer.from(`From: ${name}@mail.example\r\nTo: ${TO}\r\nSubject: ${name}\r\n\r\nЦена?\r\n`);

interface Outcome {
  code: number;
  response: string;
  command?: string;
}

/** Sends with nodemailer (its own connection); the reply code whatever it is. */
async function send(raw: Buffer, from = 'sender@mail.example', localAddress?: string): Promise<Outcome> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, localAddress });
  try {
    const info = await transport.sendMail({ envelope: { from, to: [TO] }, raw });
    return { code: Number(info.response.slice(0, 3)), response: info.response };
  } catch (error) {
    const e = error as { responseCode?: number; response?: string; command?: string; message: string };
    return { code: e.responseCode ?? 0, response: e.response ?? e.message, command: e.command };
  } finally {
    transport.close();
  }
}

const storedId = (outcome: Outcome) => BigInt(/Stored as inbound (\d+)/.exec(outcome.response)![1]);
const storedBytes = async (id: bigint) =>
  (await prisma.$queryRaw<Array<{ n: number }>>`SELECT octet_length(raw)::int AS n FROM inbound_messages WHERE id = ${id}`)[0]?.n;
const spoolFiles = async () => (await readdir(spoolDir)).filter((name) => name.endsWith('.eml'));

beforeAll(async () => {
  spoolDir = await mkdtemp(path.join(tmpdir(), 'otklik-spool-test-'));
  t = await startTestApp({
    INBOUND_SMTP_PORT: '0',
    BOUNCE_DOMAIN,
    MAIL_FROM: TO,
    INBOUND_BYTES_IN_FLIGHT: String(BUDGET),
    INBOUND_MAX_CONNECTIONS_PER_CLIENT: String(PER_CLIENT),
    INBOUND_SPOOL_DIR: spoolDir,
  });
  prisma = t.app.get(PrismaService);
  server = t.app.get(InboundSmtpServer);
  port = server.port as number;
});

afterAll(async () => {
  await t?.close();
  if (spoolDir) await rm(spoolDir, { recursive: true, force: true });
});

describe('bytes in flight', () => {
  it('ten concurrent 3 MB messages against an 8 MB budget: each is stored whole or refused with 452, nothing half-stored', async () => {
    const start = await lastInboundId(prisma);
    const messages = Array.from({ length: 10 }, (_, i) => bigMessage(`big${i}`, 3 * MB));
    const outcomes = await Promise.all(messages.map((raw) => send(raw)));

    for (const outcome of outcomes) expect([250, 452]).toContain(outcome.code);
    const stored = outcomes.flatMap((o, i) => (o.code === 250 ? [{ id: storedId(o), bytes: messages[i].length }] : []));
    const refused = outcomes.filter((o) => o.code === 452);
    // 30 MB offered at once against 8 MB: some go in, the rest are told to come back later.
    expect(stored.length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const o of refused) expect(o.response).toMatch(/^452 4\.3\.1 /);

    // Exactly the acknowledged messages are stored, each whole; the refused left no row and no file.
    const rows = await prisma.inboundMessage.findMany({
      where: { id: { gt: start } },
      select: { id: true, rawSize: true, truncated: true },
      orderBy: { id: 'asc' },
    });
    expect(rows.map((r) => r.id).sort()).toEqual(stored.map((s) => s.id).sort());
    for (const s of stored) {
      expect(await storedBytes(s.id)).toBe(s.bytes);
      expect(rows.find((r) => r.id === s.id)).toMatchObject({ rawSize: s.bytes, truncated: false });
    }
    expect(server.bytesInFlight).toBe(0);
    expect(await spoolFiles()).toEqual([]);

    // Still serving: a small message right after is stored.
    expect((await send(small('after-burst'))).response).toMatch(/^250 .*Stored as inbound \d+/);
  });

  it('refuses at MAIL FROM a declared SIZE that does not fit, and part-way a message that runs out; a small message is stored meanwhile', async () => {
    const start = await lastInboundId(prisma);
    // A slow sender holds 6 MB of the budget: its message is half-way through DATA.
    const slow = await RawSmtpClient.connect(port);
    try {
      await refusalsWhileHeld(slow, start);
    } finally {
      slow.destroy();
    }
  });

  async function refusalsWhileHeld(slow: RawSmtpClient, start: bigint) {
    await slow.startMessage('slow@mail.example', TO);
    const slowMessage = bigMessage('slow', 7 * MB);
    await slow.write(slowMessage.subarray(0, 6 * MB));
    // (Less than 6 MB: the last chunks may still be in socket buffers.)
    await waitFor(() => server.bytesInFlight >= 5 * MB, 20_000, 'the slow message to hold most of 6 MB of the budget');

    // Declares 3 MB: refused before sending a byte of it.
    const declared = await RawSmtpClient.connect(port);
    await declared.reply();
    await declared.command('EHLO client.example');
    const mailFrom = await declared.command(`MAIL FROM:<declared@mail.example> SIZE=${3 * MB}`);
    expect(mailFrom.code).toBe(452);
    expect(mailFrom.text).toMatch(/^452 4\.3\.1 /);
    await declared.quit();

    // Declares nothing, sends 3 MB: refused once the budget runs out, after its data.
    const undeclared = await send(bigMessage('undeclared', 3 * MB));
    expect(undeclared).toMatchObject({ code: 452, command: 'DATA' });
    expect(undeclared.response).toMatch(/^452 4\.3\.1 /);

    // A bounce-sized message is stored all the same (the first 64 KB of a message are outside the budget).
    const meanwhile = await send(small('meanwhile'));
    expect(meanwhile.response).toMatch(/^250 .*Stored as inbound \d+/);

    // The slow one finishes and is stored whole.
    await slow.write(slowMessage.subarray(6 * MB));
    const done = await slow.command('.');
    expect(done.text).toMatch(/^250 .*Stored as inbound \d+/);
    await slow.quit();
    const slowId = BigInt(/inbound (\d+)/.exec(done.text)![1]);
    expect(await storedBytes(slowId)).toBe(slowMessage.length);

    const rows = await prisma.inboundMessage.findMany({ where: { id: { gt: start } }, select: { id: true } });
    expect(rows.map((r) => r.id).sort()).toEqual([storedId(meanwhile), slowId].sort());
    expect(server.bytesInFlight).toBe(0);
    expect(await spoolFiles()).toEqual([]);
  }

  it('a sender that goes away mid-DATA leaves nothing stored and gives its bytes back', async () => {
    const start = await lastInboundId(prisma);
    const quitter = await RawSmtpClient.connect(port);
    await quitter.startMessage('quitter@mail.example', TO);
    await quitter.write(bigMessage('quitter', 4 * MB).subarray(0, 2 * MB));
    await waitFor(() => server.bytesInFlight >= MB, 20_000, 'the message to be spooling');
    quitter.destroy();
    await waitFor(
      async () => server.bytesInFlight === 0 && (await spoolFiles()).length === 0,
      20_000,
      'the budget given back and the spool file removed',
    );
    expect(await lastInboundId(prisma)).toBe(start);
  });
});

describe('processing big messages', () => {
  it('a batch of twelve 1.5 MB messages is classified from the first megabyte of each, past the batch window one at a time', async () => {
    const start = await lastInboundId(prisma);
    // Stored while the worker waits, so that their jobs run as one batch: 12 × 1 MB read > the 8 MB window.
    const feedback = t.app.get(JobQueue).queue(QueueName.Feedback);
    await feedback.pause();
    try {
      for (let i = 0; i < 12; i++) expect((await send(bigMessage(`batch${i}`, 1.5 * MB), `batch${i}@mail.example`)).code).toBe(250);
    } finally {
      await feedback.resume();
    }
    const rows = await waitFor(
      async () => {
        const found = await prisma.inboundMessage.findMany({
          where: { id: { gt: start } },
          select: { status: true, kind: true, subject: true, fromAddress: true },
          orderBy: { id: 'asc' },
        });
        return found.length === 12 && found.every((r) => r.status !== 'received') ? found : null;
      },
      30_000,
      'the twelve messages processed',
    );
    expect(rows).toEqual(
      Array.from({ length: 12 }, (_, i) => ({
        status: 'applied',
        kind: 'reply',
        subject: `batch${i}`,
        fromAddress: `batch${i}@mail.example`,
      })),
    );
  });
});

describe('connections per client', () => {
  it(`the ${PER_CLIENT + 1}th connection from one address gets 421; other addresses are served; a freed slot is served again`, async () => {
    // From an address of its own (127.0.0.3), so the connections of other tests do not count.
    const held: RawSmtpClient[] = [];
    for (let i = 0; i < PER_CLIENT; i++) {
      const client = await RawSmtpClient.connect(port, '127.0.0.3');
      expect((await client.reply()).code).toBe(220);
      held.push(client);
    }
    const extra = await RawSmtpClient.connect(port, '127.0.0.3');
    const refused = await extra.reply();
    expect(refused.code).toBe(421);
    expect(refused.text).toMatch(/^421 4\.7\.0 Too many connections from your address/);
    await extra.closed;

    // Another client is served meanwhile, and can send.
    expect((await send(small('other-client'), 'other@mail.example', '127.0.0.4')).response).toMatch(/^250 .*Stored as inbound \d+/);

    // Once one of the twelve leaves, the address gets a connection again.
    await held.pop()!.quit();
    const again = await waitFor(
      async () => {
        const client = await RawSmtpClient.connect(port, '127.0.0.3');
        const greeting = await client.reply();
        if (greeting.code === 220) return client;
        await client.closed;
        return null;
      },
      20_000,
      'a connection from 127.0.0.3 to be accepted again',
    );
    held.push(again);
    await Promise.all(held.map((client) => client.quit()));
  });
});
