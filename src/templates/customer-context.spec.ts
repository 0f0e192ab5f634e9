import { customerRenderContext, renderOrderOf, type CustomerRow, type OrderRow } from './customer-context';
import { compileEmail, compileSms, type RenderContext } from './render';

const anna: CustomerRow = {
  id: 7,
  kind: 'person',
  firstName: 'Анна',
  patronymic: 'Сергеевна',
  lastName: 'Иванова',
  companyName: null,
  email: 'anna@example.ru',
  phone: '+79161234567',
  birthday: new Date('1990-05-17T00:00:00Z'),
  locale: 'ru',
  timeZone: 'Asia/Vladivostok',
  orderCount: 3,
  orderSum: { toString: () => '12500.00' },
  lastOrderAt: new Date('2026-02-03T11:20:00Z'),
  registeredAt: new Date('2025-01-01T00:00:00Z'),
  rating: 'B',
  tags: ['vip'],
  attributes: { city: 'Владивосток' },
};

const order: OrderRow = {
  id: 501,
  externalId: 'A-10234',
  status: 'shipped',
  total: { toString: () => '12990.50' },
  currency: 'RUB',
  orderedAt: new Date('2026-03-09T07:45:00Z'),
  trackingNumber: 'RA123456789RU',
  deliveryFrom: new Date('2026-03-12T07:00:00Z'),
  deliveryTo: new Date('2026-03-14T15:00:00Z'),
  attributes: { carrier: 'Почта России', trackingUrl: 'https://track.example/RA1', gift: true },
  items: [
    { productId: 'SKU-1', name: 'Рубашка', quantity: 2, price: { toString: () => '1500.25' } },
    { productId: 'SKU-2', name: null, quantity: 1, price: 990 },
  ],
};

describe('customerRenderContext', () => {
  it('maps the customer row with its fields, links and extras', () => {
    const trackLink = (url: string, index: number) => `https://t.example/${index}?u=${url}`;
    const context = customerRenderContext(anna, {
      order,
      message: { id: 'm1', unsubscribeUrl: 'https://u.example/1', trackLink },
      campaign: { id: 3, name: 'Март' },
      brand: { name: 'Бренд' },
      data: { promoCode: 'X1' },
    });
    expect(context.customer).toMatchObject({
      id: 7,
      firstName: 'Анна',
      patronymic: 'Сергеевна',
      birthday: '1990-05-17',
      locale: 'ru',
      timeZone: 'Asia/Vladivostok',
      tags: ['vip'],
      attributes: { city: 'Владивосток' },
    });
    expect(context.order).toMatchObject({
      number: 'A-10234',
      carrier: 'Почта России',
      trackingUrl: 'https://track.example/RA1',
      attributes: { gift: true },
    });
    expect(context.message?.trackLink).toBe(trackLink);
    expect(context.data).toEqual({ promoCode: 'X1' });
    expect(context.now).toBeUndefined();
  });

  it('falls back to the configured locale and zone, and to the company name of a contact', () => {
    const bare: CustomerRow = { id: 1, email: 'x@example.com', locale: ' ', timeZone: '', companyName: null, attributes: 'not an object' };
    const context = customerRenderContext(bare, { company: { companyName: 'ООО «Вектор»' } }, { locale: 'en', timeZone: 'Europe/London' });
    expect(context.customer).toMatchObject({
      locale: 'en',
      timeZone: 'Europe/London',
      companyName: 'ООО «Вектор»',
      birthday: null,
      tags: [],
      attributes: {},
    });
    expect(context.order).toBeNull();
    expect(context.message).toEqual({});
    expect(customerRenderContext(bare).customer).toMatchObject({ locale: 'ru', timeZone: 'Europe/Moscow' });
  });

  it('lets the caller add order fields the row does not store', () => {
    const context = customerRenderContext(anna, {
      order: { ...order, attributes: {} },
      orderFields: { carrier: 'СДЭК', trackingUrl: 'https://cdek.example/1' },
    });
    expect(context.order).toMatchObject({ number: 'A-10234', carrier: 'СДЭК', trackingUrl: 'https://cdek.example/1' });
    expect(customerRenderContext(anna, { orderFields: { number: 'N-1' } }).order).toEqual({ number: 'N-1' });
  });

  it('numbers an order without an external id by its id and totals its items', () => {
    const out = renderOrderOf({ ...order, externalId: null });
    expect(out.number).toBe('501');
    expect(out.items?.map((i) => i.total)).toEqual([3000.5, 990]);
    expect(out.items?.[1].name).toBeNull();
  });

  it('renders through templates: birthday stays the same day in any zone, money and dates in the customer zone', async () => {
    const sms = compileSms({
      text: '{{date customer.birthday "dayMonth"}}|{{money order.total}}|{{date order.orderedAt "datetime"}}|{{fullName}}',
      locale: 'ru',
    });
    const west: RenderContext = customerRenderContext({ ...anna, timeZone: 'America/Los_Angeles' }, { order });
    expect(sms.render(west).text).toBe('17 мая|12\u00a0990,50\u00a0₽|9 марта 2026 г. в 00:45|Анна Сергеевна Иванова');
    expect(sms.render(customerRenderContext(anna, { order })).text).toBe(
      '17 мая|12\u00a0990,50\u00a0₽|9 марта 2026 г. в 17:45|Анна Сергеевна Иванова',
    );
    const email = await compileEmail({
      subject: '{{firstName}}',
      locale: 'ru',
      mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>{{firstName}} {{politeName}}</mj-text></mj-column></mj-section></mj-body></mjml>',
    });
    const hostile = email.render(customerRenderContext({ ...anna, firstName: '<script>alert(1)</script>' }));
    expect(hostile.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(hostile.html).not.toContain('<script>alert');
  });
});
