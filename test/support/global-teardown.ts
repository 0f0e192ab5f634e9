import { Client } from 'pg';
import { dropDatabase, withDatabase } from '../../src/database/database-admin';
import { SERVER_URL, TEMPLATE_DB } from './test-env';

/** Drops the template and any test database a crashed file left behind. */
export default async function globalTeardown(): Promise<void> {
  const client = new Client({ connectionString: SERVER_URL });
  await client.connect();
  const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'otklik\\_t\\_%'");
  await client.end();
  for (const row of rows) await dropDatabase(withDatabase(SERVER_URL, row.datname));
  await dropDatabase(withDatabase(SERVER_URL, TEMPLATE_DB));
}
