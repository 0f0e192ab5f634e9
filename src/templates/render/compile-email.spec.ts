import { checkEmail, compileEmail, emailFromArtifact, type EmailTemplateSource } from './compile-email';
import type { RenderContext } from './render-context';
import { TemplateCompileError } from './template-issue';

const mjml = (body: string, head = ''): string => `<mjml>\n<mj-head>${head}</mj-head>\n<mj-body>\n${body}\n</mj-body>\n</mjml>`;
const section = (inner: string): string => `<mj-section><mj-column><mj-text>${inner}</mj-text></mj-column></mj-section>`;

function context(overrides: Partial<RenderContext> = {}): RenderContext {
  return {
    customer: {
      firstName: 'Анна',
      patronymic: 'Сергеевна',
      lastName: 'Иванова',
      email: 'anna@example.ru',
      locale: 'ru',
      timeZone: 'Europe/Moscow',
    },
    order: { number: 'A-1', total: 1234.5, currency: 'RUB', items: [{ name: 'Чай', quantity: 2, price: 100 }] },
    message: { unsubscribeUrl: 'https://u.example/x?s=1', trackLink: (url, i) => `https://t.example/${i}?u=${encodeURIComponent(url)}` },
    ...overrides,
  };
}

async function compile(source: Partial<EmailTemplateSource> & { mjml: string }) {
  return compileEmail({ subject: 'Тема', locale: 'ru', ...source });
}

describe('compileEmail: expressions survive MJML', () => {
  it('keeps expressions with quotes inside attributes and numbers tracked links', async () => {
    const calls: [string, number][] = [];
    const template = await compile({
      mjml: mjml(
        `<mj-section><mj-column>
          <mj-button href="{{track "https://shop.example/x?a=1&b=2"}}">Купить</mj-button>
          <mj-image src="https://img.example/{{order.number}}.png" alt="{{firstName}}" href="{{track 'https://shop.example/y'}}" />
          <mj-text><a href="{{unsubscribeUrl}}">Отписаться</a></mj-text>
        </mj-column></mj-section>`,
      ),
    });
    const out = template.render(
      context({
        message: { unsubscribeUrl: 'https://u.example/x', trackLink: (url, i) => (calls.push([url, i]), `https://t.example/${i}`) },
      }),
    );
    expect(out.html).toContain('href="https://t.example/0"');
    expect(out.html).toContain('href="https://t.example/1"');
    expect(out.html).toContain('src="https://img.example/A-1.png"');
    expect(out.html).toContain('alt="Анна"');
    expect(out.html).toContain('href="https://u.example/x"');
    expect(calls).toEqual(
      expect.arrayContaining([
        ['https://shop.example/x?a=1&b=2', 0],
        ['https://shop.example/y', 1],
      ]),
    );
    expect(out.html).not.toMatch(/\{\{|\}\}/);
  });

  it('keeps {{#if}}/{{else}} around whole sections', async () => {
    const template = await compile({
      mjml: mjml(
        `{{#if order.trackingNumber}}\n${section('Трек {{order.trackingNumber}}')}\n{{else}}\n${section('Без трека')}\n{{/if}}\n${section('Итого')}`,
      ),
    });
    const withTracking = template.render(context({ order: { trackingNumber: 'RA1' } }));
    expect(withTracking.html).toContain('Трек RA1');
    expect(withTracking.html).not.toContain('Без трека');
    expect(withTracking.html).toContain('Итого');
    const without = template.render(context({ order: {} }));
    expect(without.html).toContain('Без трека');
    expect(without.html).not.toContain('Трек');
    // the layout stays balanced either way
    for (const html of [withTracking.html, without.html]) {
      expect((html.match(/<table/g) ?? []).length).toBe((html.match(/<\/table>/g) ?? []).length);
    }
  });

  it('keeps block tags around columns and around elements inside a column', async () => {
    const template = await compile({
      mjml: mjml(`<mj-section>
        <mj-column><mj-text>Первая</mj-text></mj-column>
        {{#if customer.companyName}}
        <mj-column><mj-text>Компания {{customer.companyName}}</mj-text></mj-column>
        {{/if}}
      </mj-section>
      <mj-section><mj-column>
        {{#if brand.logoUrl}}<mj-image src="{{brand.logoUrl}}" />{{else}}<mj-text>{{brand.name}}</mj-text>{{/if}}
      </mj-column></mj-section>`),
    });
    const a = template.render(
      context({ customer: { companyName: 'ООО «Ромашка»' }, brand: { logoUrl: 'https://l.example/logo.png', name: 'Бренд' } }),
    );
    expect(a.html).toContain('Компания ООО «Ромашка»');
    expect(a.html).toContain('src="https://l.example/logo.png"');
    expect(a.html).not.toContain('>Бренд<');
    const b = template.render(context({ customer: {}, brand: { name: 'Бренд' } }));
    expect(b.html).not.toContain('Компания');
    expect(b.html).toContain('>Бренд<');
  });

  it('repeats sections with {{#each}}', async () => {
    const template = await compile({ mjml: mjml(`{{#each order.items}}${section('{{name}} × {{quantity}} = {{money price}}')}{{/each}}`) });
    const out = template.render(
      context({
        order: {
          currency: 'RUB',
          items: [
            { name: 'Чай', quantity: 2, price: 100 },
            { name: 'Кофе', quantity: 1, price: 350.5 },
          ],
        },
      }),
    );
    expect(out.html).toContain('Чай × 2 = 100\u00a0₽');
    expect(out.html).toContain('Кофе × 1 = 350,50\u00a0₽');
    expect(out.text).toMatch(/Чай × 2 = 100\u00a0₽\n\nКофе × 1 = 350,50\u00a0₽/);
  });
});

describe('compileEmail: escaping and parts', () => {
  const hostile = '<script>alert("x")</script> & Co';

  it('HTML-escapes customer data in the HTML part only', async () => {
    const template = await compile({
      mjml: mjml(section('Здравствуйте, {{firstName}}! <a href="https://x.example/?n={{customer.lastName}}">ссылка</a>')),
      subject: '{{firstName}}, для вас',
      preheader: 'Привет, {{firstName}}',
    });
    const out = template.render(context({ customer: { firstName: hostile, lastName: '"><img src=x onerror=alert(1)>' } }));
    expect(out.html).not.toContain('<script>');
    expect(out.html).not.toContain('<img src=x');
    expect(out.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(out.subject).toBe(`${hostile}, для вас`);
    expect(out.preheader).toBe(`Привет, ${hostile}`);
    expect(out.text).toContain(`Здравствуйте, ${hostile}!`);
  });

  it('puts the preheader in a hidden block at the top of the body', async () => {
    const template = await compile({ mjml: mjml(section('Текст')), preheader: 'Скидка для {{firstName}}' });
    const out = template.render(context());
    expect(out.html).toMatch(/<body[^>]*>\s*<div style="display:none;[^"]*">Скидка для Анна<\/div>/);
    expect(out.text).not.toContain('Скидка для');
  });

  it('derives the text part once, with links and block structure, and accepts a hand-written one', async () => {
    const source = {
      mjml: mjml(
        `<mj-section><mj-column><mj-text>Здравствуйте, {{politeName default="коллега"}}!</mj-text>` +
          `<mj-button href="{{track "https://shop.example/sale"}}">В магазин</mj-button></mj-column></mj-section>` +
          `{{#if order.trackingNumber}}${section('Трек: {{order.trackingNumber}}')}{{/if}}`,
      ),
    };
    const template = await compile(source);
    expect(template.artifact.textGenerated).toBe(true);
    expect(template.artifact.text).toContain('{{#if order.trackingNumber}}');
    const out = template.render(context({ order: { trackingNumber: 'RA1' } }));
    expect(out.text).toBe(
      'Здравствуйте, Анна Сергеевна!\n\nВ магазин [https://t.example/0?u=https%3A%2F%2Fshop.example%2Fsale]\n\nТрек: RA1',
    );
    expect(template.render(context({ customer: {}, order: {} })).text).toBe(
      'Здравствуйте, коллега!\n\nВ магазин [https://t.example/0?u=https%3A%2F%2Fshop.example%2Fsale]',
    );
    const manual = await compile({ ...source, text: 'Коротко: {{firstName}} & {{track "https://shop.example/sale"}}' });
    expect(manual.render(context()).text).toBe('Коротко: Анна & https://t.example/1?u=https%3A%2F%2Fshop.example%2Fsale');
  });

  it('supports field defaults in both forms and shortcut fields as conditions', async () => {
    const template = await compile({
      mjml: mjml(
        section(
          '{{firstName default="коллега"}}|{{customer.position default="специалист"}}|{{#if firstName}}есть{{else}}нет{{/if}}|{{fullName}}',
        ),
      ),
    });
    expect(template.render(context()).text).toBe('Анна|специалист|есть|Анна Сергеевна Иванова');
    expect(template.render(context({ customer: { firstName: '  ', position: 'CEO' } })).text).toBe('коллега|CEO|нет|');
  });

  it('renders the same from a stored artifact, without MJML', async () => {
    const template = await compile({ mjml: mjml(section('{{firstName}} {{money order.total}}')), subject: 'Заказ {{order.number}}' });
    expect(template.mjmlCompileMs).toBeGreaterThan(0);
    const again = emailFromArtifact(JSON.parse(JSON.stringify(template.artifact)));
    expect(again.mjmlCompileMs).toBe(0);
    expect(again.render(context())).toEqual(template.render(context()));
  });
});

describe('compileEmail: constructs that cannot survive MJML are errors with their line', () => {
  async function errorsOf(source: string) {
    const result = await checkEmail({ mjml: source, subject: 'x' });
    expect(result.compiled).toBeUndefined();
    return result.errors;
  }

  it('an output expression between sections', async () => {
    const errors = await errorsOf(mjml(`${section('a')}\n  {{firstName}}\n${section('b')}`));
    expect(errors).toEqual([
      expect.objectContaining({ line: 5, column: 3, message: expect.stringMatching(/\{\{firstName\}\} stands between MJML elements/) }),
    ]);
  });

  it('an expression inside a tag but outside an attribute value', async () => {
    const errors = await errorsOf(mjml('<mj-section {{#if x}}padding="0"{{/if}}><mj-column><mj-text>a</mj-text></mj-column></mj-section>'));
    expect(errors[0]).toMatchObject({
      line: 4,
      column: 13,
      message: expect.stringMatching(/inside <mj-section> must be within an attribute value/),
    });
  });

  it('a block tag MJML would repeat (mj-title is copied into the body)', async () => {
    const errors = await errorsOf(mjml(section('a'), '\n<mj-title>{{#if firstName}}Привет{{/if}}</mj-title>'));
    expect(errors[0]).toMatchObject({ line: 3, message: expect.stringMatching(/repeats the block tag \{\{#if firstName\}\}/) });
  });

  it('MJML validation errors point at the original line, past multi-line expressions', async () => {
    const errors = await errorsOf(
      mjml(
        `${section('{{plural\n  order.items.length\n  "товар" "товара" "товаров"}}')}\n<mj-section><mj-column><mj-text padding="abc">x</mj-text></mj-column></mj-section>`,
      ),
    );
    expect(errors).toEqual([
      expect.objectContaining({ line: 7, column: 24, message: expect.stringMatching(/MJML: Attribute padding has invalid value: abc/) }),
    ]);
  });

  it('restores expressions in MJML messages and names the element', async () => {
    const errors = await errorsOf(
      mjml('<mj-section background-color="{{brand.color}}"><mj-column><mj-text>x</mj-text></mj-column></mj-section>'),
    );
    expect(errors[0].message).toContain('{{brand.color}}');
    expect(errors[0]).toMatchObject({ line: 4, column: 1 });
  });

  it('throws a TemplateCompileError carrying the errors', async () => {
    await expect(compileEmail({ mjml: mjml('{{firstName}}'), subject: 'x' })).rejects.toBeInstanceOf(TemplateCompileError);
    await expect(compileEmail({ mjml: mjml(section('a')), subject: '' })).rejects.toThrow(/needs a subject/);
  });
});
