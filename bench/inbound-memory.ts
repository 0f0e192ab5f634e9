// `npm run bench:inbound-memory -- [--messages 20] [--mib 24] [--role all]`
//
// The memory of the inbound intake under a flood of maximum-size messages. Starts Otklik as
// `npm start` does (`node --max-old-space-size=512 dist/src/main.js`, role `all` by default:
// the inbound SMTP server and the worker that processes what it stores, in one process) on a
// scratch database (otklik_bench_inbound_memory), with the default limits, then sends N
// concurrent messages of M MiB (a reply with a base64 attachment), each on its own connection,
// spread over loopback addresses 127.0.0.1, .2, … (5 per address) so that the per-client
// connection limit (10) lets them all in and the bytes-in-flight budget decides. Meanwhile a
// small message is sent every 250 ms from 127.0.1.1, to show the server still serves. Samples the server's RSS
// (/proc/<pid>/status, every 50 ms) until the stored messages are processed, and prints its
// peak (VmHWM), how many big messages were stored and how many refused with a 4xx. The last
// line: `inbound-memory: peak_rss_mb: <n>, …`. Exits non-zero if a message got anything but
// 250 or a 4xx, or a small message was not stored. BENCH_NODE_ARGS: more node flags for the server.

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import nodemailer from 'nodemailer';
import { Client } from 'pg';
import { dropDatabase, ensureDatabase, withDatabase } from '../src/database/database-admin';
import { applyMigrations } from '../src/database/schema-engine';

const ROOT = path.resolve(__dirname, '../..');
const NODE = path.join(ROOT, 'node_modules/.bin/node');

function flag(name: string, fallback: string): string {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
}

const MESSAGES = Number(flag('messages', '20'));
const MIB = Number(flag('mib', '24'));
const ROLE = flag('role', 'all');
const SERVER = process.env.BENCH_DATABASE_SERVER ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const DATABASE_URL = withDatabase(SERVER, 'otklik_bench_inbound_memory');
const TO = 'news@shop.example';
const SAMPLE_MS = 50;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** kB figures of /proc/<pid>/status (VmRSS, VmHWM), in MB; NaN once the process is gone. */
function memoryOf(pid: number): { rss: number; hwm: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
}

/** One message of `bytes` (give or take a line): a reply with an attachment. */
function bigMessage(bytes: number): Buffer {
  const head = [
    'From: buyer@company.example',
    `To: ${TO}`,
    'Subject: Re: Прайс',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Добрый день, заявка во вложении.',
    '--b',
    'Content-Type: application/octet-stream; name="scan.tif"',
    'Content-Transfer-Encoding: base64',
    '',
    '',
  ].join('\r\n');
  const tail = '\r\n--b--\r\n';
  const line = `${'SUkqAAgAAAAQAP4ABAABAAAAAAAAAAABBAABAAAA'.repeat(2).slice(0, 76)}\r\n`;
  const lines = Math.floor((bytes - head.length - tail.length) / line.length);
  return Buffer.from(head + line.repeat(lines) + tail);
}

const smallMessage = (i: number) =>
  Buffer.from(`From: buyer@company.example\r\nTo: ${TO}\r\nSubject: Re: Прайс ${i}\r\n\r\nПришлите цену, пожалуйста.\r\n`);

interface Outcome {
  code: number;
  ms: number;
}

async function send(port: number, raw: Buffer, localAddress: string): Promise<Outcome> {
  const started = Date.now();
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    localAddress,
    socketTimeout: 120_000,
  });
  try {
    const info = await transport.sendMail({ envelope: { from: 'buyer@company.example', to: [TO] }, raw });
    return { code: Number(info.response.slice(0, 3)), ms: Date.now() - started };
  } catch (error) {
    return { code: (error as { responseCode?: number }).responseCode ?? 0, ms: Date.now() - started };
  } finally {
    transport.close();
  }
}

/** Starts the server and resolves once it logs that it listens (it logs JSON lines). */
async function startServer(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(
    NODE,
    [
      '--max-old-space-size=512',
      ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      path.join(ROOT, 'dist/src/main.js'),
      '--role',
      ROLE,
    ],
    {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the server exited with ${code} before it listened`)));
    lines.on('line', (line) => {
      if (/Otklik listening|Otklik \w+ started/.test(line)) resolve();
      else if (/"level":"(warn|error)"/.test(line)) console.log(`  server: ${line}`);
    });
  });
  return child;
}

async function main(): Promise<void> {
  const size = Math.round(MIB * 1024 * 1024);
  console.log(
    `bench:inbound-memory: ${MESSAGES} concurrent messages of ${MIB} MiB, server role ${ROLE}, load average before ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
  );
  await dropDatabase(DATABASE_URL);
  await ensureDatabase(DATABASE_URL);
  await applyMigrations(DATABASE_URL);
  const spoolDir = mkdtempSync(path.join(tmpdir(), 'otklik-bench-spool-'));
  const smtpPort = await freePort();
  const server = await startServer({
    DATABASE_URL,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `otklik-bench-inbound-memory-${process.pid}`,
    SECRET_KEY: 'bench-secret-'.padEnd(48, 'x'),
    MAIL_FROM: TO,
    BOUNCE_DOMAIN: 'bounces.shop.example',
    LOG_LEVEL: 'info',
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    INBOUND_SMTP_PORT: String(smtpPort),
    INBOUND_SMTP_HOST: '127.0.0.1',
    INBOUND_SPOOL_DIR: spoolDir,
  });
  const pid = server.pid as number;
  const db = new Client({ connectionString: DATABASE_URL });
  await db.connect();

  let peakSampled = 0;
  const sampler = setInterval(() => {
    const { rss } = memoryOf(pid);
    if (rss > peakSampled) peakSampled = rss;
  }, SAMPLE_MS);
  const idle = memoryOf(pid).rss;
  console.log(`server pid ${pid} started: RSS ${idle.toFixed(0)} MB`);

  const raw = bigMessage(size);
  let sending = true;
  const small: Outcome[] = [];
  const prober = (async () => {
    for (let i = 0; sending; i++) {
      small.push(await send(smtpPort, smallMessage(i), '127.0.1.1'));
      if (sending) await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  const started = Date.now();
  const big = await Promise.all(Array.from({ length: MESSAGES }, (_, i) => send(smtpPort, raw, `127.0.0.${1 + Math.floor(i / 5)}`)));
  sending = false;
  await prober;
  const seconds = (Date.now() - started) / 1000;
  const stored = big.filter((o) => o.code === 250).length;
  const refused = big.filter((o) => o.code >= 400 && o.code < 500);
  const other = big.filter((o) => o.code !== 250 && !(o.code >= 400 && o.code < 500));
  const codes = [...new Set(refused.map((o) => o.code))]
    .map((code) => `${code}×${refused.filter((o) => o.code === code).length}`)
    .join(', ');
  console.log(
    `sent in ${seconds.toFixed(1)} s: ${stored} stored (250), ${refused.length} refused with a 4xx (${codes || 'none'}), ${other.length} other`,
  );
  const smallOk = small.filter((o) => o.code === 250).length;
  console.log(
    `small messages during the run: ${smallOk}/${small.length} stored, slowest answer ${Math.max(0, ...small.map((o) => o.ms))} ms`,
  );
  console.log(`server RSS after intake: ${memoryOf(pid).rss.toFixed(0)} MB`);

  // The worker (role all) processes what was stored: that is part of the bound too.
  if (ROLE === 'all') {
    const processStarted = Date.now();
    for (;;) {
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM inbound_messages WHERE status = 'received'`);
      if (rows[0].n === 0) break;
      if (Date.now() - processStarted > 300_000) throw new Error(`${rows[0].n} messages still unprocessed after 5 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const { rows } = await db.query<{ status: string; kind: string | null; n: number }>(
      `SELECT status::text, kind::text, count(*)::int AS n FROM inbound_messages GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    console.log(
      `processed in ${((Date.now() - processStarted) / 1000).toFixed(1)} s: ${rows.map((r) => `${r.status}/${r.kind ?? '-'}=${r.n}`).join(', ')}`,
    );
  }
  clearInterval(sampler);
  const { rss, hwm } = memoryOf(pid);
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(
    `server RSS: idle ${idle.toFixed(0)} MB, peak sampled every ${SAMPLE_MS} ms ${peakSampled.toFixed(0)} MB, VmHWM ${hwm.toFixed(0)} MB, at the end ${rss.toFixed(0)} MB; load average ${load}`,
  );

  await db.end();
  server.kill('SIGTERM');
  await once(server, 'exit');
  rmSync(spoolDir, { recursive: true, force: true });
  if (!process.argv.includes('--keep')) await dropDatabase(DATABASE_URL);
  console.log(
    `inbound-memory: peak_rss_mb: ${hwm.toFixed(0)}, stored: ${stored}, refused_4xx: ${refused.length}, other: ${other.length}, small_stored: ${smallOk}/${small.length}`,
  );
  process.exit(other.length === 0 && smallOk === small.length && small.length > 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
