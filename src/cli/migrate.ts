// `npm run db:migrate [-- --migrations DIR]`: creates the database if missing and applies
// prisma/migrations/* (or DIR: tests apply the migrations as they were before one, to check a
// data migration) offline, through Prisma's WebAssembly schema engine. Safe to run again:
// applied migrations are recorded in _prisma_migrations and skipped.
import path from 'node:path';
import { loadEnvFor } from '../config/env';
import { ensureDatabase } from '../database/database-admin';
import { applyMigrations, MIGRATIONS_DIR } from '../database/schema-engine';
import { flag, runCli } from './run-cli';

runCli(async () => {
  const { DATABASE_URL } = loadEnvFor('DATABASE_URL');
  if (await ensureDatabase(DATABASE_URL)) console.log('Created the database');
  const applied = await applyMigrations(DATABASE_URL, path.resolve(flag(process.argv.slice(2), 'migrations') ?? MIGRATIONS_DIR));
  console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Database is up to date');
});
