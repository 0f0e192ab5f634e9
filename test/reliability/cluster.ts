// The processes of one reliability scenario: Otklik's roles as child processes (so they can be
// killed with SIGKILL and started again) and a private redis-server (so it can be restarted,
// or lose its data, without touching the machine's Redis).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import IORedis from 'ioredis';
import { NODE, ROOT } from '../support/test-env';

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One Otklik role (api, worker, scheduler) running from dist/, restartable. Its start line (info level) says it is ready. */
export class OtklikProcess {
  private child?: ChildProcess;
  /** The last lines it wrote, shown when a scenario fails. */
  readonly tail: string[] = [];
  /** Every warning or error line it wrote (JSON log lines), across restarts. */
  readonly warnings: string[] = [];
  restarts = 0;

  constructor(
    readonly name: string,
    private readonly role: 'api' | 'worker' | 'scheduler',
    private readonly env: Record<string, string>,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    const child = spawn(NODE, [path.join(ROOT, 'dist/src/main.js'), '--role', this.role], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const started = new Promise<void>((resolve, reject) => {
      const onLine = (line: string) => {
        this.tail.push(line);
        if (this.tail.length > 40) this.tail.shift();
        if (/"level":"(warn|error)"/.test(line) && this.warnings.length < 1000) this.warnings.push(line);
        if (/Otklik (listening|\w+ started)/.test(line)) resolve();
      };
      for (const stream of [child.stdout, child.stderr]) {
        let rest = '';
        stream?.on('data', (chunk: Buffer) => {
          const lines = (rest + chunk.toString('utf8')).split('\n');
          rest = lines.pop() ?? '';
          lines.forEach(onLine);
        });
      }
      child.once('exit', (code, signal) =>
        reject(new Error(`${this.name} exited (${code ?? signal}) while starting:\n${this.tail.join('\n')}`)),
      );
    });
    await started;
  }

  /** SIGKILL, as a crashed machine or the OOM killer would. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async restart(): Promise<void> {
    await this.kill();
    this.restarts++;
    await this.start();
  }

  /** Resident memory in MB, from /proc. */
  rssMb(): number {
    if (!this.child?.pid) return 0;
    try {
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${this.child.pid}/status`, 'utf8'))?.[1];
      return kb ? Number(kb) / 1024 : 0;
    } catch {
      return 0;
    }
  }

  alive(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }
}

/** A redis-server of our own on a free port. `persisted`: SHUTDOWN writes a snapshot that the restart loads. */
export class PrivateRedis {
  private child?: ChildProcess;
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), 'otklik-redis-'));
  port = 0;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '3600 1',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        'noeviction',
      ],
      {
        stdio: 'ignore',
      },
    );
    this.child = child;
    for (let i = 0; i < 100; i++) {
      const redis = new IORedis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        await redis.connect();
        await redis.ping();
        return;
      } catch {
        await sleep(50);
      } finally {
        redis.disconnect();
      }
    }
    throw new Error(`redis-server on port ${this.port} did not start`);
  }

  /** `graceful`: SHUTDOWN SAVE then start again (data kept); `lose-data`: SIGKILL, snapshot removed, start empty. */
  async restart(how: 'graceful' | 'lose-data', downMs: number): Promise<void> {
    const child = this.child;
    if (!child) throw new Error('redis is not running');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (how === 'graceful') {
      const redis = new IORedis(this.url, { maxRetriesPerRequest: 0 });
      await redis.call('SHUTDOWN', 'SAVE').catch(() => undefined);
      redis.disconnect();
    } else {
      child.kill('SIGKILL');
    }
    await exited;
    if (how === 'lose-data') rmSync(path.join(this.dir, 'dump.rdb'), { force: true });
    await sleep(downMs);
    await this.start();
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
