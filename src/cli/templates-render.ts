// `npm run -s templates:render -- FILE [--data JSON|@file.json]`
//
// Validates a template file (`.mjml` email or `.txt` SMS, front matter as in templates/) and
// renders it for a sample customer of the file's locale, deep-merged with --data
// (e.g. '{"customer":{"firstName":"Олег"},"data":{"promoCode":"X1"}}'). Prints one JSON
// object: { subject, preheader, html, text, warnings } for an email,
// { text, sms, warnings } for an SMS, or { errors, warnings } and exit code 1.

import { readFileSync } from 'node:fs';
import {
  checkEmail,
  checkSms,
  emailSourceOf,
  mergeContext,
  readTemplateFile,
  sampleContext,
  type ParsedTemplateFile,
  type RenderContext,
  type TemplateIssue,
  type TemplateWarning,
} from '../templates/render';

interface Output {
  [key: string]: unknown;
}

function usageError(message: string): TemplateIssue {
  return { line: 0, column: 0, message };
}

function parseArgs(argv: string[]): { file?: string; data?: string; errors: TemplateIssue[] } {
  const errors: TemplateIssue[] = [];
  let file: string | undefined;
  let data: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--data') {
      data = argv[++i];
      if (data === undefined) errors.push(usageError('--data needs a JSON value'));
    } else if (arg.startsWith('--data=')) {
      data = arg.slice('--data='.length);
    } else if (arg.startsWith('--')) {
      errors.push(usageError(`unknown option ${arg}; usage: templates:render FILE [--data JSON|@file.json]`));
    } else if (file === undefined) {
      file = arg;
    } else {
      errors.push(usageError(`one template file at a time; got also ${arg}`));
    }
  }
  if (!file && errors.length === 0) errors.push(usageError('usage: templates:render FILE [--data JSON|@file.json]'));
  return { file, data, errors };
}

function readData(raw: string | undefined): { patch?: unknown; error?: TemplateIssue } {
  if (raw === undefined) return {};
  let text = raw;
  try {
    if (raw.startsWith('@')) text = readFileSync(raw.slice(1), 'utf8');
  } catch (error) {
    return { error: usageError(`--data: cannot read ${raw.slice(1)}: ${(error as Error).message}`) };
  }
  try {
    const patch: unknown = JSON.parse(text);
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return { error: usageError('--data must be a JSON object') };
    return { patch };
  } catch (error) {
    return { error: usageError(`--data is not valid JSON: ${(error as Error).message}`) };
  }
}

function issues(list: TemplateWarning[]): Output[] {
  return list.map(({ line, column, message }) => ({ line, column, message }));
}

async function run(argv: string[]): Promise<{ output: Output; ok: boolean }> {
  const args = parseArgs(argv);
  if (args.errors.length || !args.file) return { output: { errors: args.errors }, ok: false };
  const data = readData(args.data);
  if (data.error) return { output: { errors: [data.error] }, ok: false };

  let parsed: ParsedTemplateFile;
  try {
    parsed = readTemplateFile(args.file);
  } catch (error) {
    return { output: { errors: [usageError(`cannot read ${args.file}: ${(error as Error).message}`)] }, ok: false };
  }
  if (!parsed.file) return { output: { errors: issues(parsed.errors), warnings: issues(parsed.warnings) }, ok: false };
  const file = parsed.file;
  const context = mergeContext<RenderContext>(sampleContext(file.locale), data.patch);

  if (file.channel === 'email') {
    const check = await checkEmail(emailSourceOf(file));
    const warnings = issues([...parsed.warnings, ...check.warnings]);
    if (!check.compiled) return { output: { errors: issues(check.errors), warnings }, ok: false };
    const rendered = check.compiled.render(context);
    return { output: { ...rendered, warnings }, ok: true };
  }
  const check = checkSms({
    text: file.body,
    locale: file.locale,
    maxSegments: file.maxSegments,
    dataFields: file.dataFields,
    location: file.locations.body,
  });
  const warnings = issues([...parsed.warnings, ...check.warnings]);
  if (!check.compiled) return { output: { errors: issues(check.errors), warnings }, ok: false };
  const rendered = check.compiled.render(context);
  return {
    output: { text: rendered.text, sms: rendered.length, warnings: [...warnings, ...rendered.warnings.map((message) => ({ message }))] },
    ok: true,
  };
}

run(process.argv.slice(2)).then(
  ({ output, ok }) => {
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    process.exitCode = ok ? 0 : 1;
  },
  (error: unknown) => {
    process.stdout.write(`${JSON.stringify({ errors: [usageError(error instanceof Error ? error.message : String(error))] }, null, 2)}\n`);
    process.exitCode = 1;
  },
);
