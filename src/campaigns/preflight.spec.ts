import type { DataField } from '../templates/render/data-fields';
import { linkProblems, preflight, type PreflightInput, type PreflightProblem } from './preflight';

const SET_BRAND = { name: 'Вектор', address: 'Москва', website: null, logoUrl: null, supportEmail: null, supportPhone: null };

function input(over: Partial<PreflightInput> = {}): PreflightInput {
  return {
    channel: 'email',
    declaration: [],
    data: {},
    attachmentCount: 0,
    brand: { settings: SET_BRAND, rendered: { name: 'Вектор', address: 'Москва' } },
    templates: [{ locale: 'ru', parts: ['Новости {{brand.name}}', '<a href="{{unsubscribeUrl}}">Отписаться</a>'], dataFields: [] }],
    samples: [
      {
        recipient: { customerId: 1, sample: 'random' },
        email: { subject: 'Новости', html: '<a href="https://shop.example/u/x">Отписаться</a>', text: 'Новости' },
      },
    ],
    maxSmsSegments: 2,
    ...over,
  };
}

const codes = (problems: PreflightProblem[]) => problems.map((p) => `${p.severity}:${p.code}:${p.field ?? ''}`);
const email = (over: Partial<{ subject: string; html: string; text: string }>) => ({
  recipient: { customerId: 7, sample: 'longest' },
  email: { subject: 'Тема', html: '', text: '', ...over },
});

describe('preflight', () => {
  it('passes a campaign with nothing wrong', () => {
    expect(preflight(input())).toEqual({ ok: true, problems: [], samples: [{ customerId: 1, sample: 'random' }] });
  });

  const required: DataField[] = [
    { name: 'month', type: 'text', required: true, default: '{{run.month}}' },
    { name: 'priceListName', label: 'Название прайс-листа', type: 'text', required: true },
    { name: 'catalogUrl', type: 'url', required: true },
    { name: 'managerName', type: 'text' },
  ];

  it.each<[string, Partial<PreflightInput>, string[]]>([
    [
      'data_missing: each required field without value or default (a blank value counts as none)',
      { declaration: required, data: { priceListName: '  ' } },
      ['error:data_missing:data.priceListName', 'error:data_missing:data.catalogUrl'],
    ],
    [
      'brand_unset: printed unguarded and unset is an error',
      { brand: { settings: { ...SET_BRAND, name: null }, rendered: {} } },
      ['error:brand_unset:brand.name'],
    ],
    [
      "brand_unset: an unset name with the sender's name standing in is a warning",
      { brand: { settings: { ...SET_BRAND, name: '' }, rendered: { name: 'Магазин' } } },
      ['warning:brand_unset:brand.name'],
    ],
    [
      'brand_unset: a use inside {{#if}} or with a default is a warning',
      {
        templates: [
          {
            locale: 'ru',
            parts: [
              '{{#if brand.logoUrl}}<img src="{{brand.logoUrl}}">{{/if}} {{brand.supportPhone default="нет"}} {{or brand.website "—"}}',
            ],
            dataFields: [],
          },
        ],
      },
      ['warning:brand_unset:brand.logoUrl', 'warning:brand_unset:brand.supportPhone', 'warning:brand_unset:brand.website'],
    ],
    [
      'brand_unset: one unguarded use among guarded ones makes it an error',
      { templates: [{ locale: 'ru', parts: ['{{#if brand.logoUrl}}x{{/if}}', '{{brand.logoUrl}}'], dataFields: [] }] },
      ['error:brand_unset:brand.logoUrl'],
    ],
    [
      'unknown_variable: a name neither in the context nor declared',
      { templates: [{ locale: 'en', parts: ['Hi {{customer.fristName}} {{data.month}} {{data.mnth}}'], dataFields: ['month'] }] },
      ['error:unknown_variable:customer.fristName', 'error:unknown_variable:data.mnth'],
    ],
    [
      'unknown_variable: data.* is open when the template declares nothing',
      { templates: [{ locale: 'en', parts: ['{{data.anything}}'], dataFields: [] }] },
      [],
    ],
    ['subject_empty: a subject rendered empty', { samples: [email({ subject: ' ' })] }, ['error:subject_empty:subject']],
    [
      'attachment_missing: the text promises a file and nothing is attached',
      { samples: [email({ text: 'Актуальный прайс-лист во вложении' })] },
      ['error:attachment_missing:attachmentIds'],
    ],
    [
      'attachment_missing: English words too',
      { samples: [email({ subject: 'Prices attached' })] },
      ['error:attachment_missing:attachmentIds'],
    ],
    [
      'attachment_missing: not when a document is attached',
      { attachmentCount: 1, samples: [email({ text: 'прайс-лист во вложении (Excel)' })] },
      [],
    ],
    ['link_invalid: an empty href is a warning', { samples: [email({ html: '<a href="">Каталог</a>' })] }, ['warning:link_invalid:href']],
    [
      'link_invalid: a relative or javascript: link',
      { samples: [email({ html: `<a href="shop.example/catalogue">x</a><a href='javascript:alert(1)'>y</a>` })] },
      ['error:link_invalid:href', 'error:link_invalid:href'],
    ],
    [
      'sms_too_long: more segments than the budget',
      {
        channel: 'sms',
        templates: [],
        samples: [{ recipient: { customerId: 3, sample: 'longest' }, sms: { text: 'x', segments: 3, encoding: 'UCS-2', units: 190 } }],
      },
      ['error:sms_too_long:text'],
    ],
    [
      'sms_too_long: not at the budget',
      {
        channel: 'sms',
        templates: [],
        samples: [{ recipient: { customerId: 3, sample: 'longest' }, sms: { text: 'x', segments: 2, encoding: 'UCS-2', units: 130 } }],
      },
      [],
    ],
    ['audience_empty: no recipient to render is a warning', { samples: [] }, ['warning:audience_empty:segmentId']],
  ])('%s', (_why, over, expected) => {
    const report = preflight(input(over));
    expect(codes(report.problems)).toEqual(expected);
    expect(report.ok).toBe(!expected.some((c) => c.startsWith('error')));
    for (const problem of report.problems) expect(problem.message.length).toBeGreaterThan(20);
  });

  it('lists every problem at once, naming the recipient of render problems, each once', () => {
    const sample = email({ subject: '', html: '<a href="shop.example">x</a><a href="shop.example">y</a>', text: 'во вложении' });
    const report = preflight(
      input({
        declaration: required,
        brand: { settings: { ...SET_BRAND, name: null }, rendered: {} },
        templates: [{ locale: 'ru', parts: ['{{brand.name}} {{data.oops}}'], dataFields: ['month', 'priceListName', 'catalogUrl'] }],
        samples: [sample, { ...sample, recipient: { customerId: 8, sample: 'emptiest' } }],
      }),
    );
    expect(report.ok).toBe(false);
    expect(new Set(report.problems.map((p) => p.code))).toEqual(
      new Set(['data_missing', 'brand_unset', 'unknown_variable', 'subject_empty', 'link_invalid', 'attachment_missing']),
    );
    expect(report.problems.filter((p) => p.code === 'link_invalid')).toHaveLength(1);
    expect(report.problems.find((p) => p.code === 'subject_empty')?.recipient).toEqual({ customerId: 7, sample: 'longest' });
  });

  it.each([
    ['https://shop.example/a?b=1&amp;c&#x3D;2', 0],
    ['http://shop.example', 0],
    ['mailto:help@shop.example', 0],
    ['tel:+74951234567', 0],
    ['https://', 1],
    ['ftp://files.example/x', 1],
    ['#top', 1],
  ])('link %s: %i problem(s)', (href, count) => {
    expect(linkProblems(`<a class="b" href="${href}">x</a>`)).toHaveLength(count);
  });
});
