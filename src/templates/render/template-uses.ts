// What a template's source reads, for the campaign pre-flight (campaigns/preflight.ts) and the
// check when a trigger is activated: which `brand.*` fields it prints and whether each use is
// guarded (inside `{{#if brand.x}}`, or with a fallback: `{{brand.name default="…"}}`,
// `{{or brand.name "…"}}`), and which variables it reads that the render context does not
// have. Pure: Handlebars' parser only.

import { parseTemplate } from './handlebars-env';
import { knownRoot } from './render-context';
import { checkHandlebars } from './template-check';
import type { UnknownVariableWarning } from './template-issue';

type Node = hbs.AST.Node;
type Program = hbs.AST.Program;
type Expression = hbs.AST.Expression;
type PathExpression = hbs.AST.PathExpression;
type MustacheStatement = hbs.AST.MustacheStatement;
type BlockStatement = hbs.AST.BlockStatement;
type SubExpression = hbs.AST.SubExpression;

export interface BrandUse {
  /** `name`, `address`, `logoUrl` … */
  field: string;
  /** every use of it is inside an `{{#if}}` of it or has a fallback */
  guarded: boolean;
}

/** Helpers whose later arguments stand in for an empty first one. */
const FALLBACK_HELPERS = new Set(['or']);

/** The `brand.*` fields the parts print, each once; a field used unguarded anywhere is unguarded. */
export function brandUses(parts: readonly string[]): BrandUse[] {
  const uses = new Map<string, boolean>();
  const note = (field: string, guarded: boolean) => uses.set(field, (uses.get(field) ?? true) && guarded);
  for (const source of parts) {
    if (!source.includes('brand')) continue;
    let program: Program;
    try {
      program = parseTemplate(source);
    } catch {
      continue; // a template that does not parse is refused when it is saved
    }
    walkProgram(program, new Set(), note);
  }
  return [...uses].map(([field, guarded]) => ({ field, guarded }));
}

function brandField(expr: Expression | undefined): string | undefined {
  if (!expr || expr.type !== 'PathExpression') return undefined;
  const path = expr as PathExpression;
  const parts = path.data && path.parts[0] === 'root' ? path.parts.slice(1) : path.data || path.depth > 0 ? [] : path.parts;
  return parts[0] === 'brand' && parts.length === 2 ? parts[1] : undefined;
}

function walkProgram(program: Program | undefined, guards: ReadonlySet<string>, note: (field: string, guarded: boolean) => void): void {
  for (const node of program?.body ?? []) walkStatement(node, guards, note);
}

function walkStatement(node: Node, guards: ReadonlySet<string>, note: (field: string, guarded: boolean) => void): void {
  if (node.type === 'MustacheStatement') walkCall(node as MustacheStatement, guards, note);
  else if (node.type === 'BlockStatement') {
    const block = node as BlockStatement;
    const helper = block.path.type === 'PathExpression' ? block.path.original : '';
    walkCall(block, guards, note, true);
    const tested = brandField(block.params[0]) ?? brandField(block.path);
    const inside = new Set(guards);
    const inverse = new Set(guards);
    // {{#if brand.x}} guards its body, {{#unless brand.x}} its {{else}}, {{#with brand.x}} / {{#brand.x}} its body.
    if (tested && helper === 'unless') inverse.add(tested);
    else if (tested) inside.add(tested);
    walkProgram(block.program, inside, note);
    walkProgram(block.inverse, inverse, note);
  }
}

function walkCall(
  node: MustacheStatement | BlockStatement | SubExpression,
  guards: ReadonlySet<string>,
  note: (field: string, guarded: boolean) => void,
  isBlock = false,
): void {
  const helper = node.path.type === 'PathExpression' ? (node.path as PathExpression).original : '';
  const hasDefault = (node.hash?.pairs ?? []).some((p: hbs.AST.HashPair) => p.key === 'default');
  const own = brandField(node.path);
  // the path of a block ({{#brand.logoUrl}}) only tests the value
  if (own) note(own, isBlock || guards.has(own));
  node.params.forEach((param: Expression, i: number) => {
    const field = brandField(param);
    if (field) {
      const fallback = hasDefault || (FALLBACK_HELPERS.has(helper) && i < node.params.length - 1) || (isBlock && i === 0);
      note(field, fallback || guards.has(field));
    } else if (param.type === 'SubExpression') walkCall(param as SubExpression, guards, note);
  });
  for (const pair of node.hash?.pairs ?? []) {
    const field = brandField(pair.value);
    if (field) note(field, guards.has(field));
    else if (pair.value.type === 'SubExpression') walkCall(pair.value as SubExpression, guards, note);
  }
}

export interface BrandGap {
  /** `brand.name` … */
  field: string;
  severity: 'error' | 'warning';
  message: string;
}

/**
 * The `brand.*` fields templates print that the brand settings leave unset. Printed unguarded
 * with nothing to show: an error (an empty place in every message). A name the sender's name
 * stands in for, or a use inside `{{#if}}` / with a fallback: a warning.
 */
export function brandGaps(
  templates: ReadonlyArray<readonly string[]>,
  settings: Readonly<Record<string, string | null | undefined>>,
  rendered: Readonly<Record<string, string | undefined>>,
): BrandGap[] {
  const uses = new Map<string, boolean>();
  for (const parts of templates) for (const use of brandUses(parts)) uses.set(use.field, (uses.get(use.field) ?? true) && use.guarded);
  const gaps: BrandGap[] = [];
  for (const [name, guarded] of uses) {
    const stored = settings[name];
    if (stored !== null && stored !== undefined && stored !== '') continue;
    const field = `brand.${name}`;
    const shown = rendered[name];
    if (shown)
      gaps.push({
        field,
        severity: 'warning',
        message: `${field} is not set in the brand settings; «${shown}» (the sender's name) is shown instead. Set it with PUT /settings/brand`,
      });
    else if (guarded)
      gaps.push({
        field,
        severity: 'warning',
        message: `${field} is not set: the parts of the template that show it are left out. Set it with PUT /settings/brand if they should show`,
      });
    else
      gaps.push({
        field,
        severity: 'error',
        message: `the template prints {{${field}}}, but the brand's ${name} is not set: messages would show an empty place. Set it with PUT /settings/brand`,
      });
  }
  return gaps;
}

/** The variables the parts read that a context with these data fields does not have, each once. */
export function unknownVariables(parts: readonly string[], dataFields?: readonly string[]): string[] {
  const root = knownRoot(dataFields);
  const found = new Set<string>();
  for (const source of parts) {
    if (!source.includes('{{')) continue;
    const result = checkHandlebars(source, { location: { part: 'body', line: 1, column: 1 }, root, html: false });
    for (const warning of result.warnings) {
      const variable = (warning as UnknownVariableWarning).variable;
      if (variable) found.add(variable);
    }
  }
  return [...found];
}
