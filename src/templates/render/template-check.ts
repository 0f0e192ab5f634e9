// Handlebars-level checks of one template part: syntax errors located in the original
// source, unknown helpers (errors: they throw at render time) and unknown variables
// (warnings, with the list of known ones).

import { handlebars, HELPER_NAMES, parseTemplate, REFUSED_HELPERS } from './handlebars-env';
import { HELPER_MIN_PARAMS, VALUE_HELPERS } from './helpers';
import { LineIndex, scanMustaches } from './mustache-scan';
import { listKnownPaths, type KnownNode } from './render-context';
import type { TemplateIssue, TemplatePart, TemplateWarning, UnknownVariableWarning } from './template-issue';

type Program = hbs.AST.Program;
type Node = hbs.AST.Node;
type Expression = hbs.AST.Expression;
type PathExpression = hbs.AST.PathExpression;
type SubExpression = hbs.AST.SubExpression;
type MustacheStatement = hbs.AST.MustacheStatement;
type BlockStatement = hbs.AST.BlockStatement;

/** Where a part sits in the original file, to report file positions. */
export interface PartLocation {
  part: TemplatePart;
  /** 1-based file line of the part's first line */
  line: number;
  /** 1-based file column of the part's first character (front-matter values start mid-line) */
  column: number;
}

export interface CheckOptions {
  location: PartLocation;
  root: Record<string, KnownNode>;
  /** HTML part: warn about unescaped output */
  html: boolean;
}

export interface CheckResult {
  program?: Program;
  errors: TemplateIssue[];
  warnings: TemplateWarning[];
}

const TOKEN_WORDS: Record<string, string> = {
  CLOSE: '}}',
  CLOSE_UNESCAPED: '}}}',
  CLOSE_RAW_BLOCK: '}}}}',
  OPEN_SEXPR: '(',
  CLOSE_SEXPR: ')',
  ID: 'a name',
  STRING: 'a string',
  NUMBER: 'a number',
  BOOLEAN: 'true/false',
  UNDEFINED: 'undefined',
  NULL: 'null',
  DATA: '@variable',
  SEP: '. or /',
  EQUALS: '=',
  OPEN_BLOCK_PARAMS: 'as |…|',
  CLOSE_BLOCK_PARAMS: '|',
  OPEN_ENDBLOCK: '{{/…}}',
  OPEN_INVERSE_CHAIN: '{{else …}}',
  INVERSE: '{{else}}',
  EOF: 'end of template',
  INVALID: 'invalid text',
};

function word(token: string): string {
  return TOKEN_WORDS[token] ?? token.toLowerCase();
}

function at(location: PartLocation, line: number, column0: number): { line: number; column: number } {
  return { line: location.line + line - 1, column: column0 + 1 + (line === 1 ? location.column - 1 : 0) };
}

/** A block opened and never closed, found with the scanner (Handlebars reports only EOF). */
function unclosedBlock(source: string): { offset: number; text: string; name: string } | undefined {
  const stack: { offset: number; text: string; name: string }[] = [];
  for (const token of scanMustaches(source)) {
    if (token.kind === 'open') stack.push({ offset: token.start, text: token.text, name: token.name });
    else if (token.kind === 'close') stack.pop();
  }
  return stack[stack.length - 1];
}

function syntaxError(error: unknown, source: string, location: PartLocation): TemplateIssue {
  const e = error as { message?: string; lineNumber?: number; column?: number };
  const message = e.message ?? String(error);
  if (typeof e.lineNumber === 'number' && typeof e.column === 'number') {
    // semantic errors (e.g. "if doesn't match each") carry the opening block's location
    const pos = at(location, e.lineNumber, e.column);
    return { ...pos, message: `Handlebars: ${message.replace(/ - \d+:\d+$/, '')}`, part: location.part };
  }
  const got = /got '([A-Z_]+)'/.exec(message)?.[1];
  const expecting = /Expecting (.+), got/.exec(message)?.[1];
  if (got === 'EOF') {
    const open = unclosedBlock(source);
    if (open) {
      const p = new LineIndex(source).position(open.offset);
      return {
        ...at(location, p.line, p.column - 1),
        message: `Handlebars: ${open.text} is never closed (missing {{/${open.name}}})`,
        part: location.part,
      };
    }
  }
  // the parser reports no column; its lexer still holds the offending token's position
  const parser = (handlebars as unknown as { Parser?: { lexer?: { yylloc?: { first_line: number; first_column: number } } } }).Parser;
  const loc = parser?.lexer?.yylloc;
  const lineFromMessage = Number(/on line (\d+)/.exec(message)?.[1] ?? '1');
  const pos = loc && loc.first_line === lineFromMessage ? at(location, loc.first_line, loc.first_column) : at(location, lineFromMessage, 0);
  let text: string;
  if (got && expecting) {
    const expected = [...new Set(expecting.split(', ').map((t) => word(t.replace(/'/g, ''))))].slice(0, 6).join(', ');
    text = `Handlebars syntax error: unexpected ${word(got)}, expected ${expected}`;
  } else if (/Lexical error/.test(message)) {
    text = 'Handlebars syntax error: unrecognised text inside {{ }}';
  } else {
    text = `Handlebars: ${message.split('\n')[0]}`;
  }
  return { ...pos, message: text, part: location.part };
}

// ---- variable analysis ---------------------------------------------------------------------

type Scope = { node: KnownNode } | 'unknown';

function childNode(node: KnownNode, part: string): KnownNode | undefined | 'length' {
  if (node === 'open') return 'open';
  if (node === 'leaf') return part === 'length' ? 'length' : undefined;
  if ('fields' in node) return Object.prototype.hasOwnProperty.call(node.fields, part) ? node.fields[part] : undefined;
  if (/^\d+$/.test(part)) return node.items;
  return part === 'length' ? 'length' : undefined;
}

/** The catalogue node a path names, 'unknown' if it cannot be judged, undefined if unknown. */
function resolveParts(start: KnownNode, parts: string[]): KnownNode | 'unknown' | undefined {
  let node: KnownNode = start;
  for (let k = 0; k < parts.length; k++) {
    const next = childNode(node, parts[k]);
    if (next === undefined) return undefined;
    if (next === 'length') return k === parts.length - 1 ? 'leaf' : undefined;
    node = next;
    if (node === 'open') return 'open';
  }
  return node;
}

class VariableChecker {
  readonly errors: TemplateIssue[] = [];
  readonly warnings: TemplateWarning[] = [];
  private readonly rootNode: KnownNode;
  private knownList?: string[];

  constructor(private readonly options: CheckOptions) {
    this.rootNode = { fields: options.root };
  }

  private known(): string[] {
    this.knownList ??= [...listKnownPaths(this.options.root), ...VALUE_HELPERS];
    return this.knownList;
  }

  private pos(node: Node): { line: number; column: number } {
    return at(this.options.location, node.loc.start.line, node.loc.start.column);
  }

  run(program: Program): void {
    this.program(program, [{ node: this.rootNode }], new Set());
  }

  private program(program: Program | undefined, scopes: Scope[], blockParams: Set<string>): void {
    if (!program) return;
    for (const statement of program.body) this.statement(statement, scopes, blockParams);
  }

  private statement(node: Node, scopes: Scope[], blockParams: Set<string>): void {
    if (node.type === 'MustacheStatement') {
      const m = node as MustacheStatement;
      if (this.options.html && !m.escaped) {
        this.warnings.push({
          ...this.pos(m),
          message: 'Unescaped output {{{…}}}: values printed here are not HTML-escaped; use {{…}} for customer data',
          part: this.options.location.part,
        });
      }
      this.call(m, scopes, blockParams);
    } else if (node.type === 'BlockStatement') {
      const b = node as BlockStatement;
      const inner = this.call(b, scopes, blockParams);
      const params = new Set(blockParams);
      for (const name of b.program?.blockParams ?? []) params.add(name);
      this.program(b.program, [...scopes, inner], params);
      this.program(b.inverse, scopes, blockParams);
    } else if (
      node.type === 'PartialStatement' ||
      node.type === 'PartialBlockStatement' ||
      node.type === 'DecoratorBlock' ||
      node.type === 'Decorator'
    ) {
      this.errors.push({
        ...this.pos(node),
        message: 'Partials and decorators are not supported in templates',
        part: this.options.location.part,
      });
    }
  }

  /** Checks a call site; for a block, returns the scope of its body. */
  private call(node: MustacheStatement | SubExpression | BlockStatement, scopes: Scope[], blockParams: Set<string>): Scope {
    const current = scopes[scopes.length - 1];
    if (node.path.type !== 'PathExpression') return current; // {{"literal"}}
    const path = node.path as PathExpression;
    const refused = !path.data && path.depth === 0 && path.parts.length === 1 ? REFUSED_HELPERS.get(path.parts[0]) : undefined;
    if (refused !== undefined) {
      this.errors.push({
        ...this.pos(node),
        message: `Helper "${path.parts[0]}" is not available in templates: ${refused}`,
        part: this.options.location.part,
      });
      return 'unknown';
    }
    const isHelper = !path.data && path.depth === 0 && path.parts.length === 1 && HELPER_NAMES.has(path.parts[0]);
    const hashValues: Expression[] = node.hash?.pairs.map((p: hbs.AST.HashPair) => p.value) ?? [];
    if (isHelper) {
      const needed = HELPER_MIN_PARAMS[path.parts[0]] ?? 0;
      if (node.params.length < needed) {
        this.errors.push({
          ...this.pos(node),
          message: `Helper "${path.parts[0]}" needs ${needed} parameter${needed > 1 ? 's' : ''}, got ${node.params.length}`,
          part: this.options.location.part,
        });
      }
      const resolved = node.params.map((p: Expression) => this.expression(p, scopes, blockParams));
      if (node.type !== 'BlockStatement') {
        hashValues.forEach((v) => this.expression(v, scopes, blockParams));
        return current;
      }
      hashValues.forEach((v) => this.expression(v, scopes, blockParams));
      const name = path.parts[0];
      const target = resolved[0];
      if (name === 'each')
        return target && target !== 'unknown' && typeof target === 'object' && 'items' in target ? { node: target.items } : 'unknown';
      if (name === 'with') return target && target !== 'unknown' ? { node: target } : 'unknown';
      return current;
    }
    if (node.params.length > 0 || (node.hash && node.hash.pairs.length > 0)) {
      this.errors.push({
        ...this.pos(node),
        message: `Unknown helper "${path.original}"; helpers: ${[...HELPER_NAMES].filter((h) => !/Missing$/.test(h)).join(', ')}`,
        part: this.options.location.part,
      });
      return 'unknown';
    }
    const target = this.path(path, scopes, blockParams);
    if (node.type === 'BlockStatement' && target && target !== 'unknown') {
      return typeof target === 'object' && 'items' in target ? { node: target.items } : { node: target };
    }
    return node.type === 'BlockStatement' ? 'unknown' : current;
  }

  private expression(expr: Expression, scopes: Scope[], blockParams: Set<string>): KnownNode | 'unknown' | undefined {
    if (expr.type === 'PathExpression') return this.path(expr as PathExpression, scopes, blockParams);
    if (expr.type === 'SubExpression') this.call(expr as SubExpression, scopes, blockParams);
    return 'unknown';
  }

  private path(path: PathExpression, scopes: Scope[], blockParams: Set<string>): KnownNode | 'unknown' | undefined {
    let scope: Scope;
    let parts = path.parts;
    if (path.data) {
      if (parts[0] !== 'root') return 'unknown'; // @index, @key, @first, @last
      scope = { node: this.rootNode };
      parts = parts.slice(1);
    } else {
      if (parts.length > 0 && blockParams.has(parts[0])) return 'unknown';
      scope = scopes[Math.max(0, scopes.length - 1 - path.depth)];
    }
    if (scope === 'unknown' || parts.length === 0) return 'unknown';
    const node = resolveParts(scope.node, parts);
    if (node === undefined) {
      const variable = path.data ? `@${path.original.replace(/^@/, '')}` : path.original;
      const known =
        scope.node === this.rootNode
          ? this.known()
          : listKnownPaths('fields' in (scope.node as object) ? (scope.node as { fields: Record<string, KnownNode> }).fields : {});
      const warning: UnknownVariableWarning = {
        ...this.pos(path),
        message: `Unknown variable "${variable}"; known: ${known.join(', ')}`,
        part: this.options.location.part,
        variable,
        known,
      };
      this.warnings.push(warning);
    }
    return node;
  }
}

/**
 * Blocks ({{#if}}, {{#each}}…) nested deeper than this are refused before Handlebars parses
 * them: its parser slows down with depth (4,000 levels took 20 s) and then overflows the stack.
 */
export const MAX_BLOCK_DEPTH = 50;

function tooDeep(source: string, location: PartLocation): TemplateIssue | undefined {
  if (!source.includes('{{')) return undefined;
  let depth = 0;
  for (const token of scanMustaches(source)) {
    if (token.kind === 'close') depth = Math.max(0, depth - 1);
    else if (token.kind === 'open' && ++depth > MAX_BLOCK_DEPTH) {
      const p = new LineIndex(source).position(token.start);
      return {
        ...at(location, p.line, p.column - 1),
        message: `Handlebars: blocks nested more than ${MAX_BLOCK_DEPTH} deep`,
        part: location.part,
      };
    }
  }
  return undefined;
}

/** Parses and checks one Handlebars part. */
export function checkHandlebars(source: string, options: CheckOptions): CheckResult {
  const deep = tooDeep(source, options.location);
  if (deep) return { errors: [deep], warnings: [] };
  let program: Program;
  try {
    program = parseTemplate(source);
  } catch (error) {
    return { errors: [syntaxError(error, source, options.location)], warnings: [] };
  }
  const checker = new VariableChecker(options);
  checker.run(program);
  return { program, errors: checker.errors, warnings: checker.warnings };
}
