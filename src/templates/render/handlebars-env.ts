// The one Handlebars instance of the process, its helpers, and the AST rewrite that lets
// templates write `{{customer.firstName default="коллега"}}` and `{{#if firstName}}`.

import Handlebars from 'handlebars';
import { fastCompilerOf, type CompilerClass } from './fast-compiler';
import { HELPERS, renderState, swapRenderState, VALUE_HELPERS, withRenderState, type RenderData } from './helpers';
import type { RenderContext } from './render-context';

type Program = hbs.AST.Program;
type Node = hbs.AST.Node;
type Expression = hbs.AST.Expression;
type PathExpression = hbs.AST.PathExpression;
type SubExpression = hbs.AST.SubExpression;
type MustacheStatement = hbs.AST.MustacheStatement;
type BlockStatement = hbs.AST.BlockStatement;
type Hash = hbs.AST.Hash;

export const handlebars = Handlebars.create();
for (const [name, helper] of Object.entries(HELPERS)) handlebars.registerHelper(name, helper);

/**
 * Handlebars built-ins that templates may not use, with the reason validation gives. `log`
 * writes its arguments to the process log: a template could write lines of its choosing, once
 * per recipient. Handlebars still compiles a call to it, so the instance's `log` renders
 * nothing and writes nothing (for a template saved before validation refused it).
 * (`lookup` stays: it reads through Handlebars' own-property rules like any `{{a.b}}`.)
 */
export const REFUSED_HELPERS: ReadonlyMap<string, string> = new Map([['log', 'it would write to the server log, once per recipient']]);
handlebars.registerHelper('log', () => '');

const BUILT_IN_HELPERS = ['if', 'unless', 'each', 'with', 'lookup', 'blockHelperMissing', 'helperMissing'];
export const HELPER_NAMES: ReadonlySet<string> = new Set([...BUILT_IN_HELPERS, ...Object.keys(HELPERS)]);
const KNOWN_HELPERS = Object.fromEntries(Object.keys(HELPERS).map((name) => [name, true]));

type RawTemplate = (context: unknown, options?: { data?: unknown }) => string;

/** A compiled template: renders a context with the per-render state the helpers read. */
export type TemplateFunction = (context: RenderContext, state: RenderData) => string;

export function isHelperPath(path: Expression): path is PathExpression {
  return path.type === 'PathExpression' && isHelperName(path as PathExpression);
}

function isHelperName(path: PathExpression): boolean {
  return !path.data && path.depth === 0 && path.parts.length === 1 && HELPER_NAMES.has(path.parts[0]);
}

function pathNode(name: string, loc: hbs.AST.SourceLocation): PathExpression {
  return { type: 'PathExpression', data: false, depth: 0, parts: [name], original: name, loc };
}

/** `firstName` used as a parameter becomes the sub-expression `(firstName)`. */
function rewriteParam(param: Expression): Expression {
  if (param.type === 'PathExpression') {
    const path = param as PathExpression;
    if (isHelperName(path) && VALUE_HELPERS.has(path.parts[0])) {
      const sub: SubExpression = { type: 'SubExpression', path, params: [], hash: undefined as unknown as Hash, loc: path.loc };
      return sub;
    }
    return param;
  }
  if (param.type === 'SubExpression') rewriteCall(param as SubExpression);
  return param;
}

function hasOnlyDefault(hash: Hash | undefined): boolean {
  return !!hash && hash.pairs.length === 1 && hash.pairs[0].key === 'default';
}

/** Rewrites one call site in place: parameters, hash values, and `{{a.b default=…}}`. */
function rewriteCall(node: MustacheStatement | SubExpression | BlockStatement): void {
  node.params = node.params.map(rewriteParam);
  if (node.hash) for (const pair of node.hash.pairs) pair.value = rewriteParam(pair.value);
  if (node.type !== 'BlockStatement' && node.path.type === 'PathExpression') {
    const path = node.path as PathExpression;
    if (!isHelperName(path) && node.params.length === 0 && hasOnlyDefault(node.hash)) {
      node.params = [path];
      node.path = pathNode('field', path.loc);
    }
  }
}

function rewriteProgram(program: Program | undefined): void {
  if (!program) return;
  for (const statement of program.body) rewriteStatement(statement);
}

function rewriteStatement(node: Node): void {
  switch (node.type) {
    case 'MustacheStatement':
      rewriteCall(node as MustacheStatement);
      break;
    case 'BlockStatement': {
      const block = node as BlockStatement;
      rewriteCall(block);
      rewriteProgram(block.program);
      rewriteProgram(block.inverse);
      break;
    }
    default:
      break;
  }
}

/** Parses a template and applies the rewrites; throws Handlebars' own errors. */
export function parseTemplate(source: string): Program {
  const program = handlebars.parse(source);
  rewriteProgram(program);
  return program;
}

/** Marks every output of a program as unescaped, as `noEscape` would. */
function unescapeAll(program: Program | undefined): void {
  if (!program) return;
  for (const node of program.body) {
    if (node.type === 'MustacheStatement') (node as MustacheStatement).escaped = false;
    else if (node.type === 'BlockStatement') {
      unescapeAll((node as BlockStatement).program);
      unescapeAll((node as BlockStatement).inverse);
    }
  }
}

/** Whether a template reads @root, @index, @first… (then it needs Handlebars data frames). */
function usesDataVariables(program: Program): boolean {
  let found = false;
  const visitor = new Handlebars.Visitor();
  visitor.PathExpression = (path: PathExpression) => {
    if (path.data) found = true;
  };
  visitor.accept(program);
  return found;
}

export interface CompileOptions {
  /** true for plain-text parts (subject, text, SMS): no HTML escaping */
  noEscape?: boolean;
}

/** Internal block helper of combined templates: renders its block into `state.parts[index]`. */
const PART_HELPER = '_otklikPart';
handlebars.registerHelper(PART_HELPER, function (this: unknown, index: number, options: { fn: (ctx: unknown) => string }) {
  const parts = renderState().parts;
  if (parts) parts[index] = options.fn(this);
  return '';
});
KNOWN_HELPERS[PART_HELPER] = true;

// ---- calling templates ----------------------------------------------------------------
//
// On every top-level call Handlebars' runtime re-wraps each registered helper (to pass a
// `lookupProperty` option) and rebuilds its prototype-access rules, then goes through that
// wrapper on every helper call: about a third of a render of a typical email. Calls made
// with the runtime's own "partial" options skip that set-up and take helpers, hooks and
// access rules prepared once here. Those options are internal to Handlebars (exactly pinned
// in package.json), so at start-up a probe template is rendered both ways; if the outputs
// differ or the fast call throws, every template is called the ordinary way.

type ProtoAccess = { createProtoAccessControl(options: object): unknown };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const protoAccess = require('handlebars/dist/cjs/handlebars/internal/proto-access') as ProtoAccess;

/** Own properties only, never a constructor: the same rule as Handlebars' default lookups. */
function ownProperty(parent: Record<string, unknown>, name: string): unknown {
  if (parent === null || parent === undefined || !Object.prototype.hasOwnProperty.call(parent, name)) return undefined;
  const value = parent[name];
  return name === 'constructor' && typeof value === 'function' ? undefined : value;
}

interface DirectOptions {
  partial: true;
  helpers: Record<string, unknown>;
  partials: Record<string, never>;
  decorators: Record<string, never>;
  hooks: Record<string, unknown>;
  protoAccessControl: unknown;
  data?: unknown;
}

let direct: DirectOptions | undefined;
let directChecked = false;

function directOptions(): DirectOptions {
  if (direct) return direct;
  const helpers: Record<string, unknown> = { ...handlebars.helpers };
  const hooks = { helperMissing: helpers.helperMissing, blockHelperMissing: helpers.blockHelperMissing };
  delete helpers.helperMissing;
  delete helpers.blockHelperMissing;
  const lookup = helpers.lookup as (obj: unknown, field: unknown, options: { lookupProperty?: unknown }) => unknown;
  helpers.lookup = (obj: unknown, field: unknown, options: { lookupProperty?: unknown }) => {
    options.lookupProperty = ownProperty;
    return lookup(obj, field, options);
  };
  direct = { partial: true, helpers, partials: {}, decorators: {}, hooks, protoAccessControl: protoAccess.createProtoAccessControl({}) };
  return direct;
}

const PROBE =
  '{{#if customer.firstName}}<b>{{firstName}}</b>{{else}}-{{/if}}{{#each order.items}}[{{@index}}:{{name}}:{{money price}}]{{/each}}' +
  '{{#with order}}{{status}}{{/with}}{{#order.items}}({{quantity}}){{/order.items}}{{lookup customer "lastName"}}' +
  '{{#unless message.confirmUrl}}u{{/unless}}{{field customer.position default="x"}}{{#if (eq order.status "shipped")}}s{{/if}}{{@root.customer.email}}';

/** Whether calling with the prepared runtime options renders exactly like an ordinary call. */
function directCallsWork(): boolean {
  try {
    const program = parseTemplate(PROBE);
    const raw = handlebars.compile(program, { data: true, knownHelpers: KNOWN_HELPERS, knownHelpersOnly: true }) as RawTemplate;
    const context: RenderContext = {
      customer: { firstName: 'A<&>', lastName: 'L"', email: 'e@x' },
      order: {
        number: 'N1',
        status: 'shipped',
        items: [
          { name: 'i1', quantity: 2, price: 5 },
          { name: 'i2', quantity: 1, price: 7.5 },
        ],
      },
    };
    const state: RenderData = { ...renderState(), root: context };
    const ordinary = withRenderState(state, () => raw(context, { data: state }));
    const fast = withRenderState(state, () => raw(context, { ...directOptions(), data: state }));
    return ordinary === fast && ordinary.includes('<b>A&lt;&amp;&gt;</b>') && ordinary.includes('[1:i2:');
  } catch {
    return false;
  }
}

function useDirectCalls(): boolean {
  if (!directChecked) {
    directChecked = true;
    if (!directCallsWork()) direct = undefined;
    else directOptions();
  }
  return direct !== undefined;
}

// ---- compiling templates ----------------------------------------------------------------
//
// Templates are compiled with FastCompiler (fast-compiler.ts) when a probe renders the same
// with it as with Handlebars' standard compiler, for ordinary and hostile data alike.

type CompilerHolder = { JavaScriptCompiler: CompilerClass };
const compilers = handlebars as unknown as CompilerHolder;
const standardCompiler = compilers.JavaScriptCompiler;
let fastCompilerChecked = false;
/** Above Handlebars' highest log level (error = 3). */
const SILENT = 99;

const COMPILER_PROBE =
  '{{#if customer.firstName}}<b>{{firstName}}</b>{{else}}-{{/if}}{{#each order.items}}[{{name}}:{{money price}}:{{#if quantity}}{{quantity}}{{/if}}]{{/each}}' +
  '{{#with order}}{{status}}/{{number.length}}{{/with}}{{order.items.length}}{{#unless order.carrier}}u{{/unless}}{{customer.attributes.a.b}}' +
  '{{customer.constructor}}{{customer.__proto__}}{{customer.toString}}{{customer.hasOwnProperty}}{{order.items.constructor}}{{order.number.constructor}}';
const COMPILER_PROBE_CONTEXTS: RenderContext[] = [
  {
    customer: { firstName: 'A<&>"\'', attributes: { a: { b: '<i>' } } },
    order: {
      number: 'N1',
      status: 'shipped',
      items: [
        { name: '<x>', quantity: 2, price: 5 },
        { name: 'y', quantity: 0, price: '7.5' },
      ],
    },
  },
  { customer: {} },
  { customer: { firstName: '' }, order: { number: '', items: [], carrier: 'c' } },
];

function probeRenders(compiler: CompilerClass, source: string, data: boolean): string[] {
  compilers.JavaScriptCompiler = compiler;
  // the standard runtime logs each denied prototype property the probe reads on purpose
  const logLevel = handlebars.logger.level;
  handlebars.logger.level = SILENT;
  try {
    // compiled on the first call, so the compiler is read here
    const raw = handlebars.compile(parseTemplate(source), {
      data,
      knownHelpers: KNOWN_HELPERS,
      knownHelpersOnly: true,
      preventIndent: true,
    }) as RawTemplate;
    return COMPILER_PROBE_CONTEXTS.map((context) => {
      const state: RenderData = { ...renderState(), root: context };
      return withRenderState(state, () => raw(context, data ? { data: state } : undefined));
    });
  } finally {
    compilers.JavaScriptCompiler = standardCompiler;
    handlebars.logger.level = logLevel;
  }
}

function fastCompilerWorks(fast: CompilerClass): boolean {
  try {
    for (const [source, data] of [
      [COMPILER_PROBE, false],
      [`${COMPILER_PROBE}${PROBE}`, true],
    ] as const) {
      if (JSON.stringify(probeRenders(fast, source, data)) !== JSON.stringify(probeRenders(standardCompiler, source, data))) return false;
    }
    return true;
  } catch {
    return false;
  }
}

function useFastCompiler(): void {
  if (fastCompilerChecked) return;
  fastCompilerChecked = true;
  const fast = fastCompilerOf(standardCompiler);
  if (fastCompilerWorks(fast)) compilers.JavaScriptCompiler = fast;
}

/** Whether templates are compiled with FastCompiler (see "compiling templates"). */
export function fastCompilerEnabled(): boolean {
  useFastCompiler();
  return compilers.JavaScriptCompiler !== standardCompiler;
}

/**
 * Compiles a template (from source or a rewritten AST) with the shared helpers.
 * Templates that use no @-variables are compiled without data frames, and only known
 * helpers are looked up as helpers: both cut Handlebars' per-expression overhead.
 */
export function compileTemplate(source: string | Program, options: CompileOptions = {}): TemplateFunction {
  const program = typeof source === 'string' ? parseTemplate(source) : source;
  if (options.noEscape) unescapeAll(program);
  useFastCompiler();
  const data = usesDataVariables(program);
  const raw = handlebars.compile(program, {
    data,
    strict: false,
    knownHelpers: KNOWN_HELPERS,
    knownHelpersOnly: true,
    preventIndent: true,
  }) as RawTemplate;
  const fast = useDirectCalls() ? directOptions() : undefined;
  const run: TemplateFunction = (context, state) => {
    const previous = swapRenderState(state);
    try {
      if (fast) return raw(context, data ? { ...fast, data: state } : fast);
      return raw(context, data ? { data: state } : undefined);
    } finally {
      swapRenderState(previous);
    }
  };
  try {
    // Handlebars compiles on the first call: do it now, not on the first recipient.
    run({ customer: {} }, renderState());
  } catch {
    // an empty context may trip a helper; real data is the test of that
  }
  return run;
}

export interface TemplatePart {
  source: string;
  noEscape?: boolean;
}

export type PartsFunction = (context: RenderContext, state: RenderData) => string[];

function partBlock(index: number, program: Program): BlockStatement {
  const loc = program.loc;
  const strip = { open: false, close: false };
  return {
    type: 'BlockStatement',
    path: pathNode(PART_HELPER, loc),
    params: [{ type: 'NumberLiteral', value: index, original: index, loc } as hbs.AST.NumberLiteral],
    hash: undefined as unknown as Hash,
    program,
    inverse: undefined as unknown as Program,
    openStrip: strip,
    inverseStrip: strip,
    closeStrip: strip,
    loc,
  };
}

/**
 * Compiles several parts (subject, preheader, HTML, text) into ONE Handlebars function.
 * Handlebars spends microseconds setting up each top-level call (it re-wraps every helper),
 * so one call per recipient instead of four matters at tens of thousands of renders/s.
 */
export function compileParts(parts: TemplatePart[]): PartsFunction {
  const body = parts.map((part, index) => {
    const program = parseTemplate(part.source);
    if (part.noEscape) unescapeAll(program);
    return partBlock(index, program);
  });
  const loc = { source: '', start: { line: 1, column: 0 }, end: { line: 1, column: 0 } };
  const combined = { type: 'Program', body, strip: {}, blockParams: undefined, loc } as unknown as Program;
  const whole = compileTemplate(combined);
  return (context, state) => {
    const out: string[] = new Array<string>(parts.length).fill('');
    state.parts = out;
    whole(context, state);
    return out;
  };
}

/** Whether templates are called with prepared runtime options (see "calling templates"). */
export function directCallsEnabled(): boolean {
  return useDirectCalls();
}
