// Template files: an optional front-matter block of `key: value` lines, then the body.
//
//   ---
//   name: Заказ отправлен
//   subject: {{firstName default="Здравствуйте"}}, заказ №{{order.number}} в пути
//   preheader: Трек-номер {{order.trackingNumber}}
//   data: promoCode, discountPercent
//   data.validUntil: date! "Действует до" = {{run.isoDate}}
//   ---
//   <mjml> … </mjml>
//
// Email files are `templates/email/<key>.<locale>.mjml` (subject required); an optional
// hand-written text part sits beside them as `<key>.<locale>.txt`. SMS files are
// `templates/sms/<key>.<locale>.txt` (front matter optional; `maxSegments` sets the
// segment warning). Each value runs to the end of its line; no quoting is needed.
// `data: a, b` declares optional text fields; a `data.<name>: type[!] ["label"] [= default]`
// line declares one field fully (data-fields.ts).

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { parseDataFieldLine, plainDataFields, type DataField } from './data-fields';
import type { PartLocation } from './template-check';
import { TemplateCompileError, type TemplateIssue, type TemplateWarning } from './template-issue';

export type TemplateChannel = 'email' | 'sms';

const KNOWN_KEYS = new Set(['key', 'name', 'channel', 'locale', 'subject', 'preheader', 'data', 'maxSegments', 'description']);

export interface TemplateFile {
  path?: string;
  key: string;
  name: string;
  channel: TemplateChannel;
  locale: string;
  subject?: string;
  preheader?: string;
  /** MJML (email) or Handlebars text (SMS) */
  body: string;
  /** hand-written plain-text part of an email */
  text?: string;
  /** declared `data.*` field names */
  dataFields?: string[];
  /** the full declaration: type, required, label, default of each field */
  dataSchema?: DataField[];
  /** SMS: warn above this many segments */
  maxSegments?: number;
  /** all front-matter values as written */
  meta: Record<string, string>;
  locations: { subject?: PartLocation; preheader?: PartLocation; body: PartLocation; text?: PartLocation };
}

export interface ParseOptions {
  path?: string;
  channel?: TemplateChannel;
  key?: string;
  locale?: string;
}

export interface ParsedTemplateFile {
  file?: TemplateFile;
  errors: TemplateIssue[];
  warnings: TemplateWarning[];
}

/** `order-shipped.ru.mjml` → key, locale and channel. */
export function nameParts(path: string): { key?: string; locale?: string; channel?: TemplateChannel } {
  const ext = extname(path).toLowerCase();
  const channel: TemplateChannel | undefined = ext === '.mjml' ? 'email' : ext === '.txt' ? 'sms' : undefined;
  const stem = basename(path, extname(path));
  const m = /^(.+)\.([a-z]{2,3}(?:-[A-Za-z0-9]+)?)$/.exec(stem);
  return m ? { key: m[1], locale: m[2], channel } : { key: stem, channel };
}

export function parseTemplateFile(content: string, options: ParseOptions = {}): ParsedTemplateFile {
  const text = content.replace(/\r\n?/g, '\n').replace(/^\uFEFF/, '');
  const errors: TemplateIssue[] = [];
  const warnings: TemplateWarning[] = [];
  const meta: Record<string, string> = {};
  const metaAt: Record<string, PartLocation> = {};
  let body = text;
  let bodyLine = 1;

  if (/^---[ \t]*\n/.test(text)) {
    const lines = text.split('\n');
    const close = lines.findIndex((l, i) => i > 0 && /^---[ \t]*$/.test(l));
    if (close < 0) {
      errors.push({ line: 1, column: 1, message: 'Front matter opened with --- is never closed with ---', part: 'front-matter' });
      return { errors, warnings };
    }
    for (let i = 1; i < close; i++) {
      const line = lines[i];
      if (!line.trim() || /^\s*#/.test(line)) continue;
      const m = /^([A-Za-z][\w-]*|data\.[^\s:]+)[ \t]*:[ \t]?/.exec(line);
      if (!m) {
        errors.push({
          line: i + 1,
          column: 1,
          message: `Front matter lines are "key: value", got ${JSON.stringify(line)}`,
          part: 'front-matter',
        });
        continue;
      }
      const key = m[1];
      if (!KNOWN_KEYS.has(key) && !key.startsWith('data.')) {
        warnings.push({
          line: i + 1,
          column: 1,
          message: `Unknown front-matter key "${key}"; known: ${[...KNOWN_KEYS].join(', ')}`,
          part: 'front-matter',
        });
      }
      if (Object.hasOwn(meta, key))
        errors.push({ line: i + 1, column: 1, message: `Front-matter key "${key}" appears twice`, part: 'front-matter' });
      const raw = line.slice(m[0].length);
      const value = raw.trimEnd();
      const lead = raw.length - raw.trimStart().length;
      meta[key] = value.trim();
      metaAt[key] = {
        part: key === 'subject' ? 'subject' : key === 'preheader' ? 'preheader' : 'front-matter',
        line: i + 1,
        column: m[0].length + lead + 1,
      };
    }
    body = lines.slice(close + 1).join('\n');
    bodyLine = close + 2;
  }

  const fromName = options.path ? nameParts(options.path) : {};
  const channelValue =
    options.channel ?? (meta.channel as TemplateChannel | undefined) ?? fromName.channel ?? (/^\s*<mjml[\s>]/.test(body) ? 'email' : 'sms');
  if (channelValue !== 'email' && channelValue !== 'sms') {
    errors.push({
      ...(metaAt.channel ?? { line: 1, column: 1 }),
      message: `channel must be email or sms, got "${String(channelValue)}"`,
      part: 'front-matter',
    });
  }
  let maxSegments: number | undefined;
  if (meta.maxSegments !== undefined) {
    maxSegments = Number(meta.maxSegments);
    if (!Number.isInteger(maxSegments) || maxSegments < 1) {
      errors.push({
        ...metaAt.maxSegments,
        message: `maxSegments must be a whole number ≥ 1, got "${meta.maxSegments}"`,
        part: 'front-matter',
      });
    }
  }
  const dataFields = meta.data
    ?.split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const bad = dataFields?.find((f) => !/^[A-Za-z_][\w]*$/.test(f));
  if (bad)
    errors.push({ ...metaAt.data, message: `data lists field names separated by commas; "${bad}" is not a name`, part: 'front-matter' });
  const dataSchema = plainDataFields(dataFields ?? []);
  for (const key of Object.keys(meta).filter((k) => k.startsWith('data.'))) {
    const name = key.slice('data.'.length);
    const parsed = parseDataFieldLine(name, meta[key]);
    if (parsed.error) errors.push({ ...metaAt[key], message: `${key}: ${parsed.error}`, part: 'front-matter' });
    else if (dataSchema.some((f) => f.name === name))
      errors.push({ ...metaAt[key], message: `${key}: the field is also listed in "data:"; declare it once`, part: 'front-matter' });
    else dataSchema.push(parsed.field!);
  }
  if (errors.length) return { errors, warnings };

  const channel = channelValue;
  const key = meta.key || options.key || fromName.key || 'template';
  const file: TemplateFile = {
    path: options.path,
    key,
    name: meta.name || key,
    channel,
    locale: meta.locale || options.locale || fromName.locale || 'ru',
    body: channel === 'sms' ? withoutTrailingNewlines(body) : body,
    meta,
    dataFields: dataSchema.length ? dataSchema.map((f) => f.name) : undefined,
    dataSchema: dataSchema.length ? dataSchema : undefined,
    maxSegments,
    locations: { body: { part: 'body', line: bodyLine, column: 1 } },
  };
  if (meta.subject !== undefined) {
    file.subject = meta.subject;
    file.locations.subject = metaAt.subject;
  }
  if (meta.preheader !== undefined) {
    file.preheader = meta.preheader;
    file.locations.preheader = metaAt.preheader;
  }
  return { file, errors, warnings };
}

/** A loop, not `replace(/\n+$/, '')`, which retries every newline of a long run that is not at the end (quadratic). */
function withoutTrailingNewlines(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x0a) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** Reads and parses one template file; an email's sibling `.txt` becomes its text part. */
export function readTemplateFile(path: string): ParsedTemplateFile {
  const parsed = parseTemplateFile(readFileSync(path, 'utf8'), { path });
  const file = parsed.file;
  if (file?.channel === 'email' && extname(path).toLowerCase() === '.mjml') {
    const textPath = path.slice(0, -'.mjml'.length) + '.txt';
    if (existsSync(textPath)) {
      file.text = readFileSync(textPath, 'utf8').replace(/\r\n?/g, '\n');
      file.locations.text = { part: 'text', line: 1, column: 1 };
    }
  }
  return parsed;
}

/** Reads and parses one template file; throws TemplateCompileError for bad front matter. */
export function loadTemplateFile(path: string): TemplateFile {
  const parsed = readTemplateFile(path);
  if (!parsed.file) throw new TemplateCompileError(parsed.errors, parsed.warnings);
  return parsed.file;
}

/** The repository's `templates/` folder, found upwards from this file (works from src and dist). */
export function defaultTemplatesDir(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'templates');
    if (existsSync(join(candidate, 'email')) && existsSync(join(dir, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No templates/ folder with email/ found above ${__dirname}`);
    dir = parent;
  }
}

/** Every default template: `email/*.mjml` and `sms/*.txt` under `dir`. */
export function loadDefaultTemplates(dir: string = defaultTemplatesDir()): TemplateFile[] {
  const files: TemplateFile[] = [];
  for (const [sub, ext] of [
    ['email', '.mjml'],
    ['sms', '.txt'],
  ] as const) {
    const folder = join(dir, sub);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) continue;
    for (const name of readdirSync(folder).sort()) {
      if (name.endsWith(ext)) files.push(loadTemplateFile(join(folder, name)));
    }
  }
  return files;
}

/** channel → key → locale → file. */
export type TemplateSet = Record<TemplateChannel, Map<string, Map<string, TemplateFile>>>;

export function groupTemplates(files: TemplateFile[]): TemplateSet {
  const set: TemplateSet = { email: new Map(), sms: new Map() };
  for (const file of files) {
    const byLocale = set[file.channel].get(file.key) ?? new Map<string, TemplateFile>();
    byLocale.set(file.locale, file);
    set[file.channel].set(file.key, byLocale);
  }
  return set;
}
