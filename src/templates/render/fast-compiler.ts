// A Handlebars JavaScriptCompiler (its documented extension point: a subclass set as an
// environment's `JavaScriptCompiler`) that emits two shortcuts into compiled templates.
// About a quarter of a render's CPU went to Handlebars' runtime plumbing, not to the template:
//
// - Every `{{a.b}}` segment called the runtime's `lookupProperty(parent, "b")`, which reads the
//   property, checks it is an own property and that it is not a prototype's `constructor`,
//   else consults the prototype-access rules (which deny everything by default). The same rule
//   is emitted inline: an own property or undefined. Names that could reach a prototype
//   (`constructor`, `__proto__`, ...) still go through `lookupProperty`.
// - Every block (`{{#if}}`, `{{#each}}`) called `container.program(i, data, 0)`, which looks up
//   the program by building the string key `i + "_d"` and returns the wrapper it cached on the
//   first call. Without data frames or block parameters the cached wrapper is taken directly.
//
// handlebars-env.ts renders a probe with both compilers at start-up and keeps the standard
// one if the outputs differ, as it does for its other use of Handlebars internals.

/** The parts of Handlebars' JavaScriptCompiler this subclass uses. */
interface StandardCompiler {
  nameLookup(parent: unknown, name: string, type: string): unknown;
  programExpression(guid: number): string;
  quotedString(value: string): string;
  aliasable(name: string): unknown;
  environment: { children: { index: number; blockParams?: number }[] };
  useBlockParams?: boolean;
  useDepths?: boolean;
}

export type CompilerClass = new (...args: unknown[]) => StandardCompiler;

/** Property names whose lookup must keep the runtime's prototype-access checks. */
const GUARDED_NAMES = new Set([
  'constructor',
  '__proto__',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

export function fastCompilerOf(Standard: CompilerClass): CompilerClass {
  class FastCompiler extends Standard {
    override nameLookup(parent: unknown, name: string, type: string): unknown {
      if ((type !== 'context' && type !== 'helper') || GUARDED_NAMES.has(name)) return super.nameLookup(parent, name, type);
      // `parent` is a variable or literal here (Handlebars stores expressions in stack registers first)
      const quoted = this.quotedString(name);
      return [
        '(',
        this.aliasable('Object.prototype.hasOwnProperty'),
        '.call(',
        parent,
        ', ',
        quoted,
        ') ? ',
        parent,
        '[',
        quoted,
        '] : undefined)',
      ];
    }

    override programExpression(guid: number): string {
      const standard = super.programExpression(guid);
      const child = this.environment.children[guid];
      if (child.blockParams || this.useBlockParams || this.useDepths) return standard;
      return `(!data && container.programs[${child.index}] || ${standard})`;
    }
  }
  (FastCompiler.prototype as unknown as { compiler: CompilerClass }).compiler = FastCompiler; // child programs too
  return FastCompiler;
}
