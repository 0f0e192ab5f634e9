import { compileEmail, type CompiledEmail } from './compile-email';
import { compileSms } from './compile-sms';
import { pickVariant } from './locale-pick';
import type { RenderContext } from './render-context';
import { mergeContext, sampleContext } from './sample-context';
import { groupTemplates, loadDefaultTemplates, type TemplateFile } from './template-file';
import { emailSourceOf, validateTemplate } from './validate-template';

const files = loadDefaultTemplates();
const set = groupTemplates(files);
const EMAIL_KEYS = [
  'address-change-confirm',
  'b2b-monthly',
  'b2c-promo',
  'birthday',
  'order-created',
  'order-shipped',
  'order-delivered',
  'welcome-confirm',
  'win-back',
  'unsubscribe-confirmation',
  'order-paid',
  'order-cancelled',
  'welcome',
  'welcome-followup',
  're-engagement',
];
const SMS_KEYS = ['order-shipped', 'order-created', 'birthday', 'order-paid', 'order-delivered', 'order-cancelled'];
const MARKETING = ['b2b-monthly', 'b2c-promo', 'birthday', 'win-back', 'welcome', 'welcome-followup', 're-engagement'];

/** Only what a customer must have; every optional field missing. */
function bare(locale: string): RenderContext {
  return {
    customer: { email: 'someone@example.com', locale },
    order: { number: 'B-7', total: '10' },
    message: { unsubscribeUrl: 'https://mail.example.com/u/1' },
    brand: { name: 'Shop' },
  };
}

const LEFTOVER = /\{\{|\}\}|undefined|\bnull\b|NaN|\[object Object\]/;

describe('default template set', () => {
  it('has every email template in Russian and English and the SMS variants', () => {
    expect([...set.email.keys()].sort()).toEqual([...EMAIL_KEYS].sort());
    for (const key of EMAIL_KEYS) expect([...set.email.get(key)!.keys()].sort()).toEqual(['en', 'ru']);
    expect([...set.sms.keys()].sort()).toEqual([...SMS_KEYS].sort());
    for (const key of SMS_KEYS) expect([...set.sms.get(key)!.keys()].sort()).toEqual(['en', 'ru']);
    for (const file of files) {
      expect(file.name).not.toBe(file.key); // each has a human name
      if (file.channel === 'email') expect(file.subject).toBeTruthy();
    }
  });

  it.each(files.map((f) => [`${f.channel}/${f.key}.${f.locale}`, f] as const))(
    '%s validates without errors or warnings',
    async (_name, file) => {
      const result = await validateTemplate(file);
      expect(result.errors).toEqual([]);
      expect(result.warnings).toEqual([]);
    },
  );
});

describe.each(EMAIL_KEYS)('email %s', (key) => {
  const compiled = new Map<string, CompiledEmail>();
  beforeAll(async () => {
    for (const [locale, file] of set.email.get(key)!) compiled.set(locale, await compileEmail(emailSourceOf(file)));
  });

  it.each(['ru', 'en'])('renders the %s variant for a full and for a bare customer', (locale) => {
    const template = compiled.get(locale)!;
    for (const context of [sampleContext(locale), bare(locale)]) {
      const out = template.render(context);
      for (const part of [out.subject, out.preheader, out.html, out.text]) expect(part).not.toMatch(LEFTOVER);
      expect(out.subject.length).toBeGreaterThan(5);
      expect(out.html).toMatch(/^<!doctype html>[\s\S]*<\/html>\s*$/);
      expect(out.text.length).toBeGreaterThan(50);
      expect(out.html).toContain(context.brand!.name!);
      if (MARKETING.includes(key)) {
        expect(out.html).toContain(`href="${context.message!.unsubscribeUrl!.replace(/=/g, '&#x3D;')}"`);
        expect(out.text).toContain(context.message!.unsubscribeUrl!);
      }
    }
  });

  it.each(['ru', 'en'])('escapes a hostile customer name in the %s HTML', (locale) => {
    const template = compiled.get(locale)!;
    const context = mergeContext(sampleContext(locale), {
      customer: { firstName: '<script>alert(1)</script>', email: '"><img src=x onerror=alert(1)>' },
    });
    const html = template.render(context).html;
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    // every default template greets the customer by name, and the name arrives escaped; except the
    // address-change confirmation, which goes to an address not yet proven to be the customer's
    // and so names nobody
    if (key === 'address-change-confirm') expect(html).not.toContain('alert(1)');
    else expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('email content', () => {
  async function render(key: string, locale: string, context: RenderContext) {
    return (await compileEmail(emailSourceOf(set.email.get(key)!.get(locale)!))).render(context);
  }

  it('order-shipped shows the tracking number, carrier and delivery window, tracked', async () => {
    const out = await render('order-shipped', 'ru', sampleContext('ru'));
    expect(out.subject).toBe('Заказ №A-10234 в пути: доставка 12–14 марта');
    expect(out.html).toContain('RA123456789RU');
    expect(out.text).toContain('Ожидаемая доставка: 12–14 марта, с 10:00 до 18:00');
    expect(out.text).toContain('https://click.example.com/c/m-1001/0?u=https%3A%2F%2Ftracking.example.com%2FRA123456789RU');
    expect(out.text).toContain('Рубашка льняная · 1 · 5\u00a0990,50\u00a0₽');
    const en = await render('order-shipped', 'en', sampleContext('en'));
    expect(en.subject).toBe('Order #A-10234 is on its way: arriving 12–14 March');
  });

  it('b2b-monthly mentions the attached price list and the company', async () => {
    const out = await render('b2b-monthly', 'ru', sampleContext('ru'));
    expect(out.subject).toBe('Прайс-лист Северный ветер на март 2026 для ООО «Ромашка»');
    expect(out.text).toContain('«Оптовый прайс-лист, март 2026» — он во вложении');
    expect(out.text).toContain('Здравствуйте, Анна Сергеевна!');
  });

  it('welcome-confirm carries the confirmation link untracked', async () => {
    const out = await render('welcome-confirm', 'en', sampleContext('en'));
    expect(out.html).toContain('href="https://mail.example.com/confirm/m-1001?sig&#x3D;abc123"');
    expect(out.text).not.toContain('click.example.com');
  });

  it('order-created counts items with the right plural', async () => {
    const ctx = sampleContext('ru');
    const out = await render(
      'order-created',
      'ru',
      mergeContext(ctx, { order: { items: [...ctx.order!.items!, ...ctx.order!.items!, { name: 'x', quantity: 1, price: 1 }] } }),
    );
    expect(out.preheader).toMatch(/5 товаров\.$/);
  });
});

describe('SMS templates', () => {
  it.each(files.filter((f) => f.channel === 'sms').map((f) => [`${f.key}.${f.locale}`, f] as const))(
    '%s renders within its segment limit',
    (_name, file: TemplateFile) => {
      const sms = compileSms({ text: file.body, locale: file.locale, maxSegments: file.maxSegments });
      for (const context of [sampleContext(file.locale), bare(file.locale)]) {
        const out = sms.render(context);
        expect(out.text).not.toMatch(LEFTOVER);
        expect(out.text).not.toMatch(/ {2}|\n/);
        expect(out.warnings).toEqual([]);
        expect(out.length.segments).toBeLessThanOrEqual(file.maxSegments ?? 2);
        expect(out.length.encoding).toBe(file.locale === 'en' ? 'GSM-7' : 'UCS-2');
      }
    },
  );

  it('picks the customer locale variant with ru then en fallback', () => {
    const variants = set.sms.get('order-shipped')!;
    expect(pickVariant(variants, 'en-GB')?.locale).toBe('en');
    expect(pickVariant(variants, 'ru-RU')?.locale).toBe('ru');
    expect(pickVariant(variants, 'de')?.locale).toBe('ru');
    expect(pickVariant(new Map([['en', 1]]), 'de')).toBe(1);
  });
});
