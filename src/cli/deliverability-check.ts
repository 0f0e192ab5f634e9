// `npm run -s deliverability:check -- [TEMPLATE...] [--max SCORE]`
//
// Renders email templates with sample data (the default set in templates/email without
// arguments; a key such as `b2c-promo` names both locales, `b2c-promo.ru` one, a path a file)
// into the MIME Otklik sends (its headers: List-Unsubscribe one-click, List-Id, Feedback-ID …),
// scores each with SpamAssassin's local rules only (`spamassassin -L -t`: no network tests) and
// prints one line per template: the score and the rules hit. Exits 1 when a template scores
// above --max (default 2.0) or fails to render; without the `spamassassin` command it says so
// loudly on stderr and exits 0 (nothing was checked).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { buildRawEmail } from '../delivery/mime/raw-email';
import { parseSpamStatus, type SpamVerdict } from '../delivery/spam/spam-score';
import { checkEmail, emailSourceOf, readTemplateFile, sampleContext } from '../templates/render';

const TEMPLATE_DIR = path.resolve(__dirname, '../../../templates/email');
const DEFAULT_MAX = 2.0;

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: npm run -s deliverability:check -- [TEMPLATE...] [--max SCORE]\n`);
  process.exit(2);
}

/** The template files the arguments name (all email templates without any). */
function templateFiles(names: string[]): string[] {
  const all = readdirSync(TEMPLATE_DIR)
    .filter((f) => f.endsWith('.mjml'))
    .sort();
  if (!names.length) return all.map((f) => path.join(TEMPLATE_DIR, f));
  return names.flatMap((name) => {
    if (existsSync(name) && name.endsWith('.mjml')) return [path.resolve(name)];
    const found = all.filter((f) => f === `${name}.mjml` || f.startsWith(`${name}.`));
    if (!found.length) usage(`no email template ${name} in templates/email`);
    return found.map((f) => path.join(TEMPLATE_DIR, f));
  });
}

/** The message as Otklik would send it to the sample customer (bulk lane headers; no DKIM: local tests cannot check it). */
async function render(file: string): Promise<Buffer> {
  const parsed = readTemplateFile(file);
  if (!parsed.file) throw new Error(parsed.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('; '));
  const check = await checkEmail(emailSourceOf(parsed.file));
  if (!check.compiled) throw new Error(check.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('; '));
  const context = sampleContext(parsed.file.locale);
  const email = check.compiled.render(context);
  const to = (context.customer as { email?: string } | undefined)?.email ?? 'customer@example.com';
  return buildRawEmail({
    from: { address: 'news@shop.example', name: String(context.brand?.name ?? 'Shop') },
    to,
    subject: email.subject,
    html: email.html,
    text: email.text,
    messageId: '1001.a1b2c3d4e5@bounces.shop.example',
    headers: {
      'List-Unsubscribe': '<https://mail.shop.example/u/m-1001.sig>, <mailto:unsubscribe+1001.sig@bounces.shop.example>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': `"${parsed.file.name}" <campaign-1.bounces.shop.example>`,
      'Feedback-ID': '1:bulk:news',
    },
  });
}

/**
 * Scores every message in one `spamassassin --mbox` run (it loads its rules once, not once per
 * message): the messages go in as an mbox, each after a `From ` line naming its index.
 */
function scoreAll(messages: Buffer[]): Promise<Array<SpamVerdict | null>> {
  const mbox = Buffer.concat(
    messages.flatMap((raw, i) => [
      Buffer.from(`From otklik-check-${i}@localhost Thu Jan  1 00:00:00 1970\n`),
      // mboxrd: a line that starts with "From " (after any ">") gets one more ">".
      Buffer.from(
        raw
          .toString('latin1')
          .replace(/\r\n/g, '\n')
          .replace(/^(>*From )/gm, '>$1'),
        'latin1',
      ),
      Buffer.from('\n'),
    ]),
  );
  return new Promise((resolve, reject) => {
    const child = spawn('spamassassin', ['-L', '-t', '--mbox'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const text = Buffer.concat(out).toString('utf8');
      const verdicts: Array<SpamVerdict | null> = messages.map(() => null);
      const parts = text.split(/^From otklik-check-(\d+)@localhost .*$/m);
      for (let i = 1; i < parts.length; i += 2) verdicts[Number(parts[i])] = parseSpamStatus(parts[i + 1]);
      if (verdicts.every((v) => v === null) && messages.length)
        reject(new Error(`spamassassin (exit ${code}) gave no verdict: ${Buffer.concat(err).toString('utf8').trim().slice(0, 300)}`));
      else resolve(verdicts);
    });
    child.stdin.end(mbox);
  });
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  let max = DEFAULT_MAX;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--max') {
      max = Number(args[++i]);
      if (!Number.isFinite(max)) usage('--max needs a number');
    } else if (args[i].startsWith('--')) usage(`unknown option ${args[i]}`);
    else names.push(args[i]);
  }
  const files = templateFiles(names);
  if (spawnSync('spamassassin', ['--version'], { stdio: 'ignore' }).status !== 0) {
    process.stderr.write(
      `SKIPPED: the spamassassin command is not installed (Debian: apt-get install spamassassin); ${files.length} templates NOT checked\n`,
    );
    return 0;
  }
  let failed = 0;
  const lines = new Map<string, string>();
  const rendered: Array<{ file: string; raw: Buffer }> = [];
  for (const file of files) {
    try {
      rendered.push({ file, raw: await render(file) });
    } catch (error) {
      failed++;
      lines.set(file, `FAIL   err  ${path.basename(file, '.mjml')}  ${(error as Error).message}`);
    }
  }
  const verdicts = await scoreAll(rendered.map((r) => r.raw));
  rendered.forEach(({ file }, i) => {
    const name = path.basename(file, '.mjml');
    const verdict = verdicts[i];
    const over = !verdict || verdict.score > max;
    if (over) failed++;
    lines.set(
      file,
      verdict
        ? `${over ? 'FAIL' : 'ok  '} ${verdict.score.toFixed(1).padStart(5)}  ${name}  ${verdict.tests.join(',') || '-'}`
        : `FAIL   err  ${name}  no verdict from spamassassin`,
    );
  });
  for (const file of files) process.stdout.write(`${lines.get(file)}\n`);
  process.stdout.write(`${files.length} templates, ${failed} above ${max.toFixed(1)} or not rendered\n`);
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 2;
  },
);
