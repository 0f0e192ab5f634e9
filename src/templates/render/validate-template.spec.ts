import { validateTemplate } from './validate-template';
import type { UnknownVariableWarning } from './template-issue';

const email = (frontMatter: string[], body: string[]): string => ['---', ...frontMatter, '---', ...body].join('\n');
const BODY = [
  '<mjml>',
  '<mj-body>',
  '<mj-section><mj-column>',
  '<mj-text>Здравствуйте, {{firstName}}!</mj-text>',
  '</mj-column></mj-section>',
  '</mj-body>',
  '</mjml>',
];

describe('validateTemplate: Handlebars syntax errors carry the original line and column', () => {
  it.each([
    [
      'unterminated mustache in the body',
      email(
        ['subject: Привет'],
        [
          '<mjml>',
          '<mj-body>',
          '<mj-section><mj-column>',
          '  <mj-text>Hi {{firstName</mj-text>',
          '</mj-column></mj-section>',
          '</mj-body>',
          '</mjml>',
        ],
      ),
      7,
      17,
      /unexpected invalid text/,
    ],
    [
      'mismatched block close',
      email(
        ['subject: Привет'],
        [
          '<mjml>',
          '<mj-body>',
          '{{#if order.trackingNumber}}',
          '<mj-section><mj-column><mj-text>x</mj-text></mj-column></mj-section>',
          '{{/each}}',
          '</mj-body>',
          '</mjml>',
        ],
      ),
      6,
      4,
      /if doesn't match each/,
    ],
    [
      'block never closed',
      email(
        ['subject: Привет'],
        [
          '<mjml>',
          '<mj-body>',
          '<mj-section><mj-column>',
          '  <mj-text>{{#if firstName}}Hi</mj-text>',
          '</mj-column></mj-section>',
          '</mj-body>',
          '</mjml>',
        ],
      ),
      7,
      12,
      /\{\{#if firstName\}\} is never closed \(missing \{\{\/if\}\}\)/,
    ],
    [
      'bad hash in the subject (front matter line 3)',
      email(['name: x', 'subject: Заказ {{money order.total currency=}} оформлен'], BODY),
      3,
      45,
      /unexpected \}\}, expected/,
    ],
    [
      'block helper without its parameter in the preheader',
      email(['subject: ok', 'preheader: {{#if}}x{{/if}}'], BODY),
      3,
      12,
      /Helper "if" needs 1 parameter/,
    ],
  ])('%s', async (_name, source, line, column, message) => {
    const result = await validateTemplate(source, { channel: 'email' });
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ line, column, message: expect.stringMatching(message) });
  });

  it('locates errors in a body without front matter from line 1', async () => {
    const result = await validateTemplate('<mjml><mj-body>\n\n   {{/if}}</mj-body></mjml>', { channel: 'email' });
    expect(result.errors.map((e) => [e.line, e.part])).toEqual([
      [1, 'subject'],
      [3, 'body'],
    ]);
  });
});

describe('validateTemplate: helpers and variables', () => {
  it('reports unknown helpers and calls with too few parameters as errors', async () => {
    const result = await validateTemplate(
      email(
        ['subject: {{plurl 2 "a" "b"}}'],
        ['<mjml><mj-body><mj-section><mj-column>', '<mj-text>{{date}} {{money}}</mj-text>', '</mj-column></mj-section></mj-body></mjml>'],
      ),
    );
    expect(result.errors).toEqual([
      expect.objectContaining({ line: 2, column: 10, message: expect.stringMatching(/^Unknown helper "plurl"; helpers: .*plural/) }),
      expect.objectContaining({ line: 5, column: 10, message: 'Helper "date" needs 1 parameter, got 0' }),
      expect.objectContaining({ line: 5, column: 19, message: 'Helper "money" needs 1 parameter, got 0' }),
    ]);
  });

  it.each([
    ['a call in the body', 'subject: ok', '<mj-text>{{log "forged line"}}</mj-text>', 5, 10],
    ['a call with a level', 'subject: ok', '<mj-text>{{log firstName level="error"}}</mj-text>', 5, 10],
    ['a bare {{log}}', 'subject: ok', '<mj-text>x {{log}}</mj-text>', 5, 12],
    ['a block', 'subject: ok', '<mj-text>{{#log "x"}}y{{/log}}</mj-text>', 5, 10],
    ['a sub-expression in the subject', 'subject: {{upper (log "x")}}', '<mj-text>x</mj-text>', 2, 18],
  ])('refuses the log helper (%s): it would write to the server log once per recipient', async (_name, subject, text, line, column) => {
    const result = await validateTemplate(
      email([subject], ['<mjml><mj-body><mj-section><mj-column>', text, '</mj-column></mj-section></mj-body></mjml>']),
    );
    expect(result.errors).toEqual([
      expect.objectContaining({
        line,
        column,
        message: 'Helper "log" is not available in templates: it would write to the server log, once per recipient',
      }),
    ]);
  });

  it('warns about unknown variables with the list of known ones', async () => {
    const result = await validateTemplate(
      email(
        ['subject: {{customer.frstName}}', 'data: promoCode'],
        [
          '<mjml><mj-body><mj-section><mj-column><mj-text>',
          '{{order.trackingNumber}} {{data.promoCode}} {{data.promo}} {{customer.attributes.anything}}',
          '{{#each order.items}}{{name}} {{price}} {{colour}} {{@index}} {{@root.customer.email}} {{@root.nope}}{{/each}}',
          '{{#with customer}}{{lastName}} {{lastname}}{{/with}} {{order.items.length}} {{#if (eq order.status "shipped")}}{{ordr.number}}{{/if}}',
          '</mj-text></mj-column></mj-section></mj-body></mjml>',
        ],
      ),
    );
    expect(result.errors).toEqual([]);
    const warnings = result.warnings as UnknownVariableWarning[];
    expect(warnings.map((w) => [w.variable, w.line])).toEqual([
      ['customer.frstName', 2],
      ['data.promo', 6],
      ['colour', 7],
      ['@root.nope', 7],
      ['lastname', 8],
      ['ordr.number', 8],
    ]);
    expect(warnings[0].known).toEqual(
      expect.arrayContaining(['customer.firstName', 'order.trackingNumber', 'message.unsubscribeUrl', 'data.promoCode.*', 'firstName']),
    );
    expect(warnings[0].message).toMatch(/^Unknown variable "customer.frstName"; known: customer\.id, /);
    expect(warnings[2].known).toEqual(['productId', 'name', 'quantity', 'price', 'total']);
  });

  it('accepts any data.* field when the template declares none, and warns about unescaped output', async () => {
    const result = await validateTemplate(
      email(
        ['subject: {{data.anything}}'],
        [
          '<mjml><mj-body><mj-section><mj-column>',
          '<mj-text>{{{customer.firstName}}}</mj-text>',
          '</mj-column></mj-section></mj-body></mjml>',
        ],
      ),
    );
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([expect.objectContaining({ line: 5, message: expect.stringMatching(/Unescaped output/) })]);
  });

  it('validates SMS text and its front matter', async () => {
    const result = await validateTemplate('---\nmaxSegments: 2\n---\nЗаказ {{order.numbr}} {{#if x}}', { path: 'templates/sms/x.ru.txt' });
    expect(result.channel).toBe('sms');
    expect(result.errors).toEqual([expect.objectContaining({ line: 4, column: 23, message: expect.stringMatching(/never closed/) })]);
    const ok = await validateTemplate('Заказ {{order.numbr}}', { channel: 'sms' });
    expect(ok.errors).toEqual([]);
    expect(ok.warnings).toEqual([
      expect.objectContaining({ line: 1, column: 9, message: expect.stringMatching(/Unknown variable "order.numbr"/) }),
    ]);
  });

  it('reports front-matter mistakes', async () => {
    const unclosed = await validateTemplate('---\nsubject: x\n<mjml></mjml>');
    expect(unclosed.errors).toEqual([
      expect.objectContaining({ line: 1, part: 'front-matter', message: expect.stringMatching(/never closed/) }),
    ]);
    const bad = await validateTemplate('---\nsubject x\nmaxSegments: many\nsubjct: y\n---\nHi');
    expect(bad.errors.map((e) => e.line)).toEqual([2, 3]);
    expect(bad.warnings).toEqual([
      expect.objectContaining({ line: 4, message: expect.stringMatching(/Unknown front-matter key "subjct"/) }),
    ]);
  });
});
