// Creating and dropping whole databases: used by the migrate CLI (create on first run), the drift
// check and the e2e tests (a database per test file). Plain pg, because Prisma cannot do either.
import { Client } from 'pg';

/** The same URL pointing at another database on the same server. */
export function withDatabase(connectionString: string, database: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${database}`;
  return url.toString();
}

export function databaseName(connectionString: string): string {
  return decodeURIComponent(new URL(connectionString).pathname.replace(/^\//, ''));
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function withMaintenanceClient<T>(connectionString: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: withDatabase(connectionString, 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates the database the URL names unless it exists. Returns true when it was created. */
export async function ensureDatabase(connectionString: string, template?: string): Promise<boolean> {
  const name = databaseName(connectionString);
  return withMaintenanceClient(connectionString, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    const templateClause = template ? ` TEMPLATE ${quoteIdent(template)}` : '';
    await client.query(`CREATE DATABASE ${quoteIdent(name)}${templateClause}`);
    return true;
  });
}

export async function dropDatabase(connectionString: string): Promise<void> {
  const name = databaseName(connectionString);
  await withMaintenanceClient(connectionString, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  });
}
