// `npm run db:drift [-- --schema FILE --migrations DIR]`: exits 1 and lists the differences when
// the migrations do not build what schema.prisma describes (then: npm run db:migration:new).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadEnvFor } from '../config/env';
import { findDrift } from '../database/drift';
import { MIGRATIONS_DIR, SCHEMA_PATH } from '../database/schema-engine';
import { CliError, flag, runCli } from './run-cli';

runCli(async () => {
  const argv = process.argv.slice(2);
  const { DATABASE_URL } = loadEnvFor('DATABASE_URL');
  const schemaPath = path.resolve(flag(argv, 'schema') ?? SCHEMA_PATH);
  const migrationsDir = path.resolve(flag(argv, 'migrations') ?? MIGRATIONS_DIR);
  const differences = await findDrift(DATABASE_URL, readFileSync(schemaPath, 'utf8'), migrationsDir);
  if (differences.length) {
    throw new CliError(
      `Drift: the migrations and schema.prisma disagree (${differences.length}):\n  ${differences.join('\n  ')}\nRun: npm run db:migration:new -- <name>`,
    );
  }
  console.log('No drift: the migrations build exactly what schema.prisma describes');
});
