// The documents migration on a database that has attachments: each becomes a document with one
// version under the same id, so campaigns' attachment ids still resolve, and new documents get
// ids after the old ones.
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { dropDatabase, withDatabase } from '../../src/database/database-admin';
import { ROOT, runCli, SERVER_URL } from '../support/test-env';

const DOCUMENTS_MIGRATION = readdirSync(path.join(ROOT, 'prisma/migrations')).find((name) => name.endsWith('_documents'))!;

describe('the documents migration', () => {
  const scratch = withDatabase(SERVER_URL, `otklik_t_docmigrate_${process.pid}`);
  const before = mkdtempSync(path.join(tmpdir(), 'otklik-docmigrate-'));
  let client: Client;

  beforeAll(async () => {
    // The migrations as they were before documents.
    cpSync(path.join(ROOT, 'prisma/migrations'), before, {
      recursive: true,
      filter: (source) => {
        const name = path.relative(path.join(ROOT, 'prisma/migrations'), source).split(path.sep)[0];
        return name === '' || !/^\d{14}_/.test(name) || name < DOCUMENTS_MIGRATION;
      },
    });
    const migrated = await runCli('migrate', ['--migrations', before], { DATABASE_URL: scratch });
    expect(migrated.stderr).toBe('');
    expect(migrated.stdout).not.toContain(DOCUMENTS_MIGRATION);
    client = new Client({ connectionString: scratch });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await dropDatabase(scratch);
    rmSync(before, { recursive: true, force: true });
  });

  it('turns every attachment into a document with one version, keeping ids, names and bytes', async () => {
    await client.query(`INSERT INTO attachments (id, filename, content_type, size, sha256, data) VALUES
      (3, 'Прайс-лист ноябрь.pdf', 'application/pdf', 5, 'aaa', '\\x2550444621'),
      (7, 'Каталог.xlsx', 'application/vnd.ms-excel', 3, 'bbb', '\\x010203')`);
    await client.query(`SELECT setval('attachments_id_seq', 7)`);
    await client.query(`INSERT INTO templates (id, key, name, channel, updated_at) VALUES (1, 't', 't', 'email', now())`);
    await client.query(`INSERT INTO campaigns (id, name, channel, template_id, updated_at) VALUES (1, 'B2B', 'email', 1, now())`);
    await client.query(`INSERT INTO campaign_attachments (campaign_id, attachment_id) VALUES (1, 3), (1, 7)`);

    const migrated = await runCli('migrate', [], { DATABASE_URL: scratch });
    expect(migrated.stderr).toBe('');
    expect(migrated.stdout).toContain(DOCUMENTS_MIGRATION);

    const documents = await client.query(
      'SELECT id, kind, name, latest_version, filename, content_type, size, sha256 FROM documents ORDER BY id',
    );
    expect(documents.rows).toEqual([
      {
        id: 3,
        kind: 'attachment',
        name: 'Прайс-лист ноябрь.pdf',
        latest_version: 1,
        filename: 'Прайс-лист ноябрь.pdf',
        content_type: 'application/pdf',
        size: 5,
        sha256: 'aaa',
      },
      {
        id: 7,
        kind: 'attachment',
        name: 'Каталог.xlsx',
        latest_version: 1,
        filename: 'Каталог.xlsx',
        content_type: 'application/vnd.ms-excel',
        size: 3,
        sha256: 'bbb',
      },
    ]);
    const versions = await client.query(
      `SELECT v.document_id, v.number, v.filename, encode(c.data, 'hex') AS data
         FROM document_versions v JOIN document_contents c ON c.id = v.content_id ORDER BY v.document_id`,
    );
    expect(versions.rows).toEqual([
      { document_id: 3, number: 1, filename: 'Прайс-лист ноябрь.pdf', data: '2550444621' },
      { document_id: 7, number: 1, filename: 'Каталог.xlsx', data: '010203' },
    ]);
    // The campaign's attachment ids now name those documents, with the default policy.
    const attached = await client.query(
      `SELECT ca.attachment_id, ca.if_unchanged, d.name FROM campaign_attachments ca JOIN documents d ON d.id = ca.attachment_id ORDER BY 1`,
    );
    expect(attached.rows).toEqual([
      { attachment_id: 3, if_unchanged: 'send', name: 'Прайс-лист ноябрь.pdf' },
      { attachment_id: 7, if_unchanged: 'send', name: 'Каталог.xlsx' },
    ]);
    const tables = await client.query(`SELECT to_regclass('attachments') AS old`);
    expect(tables.rows[0].old).toBeNull();
    // A document made afterwards gets the next id, not one of the old ones.
    const next = await client.query(
      `INSERT INTO documents (name, latest_version, filename, content_type, size, sha256) VALUES ('new', 1, 'n.pdf', 'application/pdf', 1, 'ccc') RETURNING id`,
    );
    expect(next.rows[0].id).toBe(8);
  });
});
