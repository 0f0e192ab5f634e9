// `npm run bench:segments -- [--customers N] [--orders M] [--reuse] [--keep]`
//
// Builds a demo base in its own database (otklik_bench_segments on the server of DATABASE_URL,
// default postgresql://postgres@127.0.0.1:5432): migrations, `db:seed` with N customers and M
// orders, 2 % of email addresses and phone numbers suppressed. Then, through the same classes
// the server uses:
//   1. a full scoring recompute (the first one on a fresh base rewrites every customer), then
//      a second run that finds little to change;
//   2. counts of a typical segment (5 conditions, one on orders), of its reachable email
//      audience, and of a heavier segment (an order sum over a year), median of 3 after a warm-up;
//   3. the whole reachable email audience of a large segment (~57 % of the base) streamed in
//      keyset batches of 5,000 ids, with the process's resident memory sampled every batch.
// --reuse keeps a bench database that already has N customers (no reseeding); --keep leaves it.
// The last line is: `segments: scoring_s: <s>, count_ms: <ms>, stream_rss_mb: <MB>`.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Logger } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { Client } from 'pg';
import { databaseName, dropDatabase, ensureDatabase, withDatabase } from '../src/database/database-admin';
import type { PrismaService } from '../src/database/prisma.service';
import { PrismaClient } from '../src/generated/prisma/client';
import { ScoringRepository } from '../src/scoring/scoring.repository';
import { ScoringRunner } from '../src/scoring/scoring.runner';
import { AudienceService } from '../src/segments/audience.service';
import type { SegmentRule } from '../src/segments/dsl/segment-rules';
import { SegmentsRepository } from '../src/segments/segments.repository';
import { flag } from '../src/cli/run-cli';

function count(name: string, fallback: number): number {
  const raw = flag(process.argv.slice(2), name);
  const value = raw === undefined ? fallback : Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: expected a whole number, got "${raw}"`);
  return value;
}

const has = (name: string) => process.argv.includes(`--${name}`);
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** The repository root (this file runs as dist/bench/segments.js). */
const ROOT = path.resolve(__dirname, '../..');

/** A full garbage collection on demand (as with --expose-gc), to show what the stream really keeps. */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Five conditions, one on orders: the kind of segment a marketer counts before a campaign. */
const TYPICAL: SegmentRule = {
  all: [
    { field: 'locale', op: 'eq', value: 'ru' },
    { field: 'consent.email', op: 'eq', value: 'opted_in' },
    { field: 'orders.count', op: 'gte', value: 1, days: 90 },
    { field: 'rating', op: 'in', value: ['A', 'B', 'C'] },
    { field: 'attributes.city', op: 'in', value: ['Москва', 'Санкт-Петербург', 'Казань'] },
  ],
};
/** The same with an order total over a year instead: every order of the year is summed. */
const HEAVY: SegmentRule = {
  all: [...TYPICAL.all.slice(0, 2), { field: 'orders.sum', op: 'gte', value: 5000, days: 365 }, ...TYPICAL.all.slice(3)],
};
/** Russian-speaking customers who have bought: ~57 % of the demo base are reachable by email. */
const LARGE: SegmentRule = {
  all: [
    { field: 'locale', op: 'eq', value: 'ru' },
    { field: 'orders.count', op: 'gte', value: 1 },
  ],
};

function cli(script: string, args: string[], databaseUrl: string): void {
  execFileSync(process.execPath, ['--disable-warning=ExperimentalWarning', path.join(ROOT, 'dist/src/cli', script), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

async function prepare(url: string, customers: number, orders: number): Promise<void> {
  if (has('reuse')) {
    const client = new Client({ connectionString: url });
    const existing = await client.connect().then(
      async () => Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM customers')).rows[0].n),
      () => -1,
    );
    await client.end().catch(() => undefined);
    if (existing === customers) {
      console.log(`Reusing ${databaseName(url)} (${customers} customers)`);
      return;
    }
  }
  await dropDatabase(url);
  await ensureDatabase(url);
  cli('migrate.js', [], url);
  const started = Date.now();
  cli('seed-demo.js', ['--customers', String(customers), '--orders', String(orders)], url);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    // A lived-in base has suppressed addresses: 2 % of emails and phone numbers, keyed by hash.
    for (const [channel, column] of [
      ['email', 'email'],
      ['sms', 'phone'],
    ]) {
      await client.query(
        `INSERT INTO suppressions (channel, address_hash, address, reason, customer_id)
         SELECT $1::"Channel", encode(sha256(convert_to(${column}, 'UTF8')), 'hex'), ${column}, 'hard_bounce', id
           FROM customers WHERE ${column} IS NOT NULL AND id % 50 = 7
         ON CONFLICT DO NOTHING`,
        [channel],
      );
    }
    await client.query('VACUUM ANALYZE');
  } finally {
    await client.end();
  }
  console.log(`base ready in ${seconds(Date.now() - started)} s`);
}

async function main(): Promise<void> {
  Logger.overrideLogger(false); // the lines below say what happened
  const customers = count('customers', 100_000);
  const orders = count('orders', customers * 5);
  const server = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const url = withDatabase(server, 'otklik_bench_segments');
  console.log(`bench:segments: ${customers} customers, ${orders} orders, database ${databaseName(url)}`);
  await prepare(url, customers, orders);

  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as PrismaService;
  try {
    // 1. scoring
    const runner = new ScoringRunner(new ScoringRepository(prisma));
    const first = await runner.run({ trigger: 'bench' });
    console.log(
      `scoring: recompute ${seconds(first.durationMs ?? 0)} s (${first.scoredCustomers} customers with orders scored, ${first.changedCustomers} rows changed)`,
    );
    const second = await runner.run({ trigger: 'bench' });
    console.log(`scoring: second run ${seconds(second.durationMs ?? 0)} s (${second.changedCustomers} rows changed)`);
    console.log('scoring: baseline, the former single-statement rescore on 1M customers / 5M orders here: 85–118 s');

    // 2. counts
    const audience = new AudienceService(new SegmentsRepository(prisma));
    const timed = async (label: string, run: () => Promise<number>) => {
      await run();
      const times: number[] = [];
      let n = 0;
      for (let i = 0; i < 3; i++) {
        const t = process.hrtime.bigint();
        n = await run();
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      console.log(`count: ${label}: ${n} customers, ${times.map((t) => t.toFixed(0)).join(' / ')} ms`);
      return median(times);
    };
    const countMs = await timed('typical segment (5 conditions, ordered in the last 90 days)', () => audience.count({ rules: TYPICAL }));
    await timed('its reachable email audience', () => audience.count({ rules: TYPICAL }, { channel: 'email' }));
    await timed('heavier segment (order sum over 365 days)', () => audience.count({ rules: HEAVY }));

    // 3. streaming: the ids are counted and dropped, as a campaign turns each batch into rows
    const expected = await audience.count({ rules: LARGE }, { channel: 'email' });
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const atQuarters: number[] = [];
    const heapAtQuarters: number[] = [];
    let ids = 0;
    let batches = 0;
    let last = 0;
    const started = Date.now();
    for await (const batch of audience.streamAudience({ rules: LARGE }, { channel: 'email', batchSize: 5000 })) {
      if (batch[0] <= last) throw new Error('batches out of order');
      last = batch[batch.length - 1];
      ids += batch.length;
      batches++;
      const rss = process.memoryUsage().rss;
      peak = Math.max(peak, rss);
      while (atQuarters.length < 4 && ids >= ((atQuarters.length + 1) * expected) / 4) {
        atQuarters.push(rss);
        collectGarbage();
        heapAtQuarters.push(process.memoryUsage().heapUsed);
      }
    }
    console.log(
      `stream: ${ids} customer ids (count said ${expected}) in ${batches} batches, ${seconds(Date.now() - started)} s; ` +
        `RSS ${mb(rssBefore)} MB before, ${atQuarters.map(mb).join(' / ')} MB at 25/50/75/100 %, peak ${mb(peak)} MB; ` +
        `JS heap after a full GC at 25/50/75/100 %: ${heapAtQuarters.map(mb).join(' / ')} MB`,
    );
    console.log(`segments: scoring_s: ${seconds(first.durationMs ?? 0)}, count_ms: ${countMs.toFixed(0)}, stream_rss_mb: ${mb(peak)}`);
  } finally {
    await (prisma as unknown as PrismaClient).$disconnect();
    if (!has('keep')) await dropDatabase(url);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
