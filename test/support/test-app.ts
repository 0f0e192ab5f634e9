// Starts the real Nest app (all roles by default) on a random port against the test database.
import '../../src/common/bigint-json';
import type { INestApplication } from '@nestjs/common';
import { createOtklik, isHttpApp } from '../../src/app.factory';
import { AuthService } from '../../src/auth/auth.service';
import { JsonLogger } from '../../src/common/json-logger';
import type { Role } from '../../src/generated/prisma/enums';
import { parseEnv } from '../../src/config/env';
import { createTestEnv, type TestEnv } from './test-env';

export interface TestApp extends TestEnv {
  app: INestApplication;
  url: string;
  key(role: Role): Promise<string>;
  close(): Promise<void>;
}

export async function startTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  return startAppOn(await createTestEnv(overrides));
}

/**
 * The app on an existing test environment (its database and Redis prefix), with some settings
 * changed: a restart. `close` of the returned app drops the environment only if `owner`.
 */
export async function startAppOn(testEnv: TestEnv, changes: Record<string, string> = {}, owner = true): Promise<TestApp> {
  const env = Object.keys(changes).length ? parseEnv({ ...testEnv.input, ...changes }) : testEnv.env;
  const app = await createOtklik(env, new JsonLogger('warn', env.OTKLIK_ROLE));
  if (!isHttpApp(app)) throw new Error('the test app must serve HTTP');
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const auth = app.get(AuthService);
  return {
    ...testEnv,
    env,
    app,
    url: `http://127.0.0.1:${address.port}`,
    key: async (role) => (await auth.createKey(`test ${role}`, role)).key,
    async close() {
      await app.close();
      if (owner) await testEnv.cleanup();
    },
  };
}
