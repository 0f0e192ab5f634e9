// The examples in the guides are run, not just written: every `curl` command in a ```bash block of
// README.md and docs/**/*.md (see doc-examples.ts for what is read and how a block is marked not
// to run) goes, in document order, to a fresh server per file, with bash and the real curl.
// `localhost:3000` becomes the test server, `$KEY` and `$ADMIN_KEY` admin keys (as the one
// quickstart prints), `H` the usual header array. Each request must answer below 400 unless the
// doc shows the status, and where the doc shows the answer (`# → {…}`) its fields must match
// (ids by type only). Files the examples name (price.pdf, clients.csv, reply.eml, logo.png) are made here.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { pngImage } from '../support/images';
import { startTestApp, type TestApp } from '../support/test-app';
import { ROOT } from '../support/test-env';
import { docFiles, extractExamples, mismatches, parseAnswer, type DocExample } from './doc-examples';

const run = promisify(execFile);

const PRELUDE = [
  'set -o pipefail',
  `H=(-H "Authorization: Bearer $KEY" -H 'content-type: application/json')`,
  // URLs the server hands out (its PUBLIC_URL is http://localhost:3000) lead to this server too.
  'curl() { command curl -sS --max-time 30 -D "$OTK_HEADERS" "${@//http:\\/\\/localhost:3000/$OTK_BASE}"; }',
].join('\n');

function makeFiles(dir: string): void {
  writeFileSync(path.join(dir, 'logo.png'), pngImage(120, 40));
  writeFileSync(path.join(dir, 'price.pdf'), '%PDF-1.4\n% a price list\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
  writeFileSync(
    path.join(dir, 'clients.csv'),
    'E-mail;Телефон;ФИО;Город\nivan@mail.ru;8 912 345-67-89;Иванов Иван Иванович;Москва\nanna@example.com;;Анна Смирнова;Казань\nnot-an-email;;Кто-то;Тверь\n',
  );
  writeFileSync(
    path.join(dir, 'reply.eml'),
    'From: Ivan <ivan@mail.ru>\r\nTo: news@shop.example\r\nSubject: Re: price list\r\nMessage-ID: <r1@mail.ru>\r\n\r\nДобрый день, пришлите цену на кабель.\r\n',
  );
}

interface Outcome {
  status: number | undefined;
  body: string;
  stderr: string;
}

async function execute(example: DocExample, app: TestApp, keys: { admin: string }, dir: string): Promise<Outcome> {
  const headers = path.join(dir, 'headers.txt');
  writeFileSync(headers, '');
  const port = new URL(app.url).port;
  const command = example.command.replace(/(https?:\/\/)?localhost:3000/g, `http://127.0.0.1:${port}`);
  try {
    const { stdout, stderr } = await run('bash', ['-c', `${PRELUDE}\n${command}`], {
      cwd: dir,
      env: { ...process.env, KEY: keys.admin, ADMIN_KEY: keys.admin, OTK_HEADERS: headers, OTK_BASE: `http://127.0.0.1:${port}` },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 60_000,
    });
    return { status: lastStatus(readFileSync(headers, 'utf8')), body: stdout, stderr };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    return { status: lastStatus(readFileSync(headers, 'utf8')), body: failed.stdout ?? '', stderr: failed.stderr || failed.message };
  }
}

function lastStatus(headers: string): number | undefined {
  const statuses = [...headers.matchAll(/^HTTP\/[\d.]+ (\d{3})/gm)].map((m) => Number(m[1]));
  return statuses.at(-1);
}

function jsonOf(body: string): unknown {
  const start = body.search(/[[{]/);
  if (start < 0) return undefined;
  try {
    return JSON.parse(body.slice(start));
  } catch {
    return undefined;
  }
}

const files = docFiles(ROOT)
  .map((file) => ({ file: path.relative(ROOT, file), examples: extractExamples(file, ROOT) }))
  .filter((entry) => entry.examples.length > 0)
  // DOCS_EXAMPLES=guides/feedback runs only the files whose path contains it.
  .filter((entry) => !process.env.DOCS_EXAMPLES || entry.file.includes(process.env.DOCS_EXAMPLES));

describe('documented HTTP examples', () => {
  beforeAll(async () => {
    // The examples are shell commands: without these tools they cannot run, and that must fail, not skip.
    const missing: string[] = [];
    for (const tool of ['bash', 'curl', 'jq', 'base64']) {
      try {
        await run('bash', ['-c', `command -v ${tool}`]);
      } catch {
        missing.push(tool);
      }
    }
    if (missing.length)
      throw new Error(`the documented examples need ${missing.join(', ')} on PATH (Debian: apt-get install ${missing.join(' ')})`);
  });

  it('finds examples to run, and the answers they show', () => {
    const all = files.flatMap((entry) => entry.examples).filter((e) => !e.skip);
    expect(all.length).toBeGreaterThan(process.env.DOCS_EXAMPLES ? 0 : 40);
    if (!process.env.DOCS_EXAMPLES) expect(all.filter((e) => e.answer !== undefined).length).toBeGreaterThan(8);
    // The comparison itself: ids by type, `…` as "and more", other values exactly.
    expect(mismatches(parseAnswer('{"id":1,"status":"queued",…} and prose'), { id: 7, status: 'queued', extra: true })).toEqual([]);
    expect(mismatches(parseAnswer('{"status":"queued"}'), { status: 'held' })).toHaveLength(1);
  });

  describe.each(files)('$file', ({ file, examples }) => {
    let app: TestApp;
    let dir: string;
    let admin: string;

    beforeAll(async () => {
      app = await startTestApp();
      admin = await app.key('admin');
      dir = mkdtempSync(path.join(tmpdir(), 'otklik-doc-examples-'));
      makeFiles(dir);
    });

    afterAll(async () => {
      await app?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it(`runs its ${examples.filter((e) => !e.skip).length} examples in order (${examples.filter((e) => e.skip).length} marked not run)`, async () => {
      const problems: string[] = [];
      for (const example of examples) {
        if (example.skip) continue;
        const outcome = await execute(example, app, { admin }, dir);
        const where = `${file}:${example.line}`;
        const expected = example.status;
        if (outcome.status === undefined) {
          problems.push(`${where}: no HTTP answer (${outcome.stderr.trim().split('\n').at(-1)})\n    ${example.command}`);
          continue;
        }
        const bad = expected !== undefined ? outcome.status !== expected : outcome.status >= 400;
        if (bad) {
          problems.push(
            `${where}: HTTP ${outcome.status}${expected ? ` (the doc shows ${expected})` : ''}: ${outcome.body.slice(0, 300)}\n    ${example.command}`,
          );
          continue;
        }
        if (example.answer !== undefined) {
          let shown: unknown;
          try {
            shown = parseAnswer(example.answer);
          } catch (error) {
            problems.push(`${where}: the answer the doc shows is not JSON (${(error as Error).message}): ${example.answer}`);
            continue;
          }
          const diff = mismatches(shown, jsonOf(outcome.body));
          if (diff.length)
            problems.push(`${where}: the answer differs from the doc: ${diff.join('; ')}\n    got ${outcome.body.slice(0, 300)}`);
        }
      }
      if (problems.length) throw new Error(`${problems.length} documented example(s) failed:\n${problems.join('\n')}`);
    }, 300_000);
  });
});
