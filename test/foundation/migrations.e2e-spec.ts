import { readFileSync, writeFileSync, mkdtempSync, cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { dropDatabase, withDatabase } from '../../src/database/database-admin';
import { ROOT, runCli, SERVER_URL } from '../support/test-env';

describe('offline migrations', () => {
  const scratch = withDatabase(SERVER_URL, `otklik_t_migrate_${process.pid}`);
  const tmp = mkdtempSync(path.join(tmpdir(), 'otklik-drift-'));
  afterAll(async () => {
    await dropDatabase(scratch);
    rmSync(tmp, { recursive: true, force: true });
  });

  it('creates the database, applies every migration, and is idempotent', async () => {
    const first = await runCli('migrate', [], { DATABASE_URL: scratch });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Created the database/);
    expect(first.stdout).toMatch(/Applied \d+ migration/);
    const second = await runCli('migrate', [], { DATABASE_URL: scratch });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/Database is up to date/);

    const client = new Client({ connectionString: scratch });
    await client.connect();
    // Ordered by name (timestamped): without an ORDER BY the first row was whichever PostgreSQL returned.
    const applied = await client.query(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name',
    );
    const tables = await client.query("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'");
    await client.end();
    const dirs = readFileSync(path.join(ROOT, 'prisma/migrations', applied.rows[0].migration_name, 'migration.sql'), 'utf8');
    expect(dirs).toContain('CREATE TABLE "customers"');
    expect(tables.rows[0].n).toBeGreaterThan(25);
  });

  it('finds no drift between schema.prisma and the committed migrations', async () => {
    const result = await runCli('drift-check', [], { DATABASE_URL: scratch });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/No drift/);
    expect(result.code).toBe(0);
  });

  it('fails the drift check when schema.prisma has a column the migrations lack', async () => {
    const schema = readFileSync(path.join(ROOT, 'prisma/schema.prisma'), 'utf8').replace(/(model Customer \{\n)/, '$1  nickname String?\n');
    writeFileSync(path.join(tmp, 'schema.prisma'), schema);
    const result = await runCli('drift-check', ['--schema', path.join(tmp, 'schema.prisma')], { DATABASE_URL: scratch });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('column customers.nickname: in schema.prisma, missing from the migrations');
  });

  it('fails the drift check when a migration changes what schema.prisma does not', async () => {
    const migrations = path.join(tmp, 'migrations');
    cpSync(path.join(ROOT, 'prisma/migrations'), migrations, { recursive: true });
    cpSync(
      path.join(ROOT, 'test/support/fixtures/extra-index-migration.sql'),
      path.join(migrations, '99990101000000_extra_index', 'migration.sql'),
    );
    const result = await runCli('drift-check', ['--migrations', migrations], { DATABASE_URL: scratch });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('index customers_locale_idx: made by the migrations, not in schema.prisma');
  });
});
