// Each e2e file gets its own database (copied from a migrated template made once by
// global-setup) and its own Redis key prefix, both removed when the file ends.
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import IORedis from 'ioredis';
import { dropDatabase, ensureDatabase, withDatabase } from '../../src/database/database-admin';
import { parseEnv, type Env } from '../../src/config/env';

export const ROOT = path.resolve(__dirname, '../..');
export const SERVER_URL = process.env.TEST_DATABASE_SERVER ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
/**
 * One template per `jest` run (named by global-setup, inherited by the test files), so two
 * runs on one machine never drop each other's databases.
 */
export const RUN_ID = process.env.OTKLIK_TEST_RUN ?? `p${process.pid}`;
export const TEMPLATE_DB = `otklik_tpl_${RUN_ID}`;
/** Every database a file of this run makes starts with this. */
export const TEST_DB_PREFIX = `otklik_t_${RUN_ID}_`;
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Node 24 from node_modules (the machine's own node may be older). */
export const NODE = path.join(ROOT, 'node_modules/.bin/node');

export interface TestEnv {
  env: Env;
  /** The settings as given, before parsing (a restart with changes parses them again). */
  input: Record<string, string>;
  databaseUrl: string;
  cleanup(): Promise<void>;
}

export async function createTestEnv(overrides: Record<string, string> = {}): Promise<TestEnv> {
  const id = randomBytes(5).toString('hex');
  const databaseUrl = withDatabase(SERVER_URL, `${TEST_DB_PREFIX}${id}`);
  await ensureDatabase(databaseUrl, TEMPLATE_DB);
  const prefix = `otklik-test-${id}`;
  const input: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    SECRET_KEY: `test-secret-${id}-${'x'.repeat(32)}`,
    LOG_LEVEL: 'warn',
    PORT: '3000',
    // The built-in templates print {{brand.name}}; with no brand stored the sender's name stands
    // in, and a campaign without either is refused by its pre-flight (campaigns/preflight.ts).
    MAIL_FROM_NAME: 'Otklik test shop',
    ...overrides,
  };
  const env = parseEnv(input);
  return {
    env,
    input,
    databaseUrl,
    async cleanup() {
      await deleteRedisPrefix(prefix);
      await dropDatabase(databaseUrl);
    },
  };
}

export async function deleteRedisPrefix(prefix: string): Promise<void> {
  const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

const exec = promisify(execFile);

/** Runs a compiled CLI (dist/src/cli/NAME.js) with the given environment. */
export async function runCli(name: string, args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await exec(
      NODE,
      ['--disable-warning=ExperimentalWarning', path.join(ROOT, 'dist/src/cli', `${name}.js`), ...args],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
