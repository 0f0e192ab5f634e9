// `npm run bench:inbound -- [--messages N] [--customers C] [--connections K]`
//
// Measures the feedback loop through its real path: inbound SMTP (api role, this process)
// stores each message and queues its job; a worker process (`--role worker`) parses,
// classifies, correlates and applies it in one transaction. Seeds C customers with a sent
// campaign message each in a scratch database (otklik_bench_inbound), then sends N messages
// over K SMTP connections to VERP and reply addresses: generated DSNs (hard and soft), ARF
// complaints, out-of-office notes, Russian lead replies, and the real bounces of
// an optional corpus outside the repository, ../shared/corpora/bounces-sisimai/eml (sisimai's
// set-of-emails), when that folder is there (read in place, never copied; without it the bench
// says so and uses generated messages only).
// Intake runs with the feedback queue paused, so the processing figure is processing alone.
// The last line is: `inbound: <msg/s> msg/s` (parsed, classified and applied per second).

import '../src/common/bigint-json';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { createOtklik } from '../src/app.factory';
import { JsonLogger } from '../src/common/json-logger';
import { headerMessageId, verpAddress } from '../src/common/mail-ids';
import { parseEnv } from '../src/config/env';
import { dropDatabase, ensureDatabase, withDatabase } from '../src/database/database-admin';
import { PrismaService } from '../src/database/prisma.service';
import { applyMigrations } from '../src/database/schema-engine';
import { InboundSmtpServer } from '../src/feedback/intake/inbound-smtp.server';
import { QueueName } from '../src/queue/job-catalogue';
import { JobQueue } from '../src/queue/job-queue';

const ROOT = path.resolve(__dirname, '../..');
const NODE = path.join(ROOT, 'node_modules/.bin/node');
const CORPUS = path.resolve(ROOT, '../shared/corpora/bounces-sisimai/eml');
const BOUNCE_DOMAIN = 'bounces.shop.example';

function flag(name: string, fallback: number): number {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
}

const MESSAGES = flag('messages', 20_000);
const CUSTOMERS = flag('customers', 20_000);
const CONNECTIONS = flag('connections', 8);
const SERVER = process.env.BENCH_DATABASE_SERVER ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const DATABASE_URL = withDatabase(SERVER, 'otklik_bench_inbound');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU seconds a process has used (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// ── the messages ─────────────────────────────────────────────────────────────

// The MAC'd ids our mail carries (common/mail-ids.ts), made with the bench's key.
const SECRET_KEY = 'bench-secret-'.padEnd(48, 'x');
const verp = (id: bigint) => verpAddress(SECRET_KEY, BOUNCE_DOMAIN, id);
const ourMessageId = (id: bigint) => headerMessageId(SECRET_KEY, BOUNCE_DOMAIN, id);

function original(id: bigint, to: string): string {
  return `Return-Path: <${verp(id)}>\r\nFrom: news@shop.example\r\nTo: ${to}\r\nSubject: Sale\r\nMessage-ID: <${ourMessageId(id)}>\r\n`;
}

function dsn(id: bigint, to: string, status: string, diagnostic: string): string {
  return [
    'From: MAILER-DAEMON@mx.mail.example',
    `To: ${verp(id)}`,
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
    '',
    '--B',
    'Content-Type: text/plain',
    '',
    `<${to}>: ${diagnostic}`,
    '',
    '--B',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.mail.example',
    '',
    `Final-Recipient: rfc822; ${to}`,
    `Action: failed`,
    `Status: ${status}`,
    `Diagnostic-Code: smtp; ${diagnostic}`,
    '',
    '--B',
    'Content-Type: text/rfc822-headers',
    '',
    original(id, to),
    '--B--',
    '',
  ].join('\r\n');
}

function arf(id: bigint, to: string): string {
  return [
    'From: fbl@mail.example',
    `To: abuse@${BOUNCE_DOMAIN}`,
    'Subject: FBL report',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=feedback-report; boundary="A"',
    '',
    '--A',
    'Content-Type: text/plain',
    '',
    'An abuse report.',
    '',
    '--A',
    'Content-Type: message/feedback-report',
    '',
    'Feedback-Type: abuse',
    'Version: 1',
    `Original-Rcpt-To: <${to}>`,
    '',
    '--A',
    'Content-Type: message/rfc822',
    '',
    original(id, to),
    '',
    'Sale!',
    '--A--',
    '',
  ].join('\r\n');
}

function replyMessage(id: bigint, from: string, subject: string, body: string, extra = ''): string {
  return `From: ${from}\r\nTo: news@shop.example\r\nSubject: =?UTF-8?B?${Buffer.from(subject).toString('base64')}?=\r\nIn-Reply-To: <${ourMessageId(id)}>\r\n${extra}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(body).toString('base64')}\r\n`;
}

interface Outgoing {
  to: string;
  from: string;
  raw: Buffer;
}

function buildMessages(messageIds: bigint[], emails: string[], corpus: Buffer[]): Outgoing[] {
  const out: Outgoing[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    const k = i % messageIds.length;
    const id = messageIds[k];
    const email = emails[k];
    const to = verp(id);
    const slot = i % 20;
    let message: Outgoing;
    if (slot < 7) message = { to, from: '', raw: Buffer.from(dsn(id, email, '5.1.1', '550 5.1.1 User unknown')) };
    else if (slot < 11) message = { to, from: '', raw: Buffer.from(dsn(id, email, '4.2.2', '452 4.2.2 Mailbox full')) };
    else if (slot < 13) message = { to: `abuse@${BOUNCE_DOMAIN}`, from: 'fbl@mail.example', raw: Buffer.from(arf(id, email)) };
    else if (slot < 16)
      message = {
        to: 'news@shop.example',
        from: email,
        raw: Buffer.from(
          replyMessage(
            id,
            email,
            'Автоответ: Sale',
            'Я в отпуске до 1 декабря, отвечу по возвращении.',
            'Auto-Submitted: auto-replied\r\n',
          ),
        ),
      };
    else if (slot < 18 || corpus.length === 0)
      message = {
        to: 'news@shop.example',
        from: email,
        raw: Buffer.from(
          replyMessage(
            id,
            email,
            'Re: Sale',
            `Добрый день, пришлите цену на ${1 + (i % 50)} коробок бумаги А4.\r\n\r\nС уважением, Иван\r\n\r\n> Sale!`,
          ),
        ),
      };
    else message = { to, from: '', raw: corpus[i % corpus.length] };
    out.push(message);
  }
  return out;
}

function loadCorpus(): Buffer[] {
  if (!existsSync(CORPUS)) {
    console.log(`corpus not found at ${CORPUS}: generated messages only`);
    return [];
  }
  const files = readdirSync(CORPUS)
    .filter((f) => f.endsWith('.eml'))
    .sort();
  return files.map((f) => readFileSync(path.join(CORPUS, f)));
}

// ── the run ──────────────────────────────────────────────────────────────────

async function seed(prisma: PrismaService): Promise<{ ids: bigint[]; emails: string[] }> {
  await prisma.$executeRawUnsafe(
    `INSERT INTO customers (first_name, last_name, email, updated_at) SELECT 'Иван', 'Клиент' || g, 'inbound.' || g || '@mail.example', now() FROM generate_series(1, $1::int) g`,
    CUSTOMERS,
  );
  await prisma.$executeRawUnsafe(
    `INSERT INTO consents (customer_id, channel, status, source) SELECT id, 'email', 'opted_in', 'bench' FROM customers`,
  );
  const template = await prisma.template.findFirstOrThrow({ where: { key: 'b2c-promo', channel: 'email' }, select: { id: true } });
  const campaign = await prisma.campaign.create({
    data: { name: 'bench inbound', channel: 'email', status: 'completed', templateId: template.id },
    select: { id: true },
  });
  await prisma.$executeRawUnsafe(
    `INSERT INTO messages (channel, campaign_id, customer_id, status, sent_at) SELECT 'email', $1, id, 'sent', now() FROM customers ORDER BY id`,
    campaign.id,
  );
  const sent = await prisma.$queryRawUnsafe<Array<{ id: bigint }>>(`SELECT id FROM messages ORDER BY id`);
  for (let i = 0; i < sent.length; i += 5000) {
    const ids = sent.slice(i, i + 5000).map((r) => r.id);
    await prisma.$executeRawUnsafe(
      `UPDATE messages m SET header_message_id = v.h FROM unnest($1::bigint[], $2::text[]) AS v(id, h) WHERE m.id = v.id`,
      ids,
      ids.map(ourMessageId),
    );
  }
  await prisma.$executeRawUnsafe(`ANALYZE customers; ANALYZE messages; ANALYZE consents`);
  const rows = await prisma.$queryRawUnsafe<Array<{ id: bigint; email: string }>>(
    `SELECT m.id, c.email FROM messages m JOIN customers c ON c.id = m.customer_id ORDER BY m.id`,
  );
  return { ids: rows.map((r) => r.id), emails: rows.map((r) => r.email) };
}

async function send(port: number, messages: Outgoing[]): Promise<number> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: CONNECTIONS,
    maxMessages: Infinity,
  });
  let next = 0;
  let failed = 0;
  const lanes = Array.from({ length: CONNECTIONS }, async () => {
    while (next < messages.length) {
      const m = messages[next++];
      try {
        await transport.sendMail({ envelope: { from: m.from, to: [m.to] }, raw: m.raw });
      } catch {
        failed++;
      }
    }
  });
  await Promise.all(lanes);
  transport.close();
  return failed;
}

async function main(): Promise<void> {
  console.log(`bench:inbound: ${MESSAGES} messages, ${CUSTOMERS} customers, ${CONNECTIONS} SMTP connections`);
  await dropDatabase(DATABASE_URL);
  await ensureDatabase(DATABASE_URL);
  await applyMigrations(DATABASE_URL);
  const shared = {
    DATABASE_URL,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `otklik-bench-inbound-${process.pid}`,
    SECRET_KEY,
    MAIL_FROM: 'news@shop.example',
    BOUNCE_DOMAIN,
    LOG_LEVEL: 'warn',
  };
  const smtpPort = await freePort();
  const app = await createOtklik(
    parseEnv({ ...shared, OTKLIK_ROLE: 'api', PORT: '0', INBOUND_SMTP_PORT: String(smtpPort) }),
    new JsonLogger('warn', 'api'),
  );
  await app.init();
  const prisma = app.get(PrismaService);
  const port = app.get(InboundSmtpServer).port as number;
  const feedbackQueue = app.get(JobQueue).queue(QueueName.Feedback);
  const { ids, emails } = await seed(prisma);
  const corpus = loadCorpus();
  const messages = buildMessages(ids, emails, corpus);
  const bytes = messages.reduce((sum, m) => sum + m.raw.length, 0);
  console.log(
    `seeded ${ids.length} sent messages; ${messages.length} inbound messages to send (${(bytes / 1024 / 1024).toFixed(1)} MB, ${corpus.length} corpus files in the mix)`,
  );

  const worker: ChildProcess = spawn(
    NODE,
    [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), path.join(ROOT, 'dist/src/main.js'), '--role', 'worker'],
    {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...shared },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  await feedbackQueue.pause();
  await sleep(3000);

  // Intake alone: stored and queued, nothing processed yet.
  const intakeStarted = Date.now();
  const failed = await send(port, messages);
  const intakeSeconds = (Date.now() - intakeStarted) / 1000;
  const stored = await prisma.inboundMessage.count();
  console.log(
    `intake: ${stored} stored in ${intakeSeconds.toFixed(1)} s = ${(stored / intakeSeconds).toFixed(0)} msg/s over SMTP (${failed} refused)`,
  );

  // Processing alone: parse, classify, correlate, apply.
  const started = Date.now();
  const workerCpuBefore = cpuSeconds(worker.pid as number);
  await feedbackQueue.resume();
  let last = 0;
  for (;;) {
    await sleep(250);
    const left = await prisma.inboundMessage.count({ where: { status: 'received' } });
    if (Date.now() - last > 5000) {
      console.log(`  ${((Date.now() - started) / 1000).toFixed(0)} s: ${stored - left} processed`);
      last = Date.now();
    }
    if (left === 0) break;
  }
  const seconds = (Date.now() - started) / 1000;
  const workerCpu = cpuSeconds(worker.pid as number) - workerCpuBefore;
  console.log(
    `processing: ${stored} in ${seconds.toFixed(1)} s; worker CPU ${workerCpu.toFixed(1)} s = ${((workerCpu / stored) * 1000).toFixed(2)} ms per message; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
  );
  const statuses = await prisma.inboundMessage.groupBy({ by: ['status', 'kind'], _count: true });
  const actions = await prisma.cleanupLogEntry.groupBy({ by: ['action'], _count: true });
  console.log(`inbound rows: ${statuses.map((s) => `${s.status}/${s.kind ?? '-'}=${s._count}`).join(', ')}`);
  console.log(
    `cleanup log: ${actions.map((a) => `${a.action}=${a._count}`).join(', ')}; suppressions ${await prisma.suppression.count()}, leads ${await prisma.lead.count()}, complaints ${await prisma.complaint.count()}`,
  );

  worker.kill('SIGTERM');
  await app.close();
  if (!process.argv.includes('--keep')) await dropDatabase(DATABASE_URL);
  console.log(`inbound: ${(stored / seconds).toFixed(0)} msg/s`);
  process.exit(stored === MESSAGES - failed ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
