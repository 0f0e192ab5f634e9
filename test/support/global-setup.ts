// Once per `npm test`: a freshly migrated template database that each e2e file copies.
import { dropDatabase, ensureDatabase, withDatabase } from '../../src/database/database-admin';
import { runCli, SERVER_URL, TEMPLATE_DB } from './test-env';

export default async function globalSetup(): Promise<void> {
  const url = withDatabase(SERVER_URL, TEMPLATE_DB);
  await dropDatabase(url);
  await ensureDatabase(url);
  const result = await runCli('migrate', [], { DATABASE_URL: url });
  if (result.code !== 0) throw new Error(`Migrating the test template failed:\n${result.stderr}${result.stdout}`);
}
