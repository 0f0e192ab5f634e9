// Do schema.prisma and prisma/migrations agree? The schema engine's own check needs to
// introspect a database, which fails under the wasm engine here, so this builds two scratch
// databases — one from the migrations, one from the SQL for schema.prisma from nothing — and
// compares what PostgreSQL's catalogue says about each: columns, indexes, constraints, enums.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { dropDatabase, ensureDatabase, withDatabase } from './database-admin';
import { applyMigrations, diffSchemas, MIGRATIONS_DIR } from './schema-engine';

const CATALOGUE_QUERIES: Record<string, string> = {
  column: `SELECT table_name || '.' || column_name AS key,
                  concat_ws(' ', udt_name, character_maximum_length, numeric_precision, numeric_scale,
                            CASE WHEN is_nullable = 'YES' THEN 'null' ELSE 'not null' END, 'default ' || column_default) AS value
             FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
  index: `SELECT indexname AS key, indexdef AS value FROM pg_indexes
           WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
  constraint: `SELECT conrelid::regclass::text || '.' || conname AS key, pg_get_constraintdef(oid) AS value
                 FROM pg_constraint
                WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations'`,
  enum: `SELECT t.typname AS key, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS value
           FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
          WHERE t.typnamespace = 'public'::regnamespace GROUP BY t.typname`,
};

async function catalogue(connectionString: string): Promise<Map<string, string>> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    const out = new Map<string, string>();
    for (const [kind, sql] of Object.entries(CATALOGUE_QUERIES)) {
      for (const row of (await client.query<{ key: string; value: string }>(sql)).rows) out.set(`${kind} ${row.key}`, row.value);
    }
    return out;
  } finally {
    await client.end();
  }
}

async function execute(connectionString: string, sql: string): Promise<void> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Human-readable differences; empty when the migrations build exactly what schema.prisma describes. */
export async function findDrift(connectionString: string, schemaSource: string, migrationsDir = MIGRATIONS_DIR): Promise<string[]> {
  const suffix = randomBytes(4).toString('hex');
  const fromMigrations = withDatabase(connectionString, `otklik_drift_m_${suffix}`);
  const fromSchema = withDatabase(connectionString, `otklik_drift_s_${suffix}`);
  try {
    await ensureDatabase(fromMigrations);
    await ensureDatabase(fromSchema);
    await applyMigrations(fromMigrations, migrationsDir);
    await execute(fromSchema, await diffSchemas(null, schemaSource, connectionString));
    const [migrated, described] = await Promise.all([catalogue(fromMigrations), catalogue(fromSchema)]);
    const differences: string[] = [];
    for (const [key, value] of described) {
      if (!migrated.has(key)) differences.push(`${key}: in schema.prisma, missing from the migrations`);
      else if (migrated.get(key) !== value)
        differences.push(`${key}: migrations give "${migrated.get(key)}", schema.prisma says "${value}"`);
    }
    for (const key of migrated.keys()) if (!described.has(key)) differences.push(`${key}: made by the migrations, not in schema.prisma`);
    return differences.sort();
  } finally {
    await dropDatabase(fromMigrations);
    await dropDatabase(fromSchema);
  }
}
