import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fromBuilder, structureDifference, toBuilder } from './builder-source';

const EMAIL_DIR = join(__dirname, '../../../templates/email');
const bodyOf = (file: string) => readFileSync(join(EMAIL_DIR, file), 'utf8').replace(/^---\n[\s\S]*?\n---\n/, '');

describe('toBuilder', () => {
  it('wraps a block tag standing between sections in <mj-raw>, and fromBuilder unwraps it', () => {
    const source =
      '<mjml><mj-body>{{#if data.x}}<mj-section><mj-column><mj-text>a</mj-text></mj-column></mj-section>{{/if}}</mj-body></mjml>';
    const { mjml } = toBuilder(source);
    expect(mjml).toBe(
      '<mjml><mj-body><mj-raw>{{#if data.x}}</mj-raw><mj-section><mj-column><mj-text>a</mj-text></mj-column></mj-section><mj-raw>{{/if}}</mj-raw></mj-body></mjml>',
    );
    expect(fromBuilder(mjml!)).toBe(source);
  });

  it("turns the double quotes of an attribute's expression into single ones, which Handlebars reads alike", () => {
    const { mjml } = toBuilder(
      '<mjml><mj-body><mj-section><mj-column><mj-button href="{{track "https://shop.example/?a=1"}}">Go</mj-button></mj-column></mj-section></mj-body></mjml>',
    );
    expect(mjml).toContain(`href="{{track 'https://shop.example/?a=1'}}"`);
  });

  it('keeps expressions of text as written', () => {
    const { mjml } = toBuilder(
      '<mjml><mj-body><mj-section><mj-column><mj-text>Hi {{firstName default="клиент"}}</mj-text></mj-column></mj-section></mj-body></mjml>',
    );
    expect(mjml).toContain('Hi {{firstName default="клиент"}}');
  });

  it('refuses sources with comments (the builder drops them) and sources MJML cannot carry', () => {
    expect(toBuilder('<mjml><mj-body><!-- note --><mj-section></mj-section></mj-body></mjml>').problem).toMatch(/comments/);
    expect(toBuilder('<mjml><mj-body>{{firstName}}<mj-section></mj-section></mj-body></mjml>').problem).toMatch(
      /^line 1: .*between MJML elements/,
    );
  });

  it.each(readdirSync(EMAIL_DIR).filter((f) => f.endsWith('.mjml')))(
    'takes the default template %s to the builder and back unchanged',
    (file) => {
      const source = bodyOf(file);
      const { mjml, problem } = toBuilder(source);
      expect(problem).toBeUndefined();
      expect(structureDifference(source, mjml!)).toBeUndefined();
      expect(fromBuilder(mjml!)).toBe(source.replace(/href="(\{\{[^}]*\}\})"/g, (_m, e: string) => `href="${e.replace(/"/g, "'")}"`));
    },
  );
});

describe('fromBuilder', () => {
  it('decodes the entities the builder put inside expressions, and only there', () => {
    expect(fromBuilder('<mj-text>{{politeName default=&quot;уважаемый клиент&quot;}} &amp; Co &quot;</mj-text>')).toBe(
      '<mj-text>{{politeName default="уважаемый клиент"}} &amp; Co &quot;</mj-text>',
    );
  });

  it('leaves an <mj-raw> of real content alone', () => {
    const raw = '<mj-raw><div>{{firstName}}</div></mj-raw>';
    expect(fromBuilder(raw)).toBe(raw);
  });
});

describe('structureDifference', () => {
  it('names a lost expression or element', () => {
    const before = '<mj-section><mj-column><mj-text>{{a}}</mj-text><mj-button>x</mj-button></mj-column></mj-section>';
    expect(structureDifference(before, before)).toBeUndefined();
    expect(structureDifference(before, before.replace('{{a}}', ''))).toBe('{{a}} became <mj-button');
    expect(structureDifference(before, before.replace('<mj-button>x</mj-button>', ''))).toBe('<mj-button became (nothing)');
  });

  it('sees quotes made single and <mj-raw> wrappers as the same', () => {
    expect(
      structureDifference(
        '<mj-body>{{#if x}}<mj-button href="{{track "u"}}"></mj-button>{{/if}}</mj-body>',
        '<mj-body><mj-raw>{{#if x}}</mj-raw><mj-button href="{{track \'u\'}}"></mj-button><mj-raw>{{/if}}</mj-raw></mj-body>',
      ),
    ).toBeUndefined();
  });
});
