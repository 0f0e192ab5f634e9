// The built server as an operator starts it: bad configuration, and the three roles.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Queue } from 'bullmq';
import { redisConnection } from '../../src/queue/queue.module';
import { JobName, QueueName } from '../../src/queue/job-catalogue';
import { createTestEnv, NODE, ROOT, type TestEnv } from '../support/test-env';

const MAIN = path.join(ROOT, 'dist/src/main.js');

function start(env: Record<string, string>, args: string[] = []) {
  const child = spawn(NODE, [MAIN, ...args], {
    cwd: '/tmp',
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d) => (out.stdout += d));
  child.stderr.on('data', (d) => (out.stderr += d));
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  return { child, out, exited };
}

/** Polls `check` until it holds; fails after `ms` naming what it waited for (and the process's output). */
async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  ms = 90_000,
  output?: { stdout: string; stderr: string },
): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  const tail = output ? `\n--- stderr ---\n${output.stderr.slice(-4000)}\n--- stdout ---\n${output.stdout.slice(-4000)}` : '';
  throw new Error(`timed out after ${ms} ms waiting for ${what}${tail}`);
}

function envOf(t: TestEnv, port: number): Record<string, string> {
  return {
    DATABASE_URL: t.env.DATABASE_URL,
    REDIS_URL: t.env.REDIS_URL,
    QUEUE_PREFIX: t.env.QUEUE_PREFIX,
    SECRET_KEY: t.env.SECRET_KEY,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
  };
}

describe('the server process', () => {
  let t: TestEnv;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    t = await createTestEnv();
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await t.cleanup();
  });

  it.each([
    ['not-a-url', /^Invalid configuration: DATABASE_URL: expected a postgresql:\/\//],
    ['mysql://root@localhost/otklik', /^Invalid configuration: DATABASE_URL: expected a postgresql:\/\//],
  ])('exits non-zero with one clear line for DATABASE_URL=%s', async (value, message) => {
    const proc = start({ ...envOf(t, 0), DATABASE_URL: value });
    expect(await proc.exited).not.toBe(0);
    const lines = proc.out.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });

  it('exits with one line naming a missing variable', async () => {
    const env = envOf(t, 0);
    delete (env as Partial<typeof env>).SECRET_KEY;
    const proc = start(env);
    expect(await proc.exited).toBe(1);
    expect(proc.out.stderr.trim()).toBe('Invalid configuration: SECRET_KEY: is required but not set');
  });

  it('runs api, worker and scheduler as separate processes: only the worker consumes jobs', async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const api = start(envOf(t, port), ['--role', 'api']);
    children.push(api.child);
    await waitFor(
      async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => null))?.status === 200,
      `the API role's /health on port ${port}`,
      90_000,
      api.out,
    );
    const logLine = api.out.stdout.split('\n').find((line) => line.includes('listening'))!;
    expect(JSON.parse(logLine)).toMatchObject({ level: 'info', role: 'api' });

    const queue = new Queue(QueueName.Maintenance, { connection: redisConnection(t.env.REDIS_URL), prefix: t.env.QUEUE_PREFIX });
    try {
      const job = await queue.add(JobName.PruneOutbox, { olderThanDays: 30 });
      // The API role never takes jobs: it runs no BullMQ worker at all (Redis lists every
      // worker connected to a queue), so the job waits however long one looks.
      expect(await queue.getWorkersCount()).toBe(0);
      expect(await job.getState()).toBe('waiting');

      const worker = start(envOf(t, 0), ['--role', 'worker']);
      children.push(worker.child);
      await waitFor(
        async () => (await queue.getJob(job.id!))?.finishedOn !== undefined,
        'the worker role to finish the prune-outbox job',
        90_000,
        worker.out,
      );
      expect(await (await queue.getJob(job.id!))!.getState()).toBe('completed');
      expect(await queue.getWorkersCount()).toBeGreaterThan(0);
      // The boot check is logged once every module's bootstrap hook has run (after the
      // workers start taking jobs), so wait for it rather than expect it at once.
      await waitFor(async () => worker.out.stdout.includes('jobs have a handler'), "the worker's boot check line", 90_000, worker.out);

      const scheduler = start(envOf(t, 0), ['--role', 'scheduler']);
      children.push(scheduler.child);
      await waitFor(
        async () => (await queue.getJobSchedulers()).length >= 4,
        'the scheduler role to register the four maintenance schedules',
        90_000,
        scheduler.out,
      );
      expect((await queue.getJobSchedulers()).map((s) => s.key).sort()).toEqual([
        'end-consent-pauses',
        'prune-outbox',
        'prune-sessions',
        'scoring-nightly',
      ]);
    } finally {
      await queue.close();
    }
    // Each role loads the 42 default templates into its (fresh) database before it serves or
    // takes jobs: ~2 s on a quiet machine, ~20 s on a 2-core one under a full CI load, so the
    // waits above have a generous ceiling of their own and the test a larger one.
  }, 300_000);
});
