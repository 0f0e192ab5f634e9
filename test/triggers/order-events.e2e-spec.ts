// Order webhooks: the order is upserted, the matching notification goes once per (order,
// status) however often the webhook is retried, the shipped SMS carries the tracking number
// and delivery window, and an SMS at night waits for the morning in the customer's zone.
import { waitFor } from '../support/smtp-sink';
import { makePerson, outboxTo, settledMessages, startTriggerApp, type TriggerTestApp } from './trigger-fixtures';

let app: TriggerTestApp;

beforeAll(async () => {
  app = await startTriggerApp();
  for (const status of ['created', 'shipped', 'delivered']) {
    const created = await app.api('POST', '/triggers', {
      name: `Заказ: ${status}`,
      type: 'order_status',
      channels: ['sms', 'email'],
      template: `order-${status}`,
      options: { orderStatus: status },
    });
    expect(created.status).toBe(201);
  }
  // 12:00 in Moscow.
  app.clock.freeze(new Date('2026-11-23T09:00:00Z'));
});

afterAll(async () => app?.close());

const smsTo = async (phone: string) => (await outboxTo(app.prisma, phone)).filter((m) => m.channel === 'sms');

describe('POST /events/orders', () => {
  it('creates the customer and the order, and a webhook sent twice yields one SMS', async () => {
    const event = {
      status: 'created',
      order: { externalId: 'SHOP-1001', items: [{ productId: 'SKU-1', name: 'Чайник', quantity: 1, price: '2 490' }] },
      customer: {
        externalId: 'CRM-77',
        firstName: 'Анна',
        phone: '8 916 555-01-01',
        consents: { sms: { status: 'opted_in', source: 'checkout' } },
      },
    };
    const first = await app.api('POST', '/events/orders', event);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ customerCreated: true, stale: false, order: { externalId: 'SHOP-1001', status: 'created' } });
    expect(first.body.notifications).toEqual([expect.objectContaining({ fired: true, channel: 'sms', status: 'queued' })]);

    const retried = await app.api('POST', '/events/orders', event);
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ customerCreated: false, customerId: first.body.customerId, order: { id: first.body.order.id } });
    expect(retried.body.notifications).toEqual([expect.objectContaining({ fired: false, messageId: null })]);
    // and two deliveries at the same instant
    const both = await Promise.all([app.api('POST', '/events/orders', event), app.api('POST', '/events/orders', event)]);
    expect(both.map((r) => r.status)).toEqual([201, 201]);

    await waitFor(async () => (await smsTo('+79165550101')).length > 0, 20_000, 'the order SMS');
    // One message row for four deliveries of the webhook, sent: no second SMS can follow.
    expect((await settledMessages(app.prisma, [first.body.customerId], 'the order SMS')).map((m) => [m.channel, m.status])).toEqual([
      ['sms', 'sent'],
    ]);
    const sms = await smsTo('+79165550101');
    expect(sms).toHaveLength(1);
    expect(sms[0].text).toContain('SHOP-1001');
    expect(await app.prisma.order.count({ where: { externalId: 'SHOP-1001' } })).toBe(1);
    expect(await app.prisma.customer.count({ where: { externalId: 'CRM-77' } })).toBe(1);
  });

  it('renders the tracking number and delivery window of a shipped order; a late "shipped" after "delivered" sends nothing', async () => {
    const customer = { externalId: 'CRM-78', firstName: 'Борис', phone: '+79165550202', consents: { sms: { status: 'opted_in' } } };
    await app.api('POST', '/events/orders', { status: 'created', order: { externalId: 'SHOP-1002', total: 1500 }, customer });
    const shipped = {
      status: 'shipped',
      order: {
        externalId: 'SHOP-1002',
        trackingNumber: 'RA123456789RU',
        carrier: 'Почта России',
        deliveryFrom: '2026-11-25T10:00:00+03:00',
        deliveryTo: '2026-11-27T18:00:00+03:00',
      },
      customer,
    };
    const response = await app.api('POST', '/events/orders', shipped);
    expect(response.body.notifications).toEqual([expect.objectContaining({ fired: true, channel: 'sms' })]);
    const order = await app.prisma.order.findUniqueOrThrow({ where: { externalId: 'SHOP-1002' } });
    expect(order).toMatchObject({ status: 'shipped', trackingNumber: 'RA123456789RU', attributes: { carrier: 'Почта России' } });

    const text = await waitFor(
      async () => (await smsTo('+79165550202')).find((m) => m.text?.includes('RA123456789RU'))?.text,
      20_000,
      'the shipped SMS',
    );
    expect(text).toContain('SHOP-1002');
    expect(text).toMatch(/25.{1,3}27 ноября/);

    expect((await app.api('POST', '/events/orders', { ...shipped, status: 'delivered' })).body.notifications[0]).toMatchObject({
      fired: true,
    });
    const late = await app.api('POST', '/events/orders', shipped);
    expect(late.body).toMatchObject({ stale: true, notifications: [], order: { status: 'delivered' } });
    await waitFor(async () => (await smsTo('+79165550202')).length === 3, 20_000, 'created, shipped and delivered SMS');
    const { id: borisId } = await app.prisma.customer.findFirstOrThrow({ where: { externalId: 'CRM-78' }, select: { id: true } });
    expect((await settledMessages(app.prisma, [borisId], 'the order SMS')).map((m) => m.status)).toEqual(['sent', 'sent', 'sent']);
    expect(await smsTo('+79165550202')).toHaveLength(3);
  });

  it('falls back to email when the customer has no phone', async () => {
    const response = await app.api('POST', '/events/orders', {
      status: 'shipped',
      order: {
        externalId: 'SHOP-1003',
        total: 990,
        trackingNumber: 'CDEK-555',
        deliveryFrom: '2026-11-26T09:00:00+03:00',
        deliveryTo: '2026-11-26T21:00:00+03:00',
      },
      customer: { email: 'vera@example.com', firstName: 'Вера' },
    });
    expect(response.body.notifications).toEqual([expect.objectContaining({ fired: true, channel: 'email' })]);
    const mail = await waitFor(async () => (await outboxTo(app.prisma, 'vera@example.com'))[0], 20_000, 'the shipped email');
    expect(mail.subject).toContain('SHOP-1003');
    expect(mail.html).toContain('CDEK-555');
  });

  it('holds an SMS at night until 09:00 in the customer’s zone', async () => {
    const customerId = await makePerson(app.prisma, { name: 'Глеб', timeZone: 'Europe/Moscow', phone: '+79165550303', optedIn: ['sms'] });
    app.clock.freeze(new Date('2026-11-23T19:30:00Z')); // 22:30 in Moscow
    const response = await app.api('POST', '/events/orders', {
      status: 'created',
      order: { externalId: 'SHOP-1004', total: 100 },
      customerId,
    });
    const [notification] = response.body.notifications;
    expect(notification).toMatchObject({ fired: true, channel: 'sms', status: 'held' });
    const held = await app.prisma.message.findUniqueOrThrow({ where: { id: BigInt(notification.messageId) } });
    expect(held).toMatchObject({ status: 'held', statusReason: 'quiet hours', lane: 'transactional' });
    expect(held.scheduledFor?.toISOString()).toBe('2026-11-24T06:00:00.000Z');

    app.clock.freeze(new Date('2026-11-24T05:59:00Z'));
    // A minute early the tick releases nothing: the row is still held, so nothing can be sent.
    expect((await app.runner.tick()).released).toBe(0);
    expect(await app.prisma.message.findUniqueOrThrow({ where: { id: BigInt(notification.messageId) } })).toMatchObject({ status: 'held' });
    expect(await smsTo('+79165550303')).toHaveLength(0);

    app.clock.freeze(new Date('2026-11-24T06:00:00Z'));
    await app.runner.tick();
    await waitFor(async () => (await smsTo('+79165550303')).length === 1, 20_000, 'the morning SMS');
    app.clock.freeze(new Date('2026-11-23T09:00:00Z'));
  });

  it('names the bad fields of an event', async () => {
    const bad = await app.api('POST', '/events/orders', { status: 'lost', order: {} });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['status', 'order.externalId']));
    const noTotal = await app.api('POST', '/events/orders', {
      status: 'created',
      order: { externalId: 'SHOP-1005' },
      customer: { email: 'x@example.com' },
    });
    expect(noTotal.status).toBe(400);
    expect(noTotal.body.issues).toEqual([expect.objectContaining({ path: 'order.total' })]);
  });

  it('changes nothing when it answers 4xx: a new order without a total creates no customer', async () => {
    const counts = async () => ({
      customers: await app.prisma.customer.count(),
      orders: await app.prisma.order.count(),
      consents: await app.prisma.consent.count(),
      events: await app.prisma.consentEvent.count(),
    });
    const before = await counts();
    const customer = {
      externalId: 'CRM-4XX',
      email: 'four.xx@example.com',
      firstName: 'Фёдор',
      consents: { email: { status: 'opted_in' } },
    };
    const noTotal = await app.api('POST', '/events/orders', { status: 'created', order: { externalId: 'SHOP-4XX-1' }, customer });
    expect(noTotal.status).toBe(400);
    expect(noTotal.body.issues).toEqual([{ path: 'order.total', message: 'give a total or items to sum' }]);
    const badMoney = await app.api('POST', '/events/orders', {
      status: 'created',
      order: { externalId: 'SHOP-4XX-2', total: 'много', currency: 'рублями' },
      customer,
    });
    expect(badMoney.status).toBe(400);
    expect(badMoney.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['order.currency', 'order.total']);
    expect(await counts()).toEqual(before);
    expect(await app.prisma.customer.count({ where: { externalId: 'CRM-4XX' } })).toBe(0);

    // An event for an existing order is checked as its update: a bad field changes nothing either.
    const first = await app.api('POST', '/events/orders', {
      status: 'created',
      order: { externalId: 'SHOP-4XX-3', total: 100 },
      customer: { externalId: 'CRM-4XX-3', email: 'four.xx3@example.com' },
    });
    expect(first.status).toBe(201);
    const afterFirst = await counts();
    const stranger = { externalId: 'CRM-4XX-4', email: 'four.xx4@example.com' };
    const badUpdate = await app.api('POST', '/events/orders', {
      status: 'paid',
      order: { externalId: 'SHOP-4XX-3', total: '-5' },
      customer: stranger,
    });
    expect(badUpdate.status).toBe(400);
    expect(badUpdate.body.issues.map((i: { path: string }) => i.path)).toEqual(['order.total']);
    expect(await counts()).toEqual(afterFirst);
    expect((await app.prisma.order.findFirstOrThrow({ where: { externalId: 'SHOP-4XX-3' } })).status).toBe('created');

    // control: the same event with a total is taken, and creates the customer
    const good = await app.api('POST', '/events/orders', { status: 'created', order: { externalId: 'SHOP-4XX-1', total: 990 }, customer });
    expect(good.status).toBe(201);
    expect(good.body.customerCreated).toBe(true);
  });
});

describe('POST /events', () => {
  it('fires an event automation once per idempotency key', async () => {
    const trigger = await app.api('POST', '/triggers', {
      name: 'Брошенная корзина',
      type: 'event',
      channels: ['email'],
      template: 'b2c-promo',
      options: { eventName: 'cart_abandoned' },
    });
    expect(trigger.status).toBe(201);
    const customerId = await makePerson(app.prisma, { name: 'Ева', email: 'eva@example.com', optedIn: ['email'] });
    const body = { name: 'cart_abandoned', customerId, properties: { cartTotal: 3100 }, idempotencyKey: 'cart-42' };
    const first = await app.api('POST', '/events', body);
    expect(first.status).toBe(201);
    expect(first.body.notifications).toEqual([expect.objectContaining({ fired: true, channel: 'email' })]);
    expect((await app.api('POST', '/events', body)).body.notifications).toEqual([expect.objectContaining({ fired: false })]);
    await waitFor(async () => (await outboxTo(app.prisma, 'eva@example.com')).length === 1, 20_000, 'the event email');
    expect(await app.prisma.customerEvent.count({ where: { customerId, name: 'cart_abandoned' } })).toBe(2);
  });
});
