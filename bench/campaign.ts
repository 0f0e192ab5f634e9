// `npm run bench:campaign -- [--recipients N] [--naive-sample M] [--workers W] [--shared-tx-worker] [--bulk-nice N] [--keep]`
//
// Seeds N consenting customers in a scratch database (otklik_bench_campaign), starts Debian's
// smtp-sink on loopback, and runs a real campaign through the queues: a worker process
// (`--role worker`) freezes the audience, feeds the bulk lane and sends to the sink; a second
// worker (WORKER_QUEUES=transactional) serves the transactional lane, and the bulk worker runs
// at nice 10 (--bulk-nice), as docs/operations.md advises. While it
// runs, the bench posts an order event every 100 ms (EventsService, as POST /events/orders does)
// with an order-created trigger active, and measures from that call until the notification was
// accepted by the sink (tx_p99_ms). In the same run, the baseline: a
// naive loop of `nodemailer.sendMail` (one await per message, Handlebars-rendered HTML and the
// same attachment) over M of the same messages to the same sink, in its own process
// (bench/naive-loop.ts), so this process's memory is the API's.
// The last line is:
// `campaign: <msg/s> msg/s, naive: <msg/s> msg/s, ratio: <x>, peak_rss_mb: <MB>, tx_p99_ms: <ms>`

import '../src/common/bigint-json';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, setPriority } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createOtklik } from '../src/app.factory';
import { CampaignsService } from '../src/campaigns/campaigns.service';
import { DocumentsService } from '../src/documents/documents.service';
import { JsonLogger } from '../src/common/json-logger';
import { parseEnv } from '../src/config/env';
import { dropDatabase, ensureDatabase, withDatabase } from '../src/database/database-admin';
import { PrismaService } from '../src/database/prisma.service';
import { applyMigrations } from '../src/database/schema-engine';
import { orderEvent, orderNotificationTrigger } from './order-contract';
import { EventsService } from '../src/triggers/events.service';
import { TriggersService } from '../src/triggers/triggers.service';
import { TemplatesService } from '../src/templates/templates.service';
import type { NaiveLoopInput, NaiveLoopResult } from './naive-loop';

const ROOT = path.resolve(__dirname, '../..');
const NODE = path.join(ROOT, 'node_modules/.bin/node');
/**
 * The Node flags of `npm run start:worker` (package.json): the workers run as the npm scripts
 * start them (docs/operations.md), heap limit included.
 */
const WORKER_NODE_FLAGS = ((): string[] => {
  const words = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts[
    'start:worker'
  ].split(/\s+/);
  return words.slice(words.indexOf('node') + 1, words.indexOf('dist/src/main.js'));
})();
const SMTP_SINK = ['/usr/sbin/smtp-sink', '/usr/lib/postfix/sbin/smtp-sink'].find((p) => existsSync(p));

function flag(name: string, fallback: number): number {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
}

const RECIPIENTS = flag('recipients', 100_000);
/** The byte the bench's price list is made of (the naive loop builds the same one). */
const PRICE_LIST_FILL = 7;
const NAIVE_SAMPLE = Math.min(RECIPIENTS, flag('naive-sample', 5_000));
const WORKERS = flag('workers', 1);
/** --shared-tx-worker: the transactional lane in the same processes as bulk (default: a worker of its own). */
const TX_WORKER = !process.argv.includes('--shared-tx-worker');
const BULK_NICE = flag('bulk-nice', 10);
const KEEP = process.argv.includes('--keep');
const SERVER = process.env.BENCH_DATABASE_SERVER ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const DATABASE_URL = withDatabase(SERVER, 'otklik_bench_campaign');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Transactions committed in the bench database so far (every autocommit statement is one). */
async function databaseTransactions(prisma: PrismaService): Promise<number> {
  const [row] = await prisma.$queryRaw<
    Array<{ n: bigint }>
  >`SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()`;
  return Number(row.n);
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks
  } catch {
    return 0;
  }
}

/** Every process's command name and CPU seconds so far, by pid (to see where a run's CPU went). */
function processCpu(): Map<number, { comm: string; cpu: number }> {
  const result = new Map<number, { comm: string; cpu: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      result.set(Number(entry), { comm, cpu: (Number(fields[11]) + Number(fields[12])) / 100 });
    } catch {
      // gone meanwhile
    }
  }
  return result;
}

/** CPU used between two snapshots, by process group: the bulk workers, this bench, and by command name. */
function cpuBreakdown(
  before: Map<number, { comm: string; cpu: number }>,
  after: Map<number, { comm: string; cpu: number }>,
  groups: Map<number, string>,
): string {
  const totals = new Map<string, number>();
  for (const [pid, { comm, cpu }] of after) {
    const used = cpu - (before.get(pid)?.cpu ?? 0);
    if (used <= 0) continue;
    const group = groups.get(pid) ?? comm;
    totals.set(group, (totals.get(group) ?? 0) + used);
  }
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([group, cpu]) => `${group} ${cpu.toFixed(1)} s`)
    .join(', ');
}

function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function seed(prisma: PrismaService, n: number): Promise<void> {
  const started = Date.now();
  await prisma.$executeRawUnsafe(`ALTER TABLE customers SET UNLOGGED`).catch(() => undefined);
  for (let from = 1; from <= n; from += 200_000) {
    const to = Math.min(n, from + 199_999);
    await prisma.$executeRawUnsafe(
      `INSERT INTO customers (first_name, patronymic, last_name, email, tags, locale, time_zone, updated_at)
       SELECT (ARRAY['Анна','Иван','Мария','Алексей','Ольга','Emily','James'])[1 + g % 7], CASE WHEN g % 3 = 0 THEN 'Сергеевна' END,
              'Клиент' || g, 'bench.' || g || '@example.com', ARRAY['bench'], CASE WHEN g % 5 = 0 THEN 'en' ELSE 'ru' END, 'Europe/Moscow', now()
         FROM generate_series($1::int, $2::int) g`,
      from,
      to,
    );
  }
  await prisma.$executeRawUnsafe(`ALTER TABLE customers SET LOGGED`).catch(() => undefined);
  await prisma.$executeRawUnsafe(
    `INSERT INTO consents (customer_id, channel, status, source) SELECT id, 'email', 'opted_in', 'bench' FROM customers`,
  );
  await prisma.$executeRawUnsafe(`ANALYZE customers; ANALYZE consents`);
  console.log(`seeded ${n} customers in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function startSink(port: number): ChildProcess {
  if (!SMTP_SINK) throw new Error("smtp-sink not found: install Debian's postfix package (apt-get install postfix)");
  // -u nobody: it refuses to run as root; backlog 1024 connections.
  return spawn(SMTP_SINK, ['-u', 'nobody', `127.0.0.1:${port}`, '1024'], { stdio: 'ignore' });
}

/** The naive loop, in a process of its own (bench/naive-loop.ts). */
async function naiveBaseline(input: NaiveLoopInput): Promise<NaiveLoopResult> {
  const { stdout } = await promisify(execFile)(NODE, [path.join(ROOT, 'dist/bench/naive-loop.js'), JSON.stringify(input)]);
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as NaiveLoopResult;
}

async function main(): Promise<void> {
  console.log(
    `bench:campaign: ${RECIPIENTS} recipients, naive sample ${NAIVE_SAMPLE}, ${WORKERS} worker process(es)` +
      (TX_WORKER ? ' for bulk and campaigns plus one for the transactional lane (WORKER_QUEUES)' : ' for every queue') +
      `, started as npm run start:worker does (node ${WORKER_NODE_FLAGS.join(' ') || 'without flags'})`,
  );
  await dropDatabase(DATABASE_URL);
  await ensureDatabase(DATABASE_URL);
  await applyMigrations(DATABASE_URL);
  const sinkPort = await freePort();
  const sink = startSink(sinkPort);
  await sleep(300);

  const secret = 'bench-secret-'.padEnd(48, 'x');
  const shared = {
    DATABASE_URL,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `otklik-bench-${process.pid}`,
    SECRET_KEY: secret,
    SMTP_URL: `smtp://127.0.0.1:${sinkPort}`,
    MAIL_FROM: 'news@shop.example',
    BOUNCE_DOMAIN: 'bounces.shop.example',
    FREQUENCY_CAP_PER_WEEK: '0',
    LOG_LEVEL: 'warn',
    // e.g. SMTP_MAX_CONNECTIONS=32 BULK_CONCURRENCY=256 npm run bench:campaign: the workers' settings.
    ...Object.fromEntries(
      ['SMTP_MAX_CONNECTIONS', 'BULK_CONCURRENCY'].flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])),
    ),
  };
  // BENCH_WORKER_LOG=debug shows the workers' log, with the mean time of each send step.
  const workerLog = process.env.BENCH_WORKER_LOG;
  // This process: the API side (creates the campaign, sends the transactional probes).
  const env = parseEnv({ ...shared, OTKLIK_ROLE: 'api', PORT: '0' });
  const app = await createOtklik(env, new JsonLogger('warn', 'api'));
  await app.init();
  // This process's resident memory at each stage before the run, for the peak breakdown.
  const stages: string[] = [];
  const noteStage = (stage: string) => stages.push(`${stage} ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`);
  noteStage('started (default templates compiled into the new database)');
  const prisma = app.get(PrismaService);
  const templates = app.get(TemplatesService);
  const campaigns = app.get(CampaignsService);
  const events = app.get(EventsService);
  await app.get(TriggersService).create(orderNotificationTrigger('created'));
  await seed(prisma, RECIPIENTS);
  noteStage('seeded');

  const priceList = Buffer.alloc(40 * 1024, PRICE_LIST_FILL); // a 40 KB "price list"
  const attachment = await app
    .get(DocumentsService)
    .storeAttachment({ filename: 'price-list.pdf', contentType: 'application/pdf', data: priceList });
  const template = await prisma.template.findFirstOrThrow({ where: { key: 'b2c-promo', channel: 'email' } });
  const segment = await prisma.segment.create({ data: { name: 'bench', rules: { field: 'tags', op: 'has', value: 'bench' } } });
  const version = await templates.resolveVersion('b2c-promo', 'ru');

  const naiveRun = await naiveBaseline({
    databaseUrl: DATABASE_URL,
    sinkPort,
    versionId: version.versionId,
    sample: NAIVE_SAMPLE,
    attachmentBytes: priceList.length,
    attachmentFill: PRICE_LIST_FILL,
    locale: env.DEFAULT_LOCALE,
    timeZone: env.DEFAULT_TIME_ZONE,
  });
  const naive = naiveRun.rate;
  console.log(
    `naive nodemailer.sendMail loop: ${naive.toFixed(0)} msg/s over ${naiveRun.messages} messages (its own process, peak RSS ${naiveRun.peakRssMb.toFixed(0)} MB)`,
  );
  noteStage('after the naive loop');
  console.log(`bench process RSS: ${stages.join(', ')}`);

  const workers: ChildProcess[] = [];
  const startWorker = (queues: string | undefined) =>
    // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the workers.
    spawn(
      NODE,
      [
        ...WORKER_NODE_FLAGS,
        ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
        path.join(ROOT, 'dist/src/main.js'),
        '--role',
        'worker',
      ],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/tmp',
          ...shared,
          ...(workerLog ? { LOG_LEVEL: workerLog } : {}),
          ...(queues ? { WORKER_QUEUES: queues } : {}),
        },
        stdio: ['ignore', workerLog ? 'inherit' : 'ignore', 'inherit'],
      },
    );
  for (let i = 0; i < WORKERS; i++) workers.push(startWorker(TX_WORKER ? 'bulk,campaigns,feedback,maintenance' : undefined));
  // Bulk workers at a lower CPU priority, as docs/operations.md advises on a host they share with
  // the API and the transactional worker (Roles); --bulk-nice 0 runs them at normal priority.
  if (BULK_NICE) for (const worker of workers) setPriority(worker.pid as number, BULK_NICE);
  // The bulk workers alone count towards peak RSS and CPU per message; this one is reported apart.
  const txWorker = TX_WORKER ? startWorker('transactional') : null;
  await sleep(3000);
  // A running server is warm: its templates compiled, its connections open. Three order events
  // before the campaign, not measured, do that for the probes.
  for (let n = 0; n < 3; n++) {
    const { notifications } = await events.orderEvent(orderEvent(1_000_000 + n, 1 + n, 'created'));
    const id = notifications[0]?.messageId;
    if (id) await waitUntil(async () => (await prisma.message.findUnique({ where: { id: BigInt(id) } }))?.sentAt != null, 30_000);
  }

  const campaign = await campaigns.create({
    name: 'bench',
    channel: 'email',
    templateId: template.id,
    segmentId: segment.id,
    attachmentIds: [attachment.id],
    schedule: { kind: 'now' },
  });
  // Peak resident memory by process, for the breakdown line; the last line gives the largest.
  const peakByProcess = new Map<string, number>();
  const notePeak = (name: string, mb: number) => peakByProcess.set(name, Math.max(peakByProcess.get(name) ?? 0, mb));
  const probes: Array<{ messageId: bigint; calledAt: number }> = [];
  let done = false;
  const transactionsBefore = await databaseTransactions(prisma);
  const cpuBefore = processCpu();
  const started = Date.now();
  await campaigns.schedule(campaign.id);
  // The shop's webhook: an order created every 100 ms, each notified through the order trigger.
  const probing = (async () => {
    let n = 0;
    while (!done) {
      const customerId = 1 + ((n * 7919) % RECIPIENTS);
      const calledAt = Date.now();
      const { notifications } = await events.orderEvent(orderEvent(n, customerId, 'created'));
      for (const notification of notifications)
        if (notification.messageId) probes.push({ messageId: BigInt(notification.messageId), calledAt });
      n++;
      await sleep(100);
    }
  })();
  let lastReport = 0;
  for (;;) {
    await sleep(500);
    for (const worker of workers) notePeak('bulk worker', rssMb(worker.pid as number));
    if (txWorker) notePeak('transactional worker', rssMb(txWorker.pid as number));
    notePeak('bench process (API, order events; seeded before)', process.memoryUsage().rss / 1024 / 1024);
    const [run] = await prisma.campaignRun.findMany({ where: { campaignId: campaign.id } });
    if (Date.now() - lastReport > 5000) {
      const sent = await prisma.message.count({ where: { campaignId: campaign.id, status: 'sent' } });
      console.log(
        `  ${((Date.now() - started) / 1000).toFixed(0)} s: run ${run?.status ?? 'not started'}, ${sent} sent, worker rss ${workers.map((w) => rssMb(w.pid as number).toFixed(0)).join('/')} MB` +
          `, bench process rss ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`,
      );
      lastReport = Date.now();
    }
    if (run && (run.status === 'completed' || run.status === 'failed')) break;
  }
  const elapsed = (Date.now() - started) / 1000;
  const cpuAfter = processCpu();
  done = true;
  await probing;
  await sleep(1000);

  const counts = await prisma.message.groupBy({ by: ['status'], where: { campaignId: campaign.id }, _count: true });
  const sent = counts.find((c) => c.status === 'sent')?._count ?? 0;
  const calledAt = new Map(probes.map((p) => [p.messageId, p.calledAt]));
  const tx = await prisma.message.findMany({ where: { id: { in: [...calledAt.keys()] } }, select: { id: true, sentAt: true } });
  // From the webhook call to the sink's acceptance (sent_at is stamped once the relay said 250).
  const latencies = tx.filter((m) => m.sentAt).map((m) => (m.sentAt as Date).getTime() - (calledAt.get(m.id) as number));
  console.log(
    `campaign statuses: ${counts.map((c) => `${c.status}=${c._count}`).join(', ')}; order events: ${latencies.length}/${probes.length} notifications sent, p50 ${percentile(latencies, 50)} ms, p90 ${percentile(latencies, 90)} ms, max ${Math.max(...latencies)} ms`,
  );

  // CPU per message says more than msg/s on a shared machine: the wall clock counts other work too.
  // Statements are what batching saves: each is a round trip and a wake-up of a backend.
  const transactions = (await databaseTransactions(prisma)) - transactionsBefore;
  console.log(`database: ${transactions} transactions during the run, ${(transactions / Math.max(sent, 1)).toFixed(2)} per message`);
  const groups = new Map<number, string>([
    [process.pid, 'bench (API, order events)'],
    ...workers.map((w) => [w.pid as number, 'bulk worker'] as [number, string]),
  ]);
  if (txWorker) groups.set(txWorker.pid as number, 'transactional worker');
  console.log(
    `CPU during the run (${elapsed.toFixed(0)} s on ${availableParallelism()} cores): ${cpuBreakdown(cpuBefore, cpuAfter, groups)}`,
  );
  console.log(`peak RSS: ${[...peakByProcess].map(([name, mb]) => `${name} ${mb.toFixed(0)} MB`).join(', ')}`);
  const workerCpu = workers.reduce((sum, w) => sum + cpuSeconds(w.pid as number), 0);
  console.log(
    `worker CPU: ${workerCpu.toFixed(1)} s for ${sent} messages, ${((workerCpu * 1000) / Math.max(sent, 1)).toFixed(2)} ms per message; load average ${loadavg()[0].toFixed(2)}`,
  );
  // The workers finish their jobs and exit before the database goes away under them.
  await Promise.all(
    workers.map((worker) => {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.kill('SIGTERM');
      return Promise.race([exited, sleep(15_000)]);
    }),
  );
  if (txWorker) {
    console.log(
      `transactional worker: ${cpuSeconds(txWorker.pid as number).toFixed(1)} s CPU, ${rssMb(txWorker.pid as number).toFixed(0)} MB RSS`,
    );
    const exited = new Promise((resolve) => txWorker.once('exit', resolve));
    txWorker.kill('SIGTERM');
    await Promise.race([exited, sleep(15_000)]);
  }
  await app.close();
  sink.kill('SIGTERM');
  if (!KEEP) await dropDatabase(DATABASE_URL);

  const rate = sent / elapsed;
  console.log(
    `campaign: ${rate.toFixed(0)} msg/s, naive: ${naive.toFixed(0)} msg/s, ratio: ${(rate / naive).toFixed(2)}, peak_rss_mb: ${Math.max(...peakByProcess.values()).toFixed(0)}, tx_p99_ms: ${percentile(latencies, 99).toFixed(0)}`,
  );
  process.exit(sent === RECIPIENTS ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
