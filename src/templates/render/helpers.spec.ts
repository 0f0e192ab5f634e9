import { compileTemplate, directCallsEnabled } from './handlebars-env';
import type { RenderContext } from './render-context';
import { renderData } from './render-data';

function render(source: string, context: RenderContext, locale = 'ru'): string {
  return compileTemplate(source, { noEscape: true })(context, renderData(context, locale));
}

const anna: RenderContext = {
  customer: {
    firstName: 'Анна',
    patronymic: 'Сергеевна',
    lastName: 'Иванова',
    locale: 'ru',
    timeZone: 'Asia/Yekaterinburg',
    birthday: '1990-05-17',
  },
  order: {
    number: 'A-1',
    status: 'shipped',
    total: '2500',
    currency: 'RUB',
    orderedAt: '2026-03-09T19:30:00Z',
    items: [
      { name: 'a', quantity: 1 },
      { name: 'b', quantity: 3 },
    ],
  },
  now: '2026-03-10T09:00:00Z',
};

describe('helpers', () => {
  it.each([
    ['{{firstName}} {{lastName}} {{patronymic}}', 'Анна Иванова Сергеевна'],
    ['{{fullName}}|{{politeName}}', 'Анна Сергеевна Иванова|Анна Сергеевна'],
    ['{{companyName default="частное лицо"}}', 'частное лицо'],
    ['{{order.items.length}} {{plural order.items.length "товар" "товара" "товаров"}}', '2 товара'],
    ['{{plural 1 "item" "items"}} {{plural 5 "item" "items"}}', 'item items'],
    ['{{money order.total}} {{money 10.5 "EUR"}} {{money 3 currency="USD" decimals=2}}', '2\u00a0500\u00a0₽ 10,50\u00a0€ 3,00\u00a0$'],
    ['{{formatNumber 1234.5}} {{formatNumber 2 decimals=1}}', '1\u00a0234,5 2,0'],
    ['{{date order.orderedAt}} {{date order.orderedAt "datetime"}}', '10 марта 2026 г. 10 марта 2026 г. в 00:30'],
    ['{{date customer.birthday "dayMonth"}}, {{age customer.birthday}}', '17 мая, 35'],
    ['{{year}}', '2026'],
    ['{{orderStatus order.status}}', 'отправлен'],
    ['{{#if (eq order.status "shipped")}}y{{/if}}{{#if (gt order.total 1000)}}big{{/if}}{{#if (and firstName lastName)}}+{{/if}}', 'ybig+'],
    ['{{#if (not customer.email)}}no email{{/if}} {{or customer.companyName fullName}}', 'no email Анна Сергеевна Иванова'],
    ['{{upper firstName}}', 'АННА'],
    ['{{#each order.items}}{{@index}}{{name}}{{#if @last}}.{{/if}}{{/each}}', '0a1b.'],
    ['{{#each order.items as |item|}}{{item.name}}{{@root.order.number}}{{/each}}', 'aA-1bA-1'],
  ])('%s', (source, expected) => {
    expect(render(source, anna)).toBe(expected);
  });

  it('formats in the template language, with the customer region and zone', () => {
    const en: RenderContext = { ...anna, customer: { ...anna.customer, locale: 'en-US', timeZone: 'America/New_York' } };
    expect(render('{{date order.orderedAt "long"}} {{orderStatus order.status}}', en, 'en')).toBe('March 9, 2026 shipped');
    expect(render('{{date order.orderedAt "long"}}', en, 'ru')).toBe('9 марта 2026 г.');
  });

  it('passes each tracked link and its place to the message link signer', () => {
    const seen: [string, number][] = [];
    const context: RenderContext = { ...anna, message: { trackLink: (url, index) => (seen.push([url, index]), `T${index}`) } };
    expect(render('{{track "https://a" linkIndex=4}} {{track "https://b"}}', context)).toBe('T4 T-1');
    expect(seen).toEqual([
      ['https://a', 4],
      ['https://b', -1],
    ]);
    expect(render('{{track "https://a"}}', anna)).toBe('https://a'); // no signer: the plain URL
  });

  it('reads the render state even when a link signer renders another template', () => {
    const inner = compileTemplate('{{firstName}}');
    const context: RenderContext = {
      customer: { firstName: 'Outer' },
      message: { trackLink: () => inner({ customer: { firstName: 'Inner' } }, renderData({ customer: { firstName: 'Inner' } }, 'ru')) },
    };
    expect(render('{{firstName}} {{track "x"}} {{firstName}}', context)).toBe('Outer Inner Outer');
  });

  it('calls templates the fast way, checked against the ordinary way at start-up', () => {
    expect(directCallsEnabled()).toBe(true);
  });
});

describe('Handlebars built-ins a template cannot misuse', () => {
  it('{{log}} renders nothing and writes nothing to the process log, whatever the call', () => {
    const writes: unknown[] = [];
    const spies = [
      jest.spyOn(console, 'log').mockImplementation((...args) => void writes.push(args)),
      jest.spyOn(console, 'info').mockImplementation((...args) => void writes.push(args)),
      jest.spyOn(console, 'warn').mockImplementation((...args) => void writes.push(args)),
      jest.spyOn(console, 'error').mockImplementation((...args) => void writes.push(args)),
      jest.spyOn(console, 'debug').mockImplementation((...args) => void writes.push(args)),
      jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (writes.push(chunk), true)),
      jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (writes.push(chunk), true)),
    ];
    try {
      for (const source of [
        'a{{log "forged line"}}b',
        'a{{log "x" level="error"}}b',
        'a{{log firstName}}b',
        'a{{log}}b',
        'a{{#log "x"}}y{{/log}}b',
      ]) {
        expect(render(source, anna)).toBe('ab');
      }
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(writes).toEqual([]);
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])(
    '{{orderStatus %p}} prints the word, never a function',
    (status) => {
      expect(render(`{{orderStatus "${status}"}}`, anna)).toBe(status);
      expect(render(`{{orderStatus "${status}"}}`, anna, 'en')).toBe(status);
      expect(render('{{orderStatus order.status}}', { ...anna, order: { ...anna.order, status } })).toBe(status);
    },
  );

  it('orderStatus with a locale named like a prototype member falls back to English', () => {
    expect(render('{{orderStatus "shipped"}}', anna, 'constructor')).toBe('shipped');
  });

  it('lookup reads own properties only: no prototype member, no constructor', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(render(`[{{lookup customer "${name}"}}][{{lookup order.items "${name}"}}]`, anna)).toBe('[][]');
    }
    expect(render('{{lookup customer "firstName"}} {{#each order.items}}{{lookup this "name"}}{{/each}}', anna)).toBe('Анна ab');
  });
});
