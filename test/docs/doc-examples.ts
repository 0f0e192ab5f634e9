// Reads the HTTP examples out of the documentation: every `curl` command in a ```bash block of
// README.md and docs/**/*.md, in document order, with what the text around it promises:
//
//   curl ... localhost:3000/x          # → {"id":1,"status":"queued",…}   expected fields
//   curl ... localhost:3000/x          # 202 {"id":3,…}                    expected status (+ fields)
//   curl -i ...                        (next lines) # HTTP/1.1 429 …      expected status
//
// A block is not run when the line before its fence is the marker
//   <!-- docs-example: not run (why) -->
// (an external host, a file the reader must supply, a real SMTP server, a token from a mail).
// A comment line `# docs-example: not run (why)` right above a command skips that one command.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface DocExample {
  file: string;
  line: number;
  command: string;
  /** The status the text shows, if any; else anything below 400 is expected. */
  status?: number;
  /** The JSON the text shows for the answer (`# → {…}`), as written. */
  answer?: string;
  skip?: string;
}

export const NOT_RUN_BLOCK = /^<!--\s*docs-example:\s*not run\b(.*?)-->\s*$/;
const NOT_RUN_LINE = /^#\s*docs-example:\s*not run\b(.*)$/;

export function docFiles(root: string): string[] {
  const out: string[] = [path.join(root, 'README.md')];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.md')) out.push(full);
    }
  };
  walk(path.join(root, 'docs'));
  return out;
}

interface Piece {
  line: number;
  text: string;
  comment: string;
}

/** Splits a bash block into commands (quotes and `\` continuations span lines) and their trailing comments. */
function splitCommands(lines: string[], firstLine: number): Array<Piece | { line: number; comment: string; text: '' }> {
  const out: Array<Piece> = [];
  let text = '';
  let comment = '';
  let start = -1;
  let quote: '' | "'" | '"' = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (start < 0) start = i;
    let j = 0;
    let continued = false;
    for (; j < line.length; j++) {
      const c = line[j];
      if (quote === "'") {
        if (c === "'") quote = '';
      } else if (quote === '"') {
        if (c === '\\') j++;
        else if (c === '"') quote = '';
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '\\' && j === line.length - 1) {
        continued = true;
        break;
      } else if (c === '#' && (j === 0 || /\s/.test(line[j - 1]))) {
        comment = line.slice(j + 1).trim();
        break;
      }
    }
    // A continued line keeps its `\` so that bash reads the command as written.
    text += (continued ? line : line.slice(0, j)) + (quote || continued ? '\n' : '');
    if (quote || continued) continue;
    out.push({ line: firstLine + start, text: text.trim(), comment });
    text = '';
    comment = '';
    start = -1;
  }
  if (text.trim()) out.push({ line: firstLine + start, text: text.trim(), comment });
  return out;
}

export function parseStatus(comment: string): number | undefined {
  const match = /^(?:→\s*)?(?:HTTP\/[\d.]+\s+)?([1-5]\d\d)\b/.exec(comment);
  return match ? Number(match[1]) : undefined;
}

/**
 * What a trailing comment shows: `→ {…}` an answer, `400 {…}` or `→ 400 {…}` a status and an
 * answer, `HTTP/1.1 429 …` or `202 …` a status. Other comments are prose.
 */
export function readComment(comment: string): { status?: number; answer?: string } {
  const arrow = comment.startsWith('→');
  const rest = (arrow ? comment.slice(1) : comment).trim();
  const status = parseStatus(rest);
  const after = status === undefined ? rest : rest.replace(/^(?:HTTP\/[\d.]+\s+)?\d{3}\b\s*/, '');
  const answer = (arrow || status !== undefined) && /^[{[]/.test(after) ? after : undefined;
  return { ...(status !== undefined ? { status } : {}), ...(answer !== undefined ? { answer } : {}) };
}

export function extractExamples(file: string, root: string): DocExample[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const examples: DocExample[] = [];
  const rel = path.relative(root, file);
  for (let i = 0; i < lines.length; i++) {
    if (!/^```bash\s*$/.test(lines[i])) continue;
    const marker =
      i > 0 ? (NOT_RUN_BLOCK.exec(lines[i - 1]) ?? (i > 1 && lines[i - 1] === '' ? NOT_RUN_BLOCK.exec(lines[i - 2]) : null)) : null;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
    const pieces = splitCommands(lines.slice(i + 1, end), i + 2);
    let last: DocExample | undefined;
    let lineSkip: string | undefined;
    for (const piece of pieces) {
      if (piece.text === '') {
        // A comment line: a skip marker, or what the previous command answers.
        const skip = NOT_RUN_LINE.exec(`#${piece.comment}`) ?? NOT_RUN_LINE.exec(piece.comment);
        if (skip) {
          lineSkip = skip[1].trim() || 'marked';
          continue;
        }
        if (!last) continue;
        if (last.answer !== undefined && /^#\s{2,}/.test(lines[piece.line - 1]) && !piece.comment.startsWith('→')) {
          last.answer += piece.comment;
        } else if (piece.comment.startsWith('→')) {
          const shown = readComment(piece.comment);
          if (shown.status !== undefined) last.status ??= shown.status;
          last.answer = shown.answer ?? piece.comment.slice(1).trim();
        } else if (/^HTTP\/[\d.]+\s+\d{3}/.test(piece.comment) && last.status === undefined) {
          last.status = parseStatus(piece.comment);
        }
        continue;
      }
      last = undefined;
      if (!/^curl\s/.test(piece.text)) {
        lineSkip = undefined;
        continue;
      }
      const example: DocExample = { file: rel, line: piece.line, command: piece.text };
      const shown = readComment(piece.comment);
      if (shown.status !== undefined) example.status = shown.status;
      if (shown.answer !== undefined) example.answer = shown.answer;
      if (marker) example.skip = marker[1].trim() || 'marked';
      if (lineSkip) example.skip = lineSkip;
      lineSkip = undefined;
      examples.push(example);
      last = example;
    }
    i = end;
  }
  return examples;
}

/** The doc's JSON with `…` for "and more": `,…` dropped, `"x…"` kept as a prefix. */
export function parseAnswer(text: string): unknown {
  const cleaned = balanced(text)
    .replace(/,\s*…\s*(?=[}\]])/g, '')
    .replace(/,\s*\.\.\.\s*(?=[}\]])/g, '')
    .replace(/([{[])\s*…\s*(?=[}\]])/g, '$1');
  return JSON.parse(cleaned);
}

/** The JSON value at the start of `text`, without the prose after it. */
function balanced(text: string): string {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return text.slice(0, i + 1);
    }
  }
  return text;
}

const ID_KEY = /^(id|.*Id|.*Ids|next)$/;

/** Differences between what the doc shows and what came back (ids compare by type only). */
export function mismatches(expected: unknown, actual: unknown, at = '', key = ''): string[] {
  if (typeof expected === 'string' && expected.endsWith('…')) {
    const prefix = expected.slice(0, -1);
    return typeof actual === 'string' && actual.startsWith(prefix)
      ? []
      : [`${at || '.'}: expected a string starting ${JSON.stringify(prefix)}, got ${JSON.stringify(actual)}`];
  }
  if (ID_KEY.test(key) && expected !== null && typeof expected !== 'object') {
    return typeof actual === typeof expected ? [] : [`${at}: expected a ${typeof expected} id, got ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${at || '.'}: expected an array, got ${JSON.stringify(actual)}`];
    if (actual.length < expected.length) return [`${at || '.'}: expected at least ${expected.length} entries, got ${actual.length}`];
    return expected.flatMap((item, index) => mismatches(item, actual[index], `${at}[${index}]`, key));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return [`${at || '.'}: expected an object, got ${JSON.stringify(actual)}`];
    return Object.entries(expected).flatMap(([k, v]) =>
      k in actual ? mismatches(v, (actual as Record<string, unknown>)[k], `${at}.${k}`, k) : [`${at}.${k}: missing`],
    );
  }
  return expected === actual ? [] : [`${at || '.'}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}
