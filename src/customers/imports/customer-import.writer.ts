// Upserts a batch of customer rows. Matching (the first that finds a live customer):
//   1. external_id;
//   2. email: a row with no external_id takes any customer with that email; a row WITH an
//      external_id only one that has none and existed before this import began (so the result
//      never depends on which batch an earlier line of the same file fell in, or on batches
//      running side by side);
//   3. phone: likewise, and only when the two do not name different emails.
// Two rows of one batch that land on one customer: the first line wins, the other is a warning.
// One email is one live customer's (issue 21): a line whose email another live customer has
// (one it does not match: a different external id) is an error on that line, never a second
// customer with that email. Within the file the reader already left out later copies of an email.
// A person's company column links it to a company record (kind company, same name ignoring
// case; the oldest live one), created when there is none, so contacts land under their company.
// An empty cell leaves the stored value alone; attributes are merged; consent from the file is
// applied unless the address is on the suppression list (it stays suppressed: never upgraded
// by an old export). Only changed rows are written, so a re-import reports them as unchanged.
//
// Cost: the keys of the batch go first (a narrow COPY) and one statement answers, per line,
// which customer it is (or a new id), whether it repeats an earlier line's customer and whether
// its addresses are suppressed. New customers and their consents are then COPYed straight into
// their tables; only rows matching a stored customer go through a staging table and an UPDATE.
import type { Client } from 'pg';
import type { CopyValue } from '../../database/copy-writer';
import { copyBatch, copyValues, renderCopyRows } from './copy-batch';
import type { CustomerImportRow, ImportIssue } from '../csv';
import { emptyResult, inBatchTransaction, type BatchResult, type ImportWriter, type WriterContext } from './import-writer';

const KEYS = 'import_customer_keys';
const STAGE = 'import_customer_stage';

const CREATE_TABLES = [
  `CREATE TEMP TABLE IF NOT EXISTS ${KEYS} (line int NOT NULL, external_id text, email text, phone text) ON COMMIT DELETE ROWS`,
  `CREATE TEMP TABLE IF NOT EXISTS ${STAGE} (
     customer_id int NOT NULL, external_id text, kind "CustomerKind" NOT NULL, kind_given boolean NOT NULL,
     first_name text, last_name text, patronymic text, company_name text, position text,
     email text, phone text, birthday date, time_zone text, locale text, tags text[],
     consent_email "ConsentStatus", consent_sms "ConsentStatus", source text, registered_at timestamp(3), attributes jsonb
   ) ON COMMIT DELETE ROWS`,
];

/** The suppression of an address; not even hashed when the list has no entry on the channel (an InitPlan, run once). */
const suppressionOf = (channel: string, address: string) => `
  CASE WHEN ${address} IS NOT NULL AND (SELECT EXISTS (SELECT 1 FROM suppressions WHERE channel = '${channel}'))
       THEN (SELECT sp.reason FROM suppressions sp
              WHERE sp.channel = '${channel}' AND sp.address_hash = encode(sha256(convert_to(${address}, 'UTF8')), 'hex')) END`;

// Per line: the stored customer it matches (COALESCE stops at the first hit), or a new id from
// the sequence, and the suppression of its addresses. $1: the highest customer id when the
// import began; $2: the customers id sequence; $3: whether live customers without an external
// id existed then (if not, a row with an external id has no one else to match, and the email
// and phone look-ups are skipped for it: the usual case of a base kept in step with a CRM).
// email_holder: another live customer with the line's email, when the line would give that email
// to a new customer or to one that does not have it yet (the line is then refused). Duplicates a
// base already holds do not block a line that matches one of them.
const MATCH = `
SELECT line, coalesce(found, nextval($2::regclass))::int AS customer_id, found IS NULL AS is_new,
       ${suppressionOf('email', 'email')} AS email_suppressed,
       ${suppressionOf('sms', 'phone')} AS phone_suppressed,
       CASE WHEN email IS NOT NULL AND NOT EXISTS (SELECT 1 FROM customers f WHERE f.id = k.found AND f.email = k.email) THEN
         (SELECT min(c.id) FROM customers c WHERE c.email = k.email AND c.erased_at IS NULL AND c.id IS DISTINCT FROM k.found) END
         AS email_holder
  FROM (SELECT k.line, k.email, k.phone, coalesce(
          (SELECT c.id FROM customers c WHERE c.external_id = k.external_id),
          CASE WHEN k.email IS NOT NULL AND (k.external_id IS NULL OR $3) THEN
            (SELECT min(c.id) FROM customers c
              WHERE c.email = k.email AND c.erased_at IS NULL
                AND (k.external_id IS NULL OR (c.external_id IS NULL AND c.id <= $1))) END,
          CASE WHEN k.phone IS NOT NULL AND ((k.external_id IS NULL AND k.email IS NULL) OR $3) THEN
            (SELECT min(c.id) FROM customers c
              WHERE c.phone = k.phone AND c.erased_at IS NULL
                AND (c.email IS NULL OR k.email IS NULL)
                AND (c.external_id IS NULL OR k.external_id IS NULL)
                AND ((k.external_id IS NULL AND k.email IS NULL) OR c.id <= $1)) END) AS found
          FROM ${KEYS} k) k`;

const CUSTOMER_COLUMNS = [
  'id',
  'external_id',
  'kind',
  'first_name',
  'last_name',
  'patronymic',
  'company_name',
  'position',
  'email',
  'phone',
  'birthday',
  'time_zone',
  'locale',
  'source',
  'tags',
  'attributes',
  'registered_at',
  'created_at',
  'updated_at',
];
const CONSENT_COLUMNS = ['customer_id', 'channel', 'status', 'source', 'at', 'proof_file'];
const STAGE_COLUMNS = [
  'customer_id',
  'external_id',
  'kind',
  'kind_given',
  'first_name',
  'last_name',
  'patronymic',
  'company_name',
  'position',
  'email',
  'phone',
  'birthday',
  'time_zone',
  'locale',
  'tags',
  'consent_email',
  'consent_sms',
  'source',
  'registered_at',
  'attributes',
];

const MERGED = {
  external_id: 'coalesce(s.external_id, c.external_id)',
  kind: 'CASE WHEN s.kind_given THEN s.kind ELSE c.kind END',
  first_name: 'coalesce(s.first_name, c.first_name)',
  last_name: 'coalesce(s.last_name, c.last_name)',
  patronymic: 'coalesce(s.patronymic, c.patronymic)',
  company_name: 'coalesce(s.company_name, c.company_name)',
  position: 'coalesce(s.position, c.position)',
  email: 'coalesce(s.email, c.email)',
  phone: 'coalesce(s.phone, c.phone)',
  birthday: 'coalesce(s.birthday, c.birthday)',
  time_zone: 'coalesce(s.time_zone, c.time_zone)',
  locale: 'coalesce(s.locale, c.locale)',
  source: 'coalesce(s.source, c.source)',
  tags: 'coalesce(s.tags, c.tags)',
  attributes: "c.attributes || coalesce(s.attributes, '{}')",
  registered_at: 'coalesce(s.registered_at, c.registered_at)',
};
const MERGED_COLUMNS = Object.keys(MERGED) as (keyof typeof MERGED)[];

// $1: the matched customer ids, so the customers are reached through the primary key whatever the
// planner guesses about the staging table.
const UPDATE_MATCHED = `
UPDATE customers c SET
  ${MERGED_COLUMNS.map((column) => `${column} = ${MERGED[column]}`).join(',\n  ')},
  email_valid = CASE WHEN s.email IS NOT NULL AND s.email IS DISTINCT FROM c.email THEN true ELSE c.email_valid END,
  phone_valid = CASE WHEN s.phone IS NOT NULL AND s.phone IS DISTINCT FROM c.phone THEN true ELSE c.phone_valid END,
  updated_at = now()
FROM ${STAGE} s
WHERE c.id = ANY($1::int[]) AND c.id = s.customer_id
  AND (${MERGED_COLUMNS.map((column) => `c.${column}`).join(', ')})
      IS DISTINCT FROM (${MERGED_COLUMNS.map((column) => MERGED[column]).join(', ')})
RETURNING c.id`;

// $1: the file name, kept as proof. A consent row and a history event only where the status
// changes; the staged rows' suppressed addresses were left out of the stage's consent columns.
const UPSERT_CONSENTS = `
WITH wanted AS (
  SELECT customer_id, 'email'::"Channel" AS channel, consent_email AS status FROM ${STAGE} WHERE consent_email IS NOT NULL
  UNION ALL
  SELECT customer_id, 'sms'::"Channel", consent_sms FROM ${STAGE} WHERE consent_sms IS NOT NULL
), changed AS (
  INSERT INTO consents (customer_id, channel, status, source, at, proof_file)
  SELECT customer_id, channel, status, 'import', now(), $1 FROM wanted
  ON CONFLICT (customer_id, channel) DO UPDATE
     SET status = EXCLUDED.status, source = EXCLUDED.source, at = EXCLUDED.at,
         proof_ip = NULL, proof_form = NULL, proof_file = EXCLUDED.proof_file
   WHERE consents.status IS DISTINCT FROM EXCLUDED.status
  RETURNING customer_id, channel, status, source, at, proof_file
)
INSERT INTO consent_events (customer_id, channel, status, source, at, proof_file)
SELECT customer_id, channel, status, source, at, proof_file FROM changed
RETURNING customer_id`;

// $1: the people's ids, $2: their company names (same order); $3, $4: zone and locale of new companies.
// The oldest live company of each name (ignoring case), else a new one; then each person's company_id.
const LINK_COMPANIES = `
WITH wanted AS (
  SELECT id, name, lower(name) AS key FROM unnest($1::int[], $2::text[]) AS w(id, name)
), existing AS (
  SELECT DISTINCT ON (lower(c.company_name)) lower(c.company_name) AS key, c.id
    FROM customers c
   WHERE c.kind = 'company' AND c.erased_at IS NULL AND lower(c.company_name) IN (SELECT key FROM wanted)
   ORDER BY lower(c.company_name), c.id
), created AS (
  INSERT INTO customers (kind, company_name, time_zone, locale, source, created_at, updated_at)
  SELECT DISTINCT ON (w.key) 'company', w.name, $3, $4, 'import', now(), now()
    FROM wanted w WHERE w.key NOT IN (SELECT key FROM existing)
   ORDER BY w.key, w.id
  RETURNING lower(company_name) AS key, id
), company AS (
  SELECT key, id FROM existing UNION ALL SELECT key, id FROM created
)
UPDATE customers c SET company_id = co.id, updated_at = now()
  FROM wanted w JOIN company co ON co.key = w.key
 WHERE c.id = w.id AND c.company_id IS DISTINCT FROM co.id
RETURNING c.id`;

interface LineMatch {
  line: number;
  customer_id: number;
  is_new: boolean;
  email_suppressed: string | null;
  phone_suppressed: string | null;
  email_holder: number | null;
}

/** What every writer of one import shares, read once when it begins. */
interface ImportStart {
  maxIdBefore: number;
  anonymousBefore: boolean;
  sequence: string;
  /** May skip foreign-key triggers for rows it has just inserted itself (superuser). */
  trustedLoad: boolean;
}

export class CustomerImportWriter implements ImportWriter<CustomerImportRow> {
  private start: ImportStart = { maxIdBefore: 0, anonymousBefore: true, sequence: '', trustedLoad: false };

  constructor(
    private readonly client: Client,
    private readonly context: WriterContext,
  ) {}

  async prepare(): Promise<void> {
    for (const sql of CREATE_TABLES) await this.client.query(sql);
    const { rows } = await this.client.query<ImportStart>(
      `SELECT coalesce(max(id), 0)::int AS "maxIdBefore",
              EXISTS (SELECT 1 FROM customers WHERE external_id IS NULL AND erased_at IS NULL) AS "anonymousBefore",
              pg_get_serial_sequence('customers', 'id') AS sequence,
              current_setting('is_superuser') = 'on' AS "trustedLoad"
         FROM customers`,
    );
    this.start = rows[0];
  }

  async fork(client: Client): Promise<CustomerImportWriter> {
    const writer = new CustomerImportWriter(client, this.context);
    for (const sql of CREATE_TABLES) await client.query(sql);
    writer.start = this.start;
    return writer;
  }

  async write(rows: CustomerImportRow[], dryRun: boolean): Promise<BatchResult> {
    if (rows.length === 0) return emptyResult();
    const client = this.client;
    const { maxIdBefore, sequence, anonymousBefore } = this.start;
    return inBatchTransaction(client, dryRun, async () => {
      await copyValues(client, KEYS, ['line', 'external_id', 'email', 'phone'], keyValues(rows));
      const matches = (await client.query<LineMatch>(MATCH, [maxIdBefore, sequence, anonymousBefore])).rows;
      const byLine = new Map(matches.map((m) => [m.line, m]));
      const firstLineOf = new Map<number, number>(); // stored customer → the first line that matched it
      const fresh: [CustomerImportRow, LineMatch][] = [];
      const stored: [CustomerImportRow, LineMatch][] = [];
      const result = emptyResult();
      for (const row of rows) {
        const match = byLine.get(row.line)!;
        if (match.email_holder !== null) {
          result.rejected++;
          result.errors.push(emailTakenIssue(match));
          continue;
        }
        if (!match.is_new) {
          const first = firstLineOf.get(match.customer_id);
          if (first !== undefined) {
            result.duplicates++;
            result.warnings.push(duplicateIssue(match, first));
            continue;
          }
          firstLineOf.set(match.customer_id, row.line);
        }
        result.warnings.push(...suppressedIssues(match));
        (match.is_new ? fresh : stored).push([row, match]);
      }
      if (fresh.length > 0) await this.insertNew(fresh);
      result.inserted = fresh.length;
      const changed = new Set<number>();
      if (stored.length > 0) {
        await copyValues(client, STAGE, STAGE_COLUMNS, stageValues(stored));
        const ids = stored.map(([, m]) => m.customer_id);
        for (const r of (await client.query<{ id: number }>(UPDATE_MATCHED, [ids])).rows) changed.add(r.id);
        for (const r of (await client.query<{ customer_id: number }>(UPSERT_CONSENTS, [this.context.filename])).rows)
          changed.add(r.customer_id);
      }
      for (const id of await this.linkCompanies([...fresh, ...stored])) changed.add(id);
      result.updated = stored.filter(([, m]) => changed.has(m.customer_id)).length;
      result.unchanged = stored.length - result.updated;
      return result;
    });
  }

  /**
   * Links the batch's people with a company column to their company record, creating the
   * companies no live record has yet; returns the ids of the people whose link changed.
   * Batches run side by side: one advisory lock (held to the batch's commit) keeps two of them
   * from creating the same company. The look-up compares lower(company_name) of companies only.
   */
  private async linkCompanies(rows: [CustomerImportRow, LineMatch][]): Promise<number[]> {
    const people = rows.filter(([r]) => r.kind === 'person' && r.companyName !== null);
    if (people.length === 0) return [];
    const client = this.client;
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('otklik.import.companies'))`);
    const { rows: linked } = await client.query<{ id: number }>(LINK_COMPANIES, [
      people.map(([, m]) => m.customer_id),
      people.map(([r]) => r.companyName),
      this.context.defaultTimeZone,
      this.context.defaultLocale,
    ]);
    return linked.map((r) => r.id);
  }

  /**
   * New customers and their first consents, straight into their tables. Their foreign keys
   * hold by construction (the consents point at customers this transaction has just inserted,
   * which nobody else can see or delete; a company link comes later, with the checks on), so a superuser
   * connection skips the per-row foreign-key triggers for these three COPYs, as pg_restore
   * does: they cost about a third of the database's time per new customer.
   */
  private async insertNew(fresh: [CustomerImportRow, LineMatch][]): Promise<void> {
    const client = this.client;
    const now = new Date().toISOString(); // one string for the whole batch, not a Date per row
    const consents = renderCopyRows(consentValues(fresh, this.context.filename, now)); // one rendering, two tables
    if (this.start.trustedLoad) await client.query('SET LOCAL session_replication_role = replica');
    await copyValues(client, 'customers', CUSTOMER_COLUMNS, newCustomerValues(fresh, this.context, now));
    if (consents.rows > 0) {
      await copyBatch(client, 'consents', CONSENT_COLUMNS, consents);
      await copyBatch(client, 'consent_events', CONSENT_COLUMNS, consents);
    }
    if (this.start.trustedLoad) await client.query('SET LOCAL session_replication_role = origin');
  }
}

function* keyValues(rows: CustomerImportRow[]): Generator<CopyValue[]> {
  for (const r of rows) yield [r.line, r.externalId, r.email, r.phone];
}

function attributesOf(r: CustomerImportRow): Record<string, string> | null {
  const attributes = r.phoneExtension ? { ...r.attributes, phoneExtension: r.phoneExtension } : r.attributes;
  for (const _key in attributes) return attributes;
  return null;
}

function* newCustomerValues(rows: [CustomerImportRow, LineMatch][], context: WriterContext, now: string): Generator<CopyValue[]> {
  for (const [r, m] of rows) {
    yield [
      m.customer_id,
      r.externalId,
      r.kind,
      r.firstName,
      r.lastName,
      r.patronymic,
      r.companyName,
      r.position,
      r.email,
      r.phone,
      r.birthday,
      r.timeZone ?? context.defaultTimeZone,
      r.locale ?? context.defaultLocale,
      r.source,
      r.tags ?? [],
      attributesOf(r) ?? {},
      r.registeredAt ?? now,
      now,
      now,
    ];
  }
}

function* consentValues(rows: [CustomerImportRow, LineMatch][], filename: string, now: string): Generator<CopyValue[]> {
  for (const [r, m] of rows) {
    if (r.consentEmail !== null && r.email !== null && m.email_suppressed === null)
      yield [m.customer_id, 'email', r.consentEmail, 'import', now, filename];
    if (r.consentSms !== null && r.phone !== null && m.phone_suppressed === null)
      yield [m.customer_id, 'sms', r.consentSms, 'import', now, filename];
  }
}

function* stageValues(rows: [CustomerImportRow, LineMatch][]): Generator<CopyValue[]> {
  for (const [r, m] of rows) {
    yield [
      m.customer_id,
      r.externalId,
      r.kind,
      r.kindGiven,
      r.firstName,
      r.lastName,
      r.patronymic,
      r.companyName,
      r.position,
      r.email,
      r.phone,
      r.birthday,
      r.timeZone,
      r.locale,
      r.tags,
      m.email_suppressed === null && r.email !== null ? r.consentEmail : null,
      m.phone_suppressed === null && r.phone !== null ? r.consentSms : null,
      r.source,
      r.registeredAt,
      attributesOf(r),
    ];
  }
}

function emailTakenIssue(m: LineMatch): ImportIssue {
  return {
    line: m.line,
    field: 'email',
    code: 'email_taken',
    reason: `customer ${m.email_holder} already has this email (with another external id or none); one email is one customer, so this line is not imported: correct the email or the external id`,
  };
}

function duplicateIssue(m: LineMatch, firstLine: number): ImportIssue {
  return {
    line: m.line,
    field: 'row',
    code: 'duplicate_customer',
    reason: `matches the same customer (${m.customer_id}) as line ${firstLine}; the first one is kept`,
    otherLine: firstLine,
  };
}

function suppressedIssues(m: LineMatch): ImportIssue[] {
  const issues: ImportIssue[] = [];
  for (const [field, list, reason] of [
    ['email', 'email', m.email_suppressed],
    ['phone', 'SMS', m.phone_suppressed],
  ] as const) {
    if (reason === null) continue;
    issues.push({
      line: m.line,
      field,
      code: 'suppressed',
      reason: `the ${field} is on the ${list} suppression list (${reason.replace(/_/g, ' ')}): it stays suppressed, and consent from the file is not applied to it`,
    });
  }
  return issues;
}
