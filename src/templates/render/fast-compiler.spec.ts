import Handlebars from 'handlebars';
import { fastCompilerOf, type CompilerClass } from './fast-compiler';
import { fastCompilerEnabled } from './handlebars-env';

/** Two plain Handlebars environments, one with the standard compiler and one with FastCompiler. */
const standard = Handlebars.create();
const fast = Handlebars.create();
const holder = fast as unknown as { JavaScriptCompiler: CompilerClass };
holder.JavaScriptCompiler = fastCompilerOf(holder.JavaScriptCompiler);
for (const env of [standard, fast]) {
  env.registerHelper('upper', (value: unknown) => String(value ?? '').toUpperCase());
  env.logger.level = 99; // the standard runtime logs the denied prototype reads below
}

const TEMPLATES = [
  '{{a}}|{{a.b}}|{{a.b.c}}|{{{a.b}}}|{{x.length}}|{{list.length}}|{{list.[1].n}}',
  '{{#if a}}yes {{a.b}}{{else}}no{{/if}}|{{#unless a}}u{{/unless}}|{{#with a}}{{b}}{{/with}}',
  '{{#each list}}[{{n}}{{#if n}}!{{/if}}]{{else}}empty{{/each}}|{{#each list}}{{@index}}:{{@root.x}}{{/each}}',
  '{{#each list as |item i|}}{{i}}={{item.n}};{{/each}}|{{#list}}({{n}}){{/list}}|{{upper a.b}}|{{lookup a "b"}}',
  '{{constructor}}|{{a.constructor}}|{{a.__proto__}}|{{a.toString}}|{{x.constructor.name}}|{{list.constructor}}|{{a.hasOwnProperty}}',
  '{{#each list}}{{../x}}{{/each}}|{{#with a}}{{../x}}{{/with}}',
];

const CONTEXTS: unknown[] = [
  { a: { b: '<b&"\'>', c: 1 }, x: 'str', list: [{ n: 'one' }, { n: 0 }, { n: '<n>' }] },
  { a: { b: { c: 'deep' } }, x: 42, list: [] },
  { a: null, x: null, list: null },
  { a: '', x: '', list: 'not a list' },
  {},
  { a: Object.create({ b: 'inherited' }), x: { length: 'own length' }, list: [1, 2] },
];

describe('FastCompiler', () => {
  it('is what this process compiles with (the start-up probe passed)', () => {
    expect(fastCompilerEnabled()).toBe(true);
  });

  it.each(TEMPLATES)('renders %s exactly like the standard compiler', (source) => {
    for (const data of [false, true]) {
      const options = { data, knownHelpers: { upper: true }, knownHelpersOnly: true };
      const a = standard.compile(source, options);
      const b = fast.compile(source, options);
      for (const context of CONTEXTS) expect(b(context)).toBe(a(context));
    }
  });

  it('reads context properties inline, keeping the runtime check for prototype names', () => {
    const code = String(fast.precompile('{{a.b}}{{#if a}}{{a.constructor}}{{/if}}', { data: false }));
    expect(code).not.toMatch(/lookupProperty\(depth0, ?"a"\)/);
    expect(code).toMatch(/\.call\(depth0, "a"\) \? depth0\["a"\] : undefined/);
    expect(code).toMatch(/lookupProperty\(stack1, ?"constructor"\)|lookupProperty\(depth0, ?"constructor"\)/);
    expect(code).toContain('!data && container.programs[');
    expect(String(standard.precompile('{{a.b}}', { data: false }))).toMatch(/lookupProperty\(depth0,"a"\)/);
  });

  it('does not read inherited properties, as the standard runtime does not', () => {
    const render = fast.compile('{{a.b}}|{{a.toString}}|{{a.constructor}}', { data: false });
    expect(render({ a: Object.create({ b: 'inherited' }) })).toBe('||');
  });
});
