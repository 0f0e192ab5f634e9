// Once per `npm test`: a freshly migrated template database that each e2e file copies.
import { dropDatabase, ensureDatabase, withDatabase } from '../../src/database/database-admin';

export default async function globalSetup(): Promise<void> {
  // Named before test-env is loaded, so this process and the test files agree on it.
  process.env.OTKLIK_TEST_RUN ??= `p${process.pid}`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runCli, SERVER_URL, TEMPLATE_DB } = require('./test-env') as typeof import('./test-env');
  const url = withDatabase(SERVER_URL, TEMPLATE_DB);
  await dropDatabase(url);
  await ensureDatabase(url);
  const result = await runCli('migrate', [], { DATABASE_URL: url });
  if (result.code !== 0) throw new Error(`Migrating the test template failed:\n${result.stderr}${result.stdout}`);
}
