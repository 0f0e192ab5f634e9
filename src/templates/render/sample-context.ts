// A sample recipient for previews, the CLI, tests and the benchmark: a full customer with an
// order and the extra data the default templates use, in Russian or English.

import type { RenderContext } from './render-context';
import { runValues } from './run-values';

/** A demo link signer: what the tracking module's signed redirect looks like. */
export function sampleTrackLink(messageId: string | number): (url: string, index: number) => string {
  return (url, index) => `https://click.example.com/c/${messageId}/${index}?u=${encodeURIComponent(url)}`;
}

export function sampleContext(locale: string = 'ru'): RenderContext {
  const en = locale.toLowerCase().startsWith('en');
  const messageId = 'm-1001';
  return {
    customer: en
      ? {
          id: 1001,
          kind: 'person',
          firstName: 'Emily',
          lastName: 'Clarke',
          email: 'emily.clarke@example.co.uk',
          phone: '+447700900123',
          birthday: '1990-05-17',
          locale: 'en-GB',
          timeZone: 'Europe/London',
          companyName: 'Clarke & Sons Ltd',
          position: 'Purchasing manager',
          orderCount: 7,
          orderSum: '1840.00',
          lastOrderAt: '2026-02-03T11:20:00Z',
        }
      : {
          id: 1001,
          kind: 'person',
          firstName: 'Анна',
          patronymic: 'Сергеевна',
          lastName: 'Иванова',
          email: 'anna.ivanova@example.ru',
          phone: '+79161234567',
          birthday: '1990-05-17',
          locale: 'ru',
          timeZone: 'Europe/Moscow',
          companyName: 'ООО «Ромашка»',
          position: 'Менеджер по закупкам',
          orderCount: 12,
          orderSum: '184500.00',
          lastOrderAt: '2026-02-03T11:20:00Z',
        },
    order: {
      id: 501,
      number: 'A-10234',
      status: 'shipped',
      total: en ? '129.90' : '12990.50',
      currency: en ? 'GBP' : 'RUB',
      orderedAt: '2026-03-09T07:45:00Z',
      trackingNumber: 'RA123456789RU',
      trackingUrl: 'https://tracking.example.com/RA123456789RU',
      carrier: en ? 'Royal Mail' : 'Почта России',
      deliveryFrom: '2026-03-12T07:00:00Z',
      deliveryTo: '2026-03-14T15:00:00Z',
      items: en
        ? [
            { productId: 'SKU-1', name: 'Linen shirt', quantity: 1, price: '59.90' },
            { productId: 'SKU-2', name: 'Canvas tote bag', quantity: 2, price: '35.00' },
          ]
        : [
            { productId: 'SKU-1', name: 'Рубашка льняная', quantity: 1, price: '5990.50' },
            { productId: 'SKU-2', name: 'Сумка-шопер', quantity: 2, price: '3500' },
          ],
    },
    message: {
      id: messageId,
      unsubscribeUrl: `https://mail.example.com/u/${messageId}?sig=abc123`,
      preferencesUrl: `https://mail.example.com/p/${messageId}?sig=abc123`,
      viewInBrowserUrl: `https://mail.example.com/v/${messageId}?sig=abc123`,
      confirmUrl: `https://mail.example.com/confirm/${messageId}?sig=abc123`,
      trackLink: sampleTrackLink(messageId),
    },
    campaign: { id: 42, name: en ? 'March newsletter' : 'Мартовская рассылка' },
    // a preview's run is now, as if the campaign were sent at this moment
    run: runValues(new Date(), en ? 'Europe/London' : 'Europe/Moscow', en ? 'en-GB' : 'ru'),
    brand: en
      ? {
          name: 'Northwind',
          address: '1 High Street, London',
          website: 'https://shop.example.com',
          supportEmail: 'help@shop.example.com',
          supportPhone: '+44 20 7946 0000',
        }
      : {
          name: 'Северный ветер',
          address: 'Москва, ул. Примерная, 1',
          website: 'https://shop.example.ru',
          supportEmail: 'help@shop.example.ru',
          supportPhone: '8 800 555-35-35',
        },
    data: {
      month: en ? 'March 2026' : 'март 2026',
      priceListName: en ? 'Wholesale price list, March 2026' : 'Оптовый прайс-лист, март 2026',
      highlights: en
        ? [
            { title: 'Spring collection', text: '120 new items in stock' },
            { title: 'Free delivery', text: 'on orders over £500' },
          ]
        : [
            { title: 'Весенняя коллекция', text: '120 новых позиций на складе' },
            { title: 'Бесплатная доставка', text: 'при заказе от 50 000 ₽' },
          ],
      catalogUrl: 'https://shop.example.com/b2b/catalogue',
      managerName: en ? 'Oliver Bennett' : 'Дмитрий Орлов',
      managerPhone: en ? '+44 20 7946 0001' : '+7 495 123-45-67',
      managerEmail: 'manager@shop.example.com',
      discountPercent: 20,
      collection: en ? 'the spring collection' : 'весеннюю коллекцию',
      promoCode: 'SPRING20',
      validUntil: '2026-03-31',
      shopUrl: 'https://shop.example.com/sale',
      orderUrl: 'https://shop.example.com/orders/A-10234',
      reviewUrl: 'https://shop.example.com/orders/A-10234/review',
      products: [
        {
          name: en ? 'Linen shirt' : 'Рубашка льняная',
          price: en ? 47.9 : 4790,
          oldPrice: en ? 59.9 : 5990,
          url: 'https://shop.example.com/p/linen-shirt',
          imageUrl: 'https://shop.example.com/img/linen-shirt.jpg',
        },
        {
          name: en ? 'Canvas tote bag' : 'Сумка-шопер',
          price: en ? 28 : 2800,
          oldPrice: en ? 35 : 3500,
          url: 'https://shop.example.com/p/tote',
          imageUrl: 'https://shop.example.com/img/tote.jpg',
        },
      ],
    },
    now: '2026-03-10T09:00:00Z',
  };
}

/** Deep merge of plain objects (arrays and other values replace). */
export function mergeContext<T>(base: T, patch: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(patch)) return (patch === undefined ? base : patch) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    out[key] = mergeContext(out[key], value);
  }
  return out as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}
