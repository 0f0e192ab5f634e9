// Prisma's migrations without the Prisma CLI's native binary: the schema engine compiled to
// WebAssembly (@prisma/schema-engine-wasm) driven over the pg driver adapter. Only the CLI
// commands under src/cli use this file; the running server never migrates by itself.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { withDatabase } from './database-admin';

export const PRISMA_DIR = path.resolve(__dirname, '../../../prisma');
export const SCHEMA_PATH = path.join(PRISMA_DIR, 'schema.prisma');
export const MIGRATIONS_DIR = path.join(PRISMA_DIR, 'migrations');

const NO_FILTERS = { externalTables: [], externalEnums: [] };

// The wasm package is ESM with a .wasm import, so it is loaded with a real dynamic import
// (TypeScript keeps `import()` as is under module "nodenext").
type WasmModule = typeof import('@prisma/schema-engine-wasm');
type Engine = Awaited<ReturnType<WasmModule['SchemaEngine']['new']>>;

async function openEngine(schemaSource: string, connectionString: string): Promise<Engine> {
  const { SchemaEngine } = await import('@prisma/schema-engine-wasm');
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString }));
  return SchemaEngine.new({ datamodels: [['schema.prisma', schemaSource]] }, () => undefined, adapter);
}

export function readSchema(): string {
  return readFileSync(SCHEMA_PATH, 'utf8');
}

export interface MigrationDir {
  name: string;
  sql: string;
}

/** Migration folders in name order, as `prisma migrate deploy` would read them. */
export function readMigrations(dir = MIGRATIONS_DIR): MigrationDir[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({ name, sql: readFileSync(path.join(dir, name, 'migration.sql'), 'utf8') }));
}

/** Applies the not-yet-applied migrations and records them in _prisma_migrations. Idempotent. */
export async function applyMigrations(connectionString: string, dir = MIGRATIONS_DIR): Promise<string[]> {
  const engine = await openEngine(readSchema(), connectionString);
  try {
    const lockPath = path.join(dir, 'migration_lock.toml');
    const result = await engine.applyMigrations({
      migrationsList: {
        baseDir: dir,
        lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
        shadowDbInitScript: '',
        migrationDirectories: readMigrations(dir).map((m) => ({
          path: m.name,
          migrationFile: { path: 'migration.sql', content: { tag: 'ok' as const, value: m.sql } },
        })),
      },
      filters: NO_FILTERS,
    });
    return result.appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/**
 * The SQL that turns the schema `fromSource` (or an empty database) into `toSource`.
 * Reads no database state: both ends are schema files. The engine still wants a connection,
 * so it gets the server's always-present `postgres` database.
 */
export async function diffSchemas(fromSource: string | null, toSource: string, connectionString: string): Promise<string> {
  const engine = await openEngine(toSource, withDatabase(connectionString, 'postgres'));
  try {
    const from =
      fromSource === null
        ? { tag: 'empty' as const }
        : { tag: 'schemaDatamodel' as const, files: [{ path: 'schema.prisma', content: fromSource }] };
    const result = await engine.diff({
      from,
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: toSource }] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return result.stdout ?? '';
  } finally {
    engine.free();
  }
}
