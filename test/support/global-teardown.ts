import { Client } from 'pg';
import { dropDatabase, withDatabase } from '../../src/database/database-admin';

/** Drops this run's template and any database a crashed file of this run left behind. */
export default async function globalTeardown(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SERVER_URL, TEMPLATE_DB, TEST_DB_PREFIX } = require('./test-env') as typeof import('./test-env');
  const client = new Client({ connectionString: SERVER_URL });
  await client.connect();
  const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [
    TEST_DB_PREFIX,
  ]);
  await client.end();
  for (const row of rows) await dropDatabase(withDatabase(SERVER_URL, row.datname));
  await dropDatabase(withDatabase(SERVER_URL, TEMPLATE_DB));
}
