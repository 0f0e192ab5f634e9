// `npm run db:migrate`: creates the database if missing and applies prisma/migrations/*
// offline, through Prisma's WebAssembly schema engine. Safe to run again: applied
// migrations are recorded in _prisma_migrations and skipped.
import { loadEnvFor } from '../config/env';
import { ensureDatabase } from '../database/database-admin';
import { applyMigrations } from '../database/schema-engine';
import { runCli } from './run-cli';

runCli(async () => {
  const { DATABASE_URL } = loadEnvFor('DATABASE_URL');
  if (await ensureDatabase(DATABASE_URL)) console.log('Created the database');
  const applied = await applyMigrations(DATABASE_URL);
  console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Database is up to date');
});
