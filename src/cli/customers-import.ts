// `npm run customers:import -- FILE.csv [--orders] [--dry-run] [--encoding windows-1251] [--delimiter ";"]
//   [--map "Город=attribute"]... [--report issues.csv] [--batch-size N]`
// Imports customers (or orders) from a CSV file with a progress bar on stderr, then prints the
// counts and the first problems by line. Good rows are imported even when some lines are bad;
// the exit code is 1 only when the file as a whole cannot be read.
import { existsSync, writeFileSync } from 'node:fs';
import type { CountryCode } from 'libphonenumber-js';
import { loadEnvFor } from '../config/env';
import { CUSTOMER_FIELDS, ORDER_FIELDS } from '../customers/csv';
import { isSupportedEncoding } from '../customers/csv/csv-encoding';
import { importCsvFile } from '../customers/imports/import-file';
import { pgConnector, type Connect } from '../customers/imports/import-pipeline';
import { ISSUE_REPORT_HEADER, issueReportLine, type ReportIssue } from '../customers/imports/issue-report';
import { progressLine } from '../customers/imports/progress-line';
import { CliError, flag, positional, runCli } from './run-cli';

const TARGETS = new Set<string>([...CUSTOMER_FIELDS, ...ORDER_FIELDS, 'attribute', 'ignore']);

function mappingOf(argv: string[]): Record<string, string> | undefined {
  const mapping: Record<string, string> = {};
  argv.forEach((arg, i) => {
    const value = arg === '--map' ? argv[i + 1] : arg.startsWith('--map=') ? arg.slice(6) : undefined;
    if (value === undefined) return;
    const eq = value.lastIndexOf('=');
    const target = value.slice(eq + 1).trim();
    if (eq <= 0 || !TARGETS.has(target))
      throw new CliError(`--map "${value}": expected "Header=field" where field is a field name, attribute or ignore`);
    mapping[value.slice(0, eq).trim()] = target;
  });
  return Object.keys(mapping).length ? mapping : undefined;
}

runCli(async () => {
  const argv = process.argv.slice(2);
  const [path] = positional(argv);
  if (!path)
    throw new CliError(
      'usage: npm run customers:import -- FILE.csv [--orders] [--dry-run] [--encoding E] [--delimiter D] [--map "Header=field"] [--report FILE]',
    );
  if (!existsSync(path)) throw new CliError(`${path}: no such file`);
  const encoding = flag(argv, 'encoding');
  if (encoding !== undefined && !isSupportedEncoding(encoding))
    throw new CliError(`--encoding ${encoding}: unknown encoding; use utf-8, windows-1251 or utf-16le`);
  const delimiter = flag(argv, 'delimiter')?.replace(/^\\t$/, '\t');
  if (delimiter !== undefined && delimiter.length !== 1) throw new CliError('--delimiter: expected one character, e.g. ";" or "\\t"');
  const batchSize = flag(argv, 'batch-size') === undefined ? undefined : Number(flag(argv, 'batch-size'));
  if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize >= 1))
    throw new CliError('--batch-size: expected a whole number ≥ 1');
  const report = flag(argv, 'report');
  const kind = argv.includes('--orders') ? 'orders' : 'customers';
  const dryRun = argv.includes('--dry-run');

  const env = loadEnvFor('DATABASE_URL', 'DEFAULT_PHONE_REGION', 'DEFAULT_TIME_ZONE', 'DEFAULT_LOCALE');
  const connect = pgConnector(env.DATABASE_URL);
  const started = Date.now();
  const tty = process.stderr.isTTY === true;
  let lastPrinted = 0;
  const result = await importCsvFile(connect, path, {
    kind,
    dryRun,
    createdBy: 'cli',
    read: {
      encoding,
      delimiter,
      mapping: mappingOf(argv),
      batchSize,
      defaultPhoneRegion: env.DEFAULT_PHONE_REGION as CountryCode,
      timeZone: env.DEFAULT_TIME_ZONE,
    },
    defaults: { timeZone: env.DEFAULT_TIME_ZONE, locale: env.DEFAULT_LOCALE },
    onWait: () => process.stderr.write('Another import is running; waiting for it to finish…\n'),
    onProgress: (c, totalBytes) => {
      const now = Date.now();
      if (!tty && now - lastPrinted < 5000) return; // a log file gets a line every 5 s, a terminal a live bar
      lastPrinted = now;
      const line = progressLine({ ...c, rows: c.totalRows, rejected: c.errorRows, totalBytes, elapsedMs: now - started });
      process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
    },
  });
  if (tty) process.stderr.write('\n');
  const c = result.counters;
  const s = result.summary;
  console.log(
    `${dryRun ? 'Dry run (nothing was changed)' : 'Import'} #${result.jobId} of ${path}: ${result.status}${result.failure ? ` — ${result.failure}` : ''}`,
  );
  if (s)
    console.log(
      `  encoding ${s.encoding} (${s.encodingBasis}), delimiter ${JSON.stringify(s.delimiter)}, columns: ${s.columns.map((col) => `${col.header}→${col.target}`).join(', ')}`,
    );
  console.log(
    `  ${c.totalRows} rows: ${c.inserted} new, ${c.updated} updated, ${c.unchanged} unchanged, ${c.duplicates} duplicates, ${c.errorRows} rejected, ${c.warningCount} warnings (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  for (const e of result.errors.slice(0, 20)) console.log(`  line ${e.line}, ${e.field}: ${e.reason}`);
  if (result.errors.length > 20 || c.warningCount > 0)
    console.log(`  all problems: GET /imports/${result.jobId}/issues${report ? ` or ${report}` : ' (or --report FILE)'}`);
  if (report) await writeReport(connect, result.jobId, report);
  if (result.status === 'failed') throw new CliError(`The file could not be imported: ${result.failure}`);
});

async function writeReport(connect: Connect, jobId: number, path: string): Promise<void> {
  const client = await connect();
  try {
    const { rows } = await client.query<ReportIssue>(
      'SELECT line, severity, field, code, reason, other_line AS "otherLine" FROM import_issues WHERE import_job_id = $1 ORDER BY id',
      [jobId],
    );
    writeFileSync(path, ISSUE_REPORT_HEADER + rows.map(issueReportLine).join(''));
  } finally {
    await client.end();
  }
}
