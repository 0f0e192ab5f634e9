// Double opt-in through the capture outbox and the signed link, the customer timeline, and
// personal-data export and erasure.
import { startTestApp, type TestApp } from '../support/test-app';
import { api, sql, waitFor } from './customer-fixtures';

describe('consent, timeline and personal data', () => {
  let t: TestApp;
  let marketer: ReturnType<typeof api>;
  let admin: ReturnType<typeof api>;

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL: 'https://mail.shop.example', MAIL_FROM: 'news@shop.example', MAIL_FROM_NAME: 'Вектор' });
    marketer = api(t, await t.key('marketer'));
    admin = api(t, await t.key('admin'));
  });
  afterAll(async () => {
    await t.close();
  });

  /** The confirmation email the worker sent to `to`, and the path of its link. */
  async function confirmationTo(to: string, count = 1) {
    const list = await waitFor(
      async () => {
        const found = (await admin.get(`/outbox?to=${encodeURIComponent(to)}`)).body as { id: string }[];
        return found.length >= count ? found : null;
      },
      30_000,
      `${count} confirmation email(s) to ${to} in the outbox`,
    );
    const message = (await admin.get(`/outbox/${list[0].id}`)).body;
    const url = /https:\/\/mail\.shop\.example(\/consent\/confirm\/[A-Za-z0-9_.-]+)/.exec(message.text)!;
    return { message, path: url[1] };
  }

  it('sends the double opt-in email and confirms with the signed link, keeping IP and form as proof', async () => {
    const c = await marketer.post('/customers', { email: 'Anna@Example.com', firstName: 'Анна', locale: 'ru' });
    await marketer.post('/suppressions', { channel: 'email', address: 'anna@example.com', reason: 'unsubscribe' });
    const pending = await marketer.put(`/customers/${c.body.id}/consents/email`, {
      status: 'pending',
      source: 'landing/spring',
      proofIp: '203.0.113.7',
    });
    expect(pending.status).toBe(200);
    expect(pending.body).toMatchObject({ status: 'pending', source: 'landing/spring', proofIp: '203.0.113.7', confirmationQueued: true });

    const { message, path } = await confirmationTo('anna@example.com');
    expect(message).toMatchObject({ subject: 'Подтвердите подписку на рассылку Вектор', fromAddress: 'Вектор <news@shop.example>' });
    expect(message.html).toContain('Добро пожаловать, Анна!');

    const page = await fetch(`${t.url}${path}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    // Opening the link (a mail scanner does) changes nothing; the button does.
    expect((await marketer.get(`/customers/${c.body.id}/consents`)).body.consents[0].status).toBe('pending');

    const confirmed = await fetch(`${t.url}${path}`, { method: 'POST' });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('Подписка подтверждена');
    const consents = (await marketer.get(`/customers/${c.body.id}/consents`)).body;
    expect(consents.consents).toEqual([
      expect.objectContaining({ channel: 'email', status: 'opted_in', source: 'double opt-in', proofForm: 'confirmation link' }),
    ]);
    expect(consents.consents[0].proofIp).toMatch(/127\.0\.0\.1/);
    expect(consents.history.map((h: { status: string }) => h.status)).toEqual(['opted_in', 'pending']);
    // the fresh, proven opt-in lifts the old unsubscribe
    expect((await marketer.get(`/customers/${c.body.id}`)).body.suppressed.email).toBeNull();

    const again = await fetch(`${t.url}${path}`, { method: 'POST' });
    expect(await again.text()).toContain('уже была подтверждена');
  });

  it('refuses a tampered link, and a link sent to an address that has changed since', async () => {
    const c = await marketer.post('/customers', {
      email: 'oleg@example.com',
      consents: { email: { status: 'pending', source: 'checkout' } },
    });
    expect(c.status).toBe(201);
    const { path } = await confirmationTo('oleg@example.com');
    const [payload, signature] = path.split('/').pop()!.split('.');
    const forged = `${Buffer.from(
      Buffer.from(payload, 'base64url')
        .toString()
        .replace(/^\d+/, String(c.body.id + 1)),
    ).toString('base64url')}.${signature}`;
    expect((await fetch(`${t.url}/consent/confirm/${forged}`, { method: 'POST' })).status).toBe(404);
    await marketer.patch(`/customers/${c.body.id}`, { email: 'oleg.new@example.com' });
    const changed = await fetch(`${t.url}${path}`, { method: 'POST' });
    expect(changed.status).toBe(410);
    expect((await marketer.get(`/customers/${c.body.id}/consents`)).body.consents[0].status).toBe('pending');
  });

  it('refuses consent on a channel the customer has no address for, and SMS double opt-in', async () => {
    const c = await marketer.post('/customers', { email: 'nophone@example.com' });
    expect((await marketer.put(`/customers/${c.body.id}/consents/sms`, { status: 'opted_in' })).status).toBe(409);
    const withPhone = await marketer.post('/customers', { phone: '+79123000003' });
    const bad = await marketer.put(`/customers/${withPhone.body.id}/consents/sms`, { status: 'pending' });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0]).toEqual({ path: 'status', message: 'pending (double opt-in) is only available for email' });
    expect((await marketer.put(`/customers/${c.body.id}/consents/fax`, { status: 'opted_in' })).status).toBe(400);
  });

  it('shows messages, opens, clicks, bounces, complaints, replies, orders, consent changes and events in time order', async () => {
    const c = await marketer.post('/customers', { email: 'timeline@example.com' });
    const id = c.body.id;
    await marketer.put(`/customers/${id}/consents/email`, { status: 'opted_in', source: 'crm' });
    await sql(t, "UPDATE consent_events SET at = '2026-01-01 09:00' WHERE customer_id = $1", [id]);
    await marketer.post('/orders', { customerId: id, externalId: 'T-1', total: 10, orderedAt: '2026-01-02T09:00:00Z' });
    const [message] = await sql<{ id: string }>(
      t,
      "INSERT INTO messages (customer_id, channel, status, created_at, sent_at) VALUES ($1, 'email', 'sent', '2026-01-03 09:00', '2026-01-03 09:00') RETURNING id",
      [id],
    );
    await sql(
      t,
      "INSERT INTO tracking_events (type, message_id, customer_id, at) VALUES ('open', $1, $2, '2026-01-03 10:00'), ('click', $1, $2, '2026-01-03 10:01')",
      [message.id, id],
    );
    await sql(
      t,
      "INSERT INTO bounces (customer_id, hard, reason, at, message_id) VALUES ($1, false, 'mailboxfull', '2026-01-04 09:00', $2)",
      [id, message.id],
    );
    await sql(t, "INSERT INTO complaints (kind, customer_id, created_at) VALUES ('feedback_loop', $1, '2026-01-05 09:00')", [id]);
    await sql(
      t,
      "INSERT INTO inbound_messages (source, status, kind, raw, raw_size, customer_id, subject, received_at) VALUES ('smtp', 'applied', 'reply', 'x', 1, $1, 'Re: скидки', '2026-01-06 09:00')",
      [id],
    );
    await sql(
      t,
      "INSERT INTO customer_events (name, customer_id, properties, at) VALUES ('cart_abandoned', $1, '{\"sku\":\"S1\"}', '2026-01-07 09:00')",
      [id],
    );
    await marketer.put(`/customers/${id}/consents/email`, { status: 'opted_out', source: 'unsubscribe link' });

    const seen: { type: string; at: string }[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: { type: string; at: string }[]; next: string | null } } = await marketer.get(
        `/customers/${id}/timeline?limit=3${cursor ? `&before=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items);
      cursor = page.body.next;
    } while (cursor);
    expect(seen.map((e) => e.type)).toEqual([
      'consent',
      'event',
      'reply',
      'complaint',
      'bounce',
      'click',
      'open',
      'message',
      'order',
      'consent',
    ]);
    expect(seen.slice(1, 9).map((e) => e.at)).toEqual([
      '2026-01-07T09:00:00.000Z',
      '2026-01-06T09:00:00.000Z',
      '2026-01-05T09:00:00.000Z',
      '2026-01-04T09:00:00.000Z',
      '2026-01-03T10:01:00.000Z',
      '2026-01-03T10:00:00.000Z',
      '2026-01-03T09:00:00.000Z',
      '2026-01-02T09:00:00.000Z',
    ]);
    expect((await marketer.get(`/customers/${id}/timeline?limit=1`)).body.items[0]).toMatchObject({
      type: 'consent',
      status: 'opted_out',
      source: 'unsubscribe link',
    });
    expect((await marketer.get(`/customers/${id}/timeline?before=garbage`)).status).toBe(400);
  });

  it('exports everything about a customer, then erases it: anonymised, aggregates kept, addresses suppressed by hash', async () => {
    const c = await marketer.post('/customers', {
      email: 'erase.me@example.com',
      phone: '+79123000004',
      firstName: 'Пётр',
      lastName: 'Стиранов',
      birthday: '1980-01-01',
      consents: { email: { status: 'opted_in', source: 'checkout', proofIp: '198.51.100.4' } },
    });
    const id = c.body.id;
    await marketer.post('/orders', { customerId: id, externalId: 'E-1', total: 300, trackingNumber: 'RA123' });
    await marketer.post('/suppressions', { channel: 'sms', address: '+79123000004', reason: 'hard_bounce' });

    const exported = await marketer.get(`/customers/${id}/export`);
    expect(exported.status).toBe(200);
    expect(exported.body.customer).toMatchObject({ email: 'erase.me@example.com', lastName: 'Стиранов' });
    expect(exported.body.orders).toEqual([expect.objectContaining({ externalId: 'E-1', trackingNumber: 'RA123' })]);
    expect(exported.body.consents[0]).toMatchObject({ status: 'opted_in', proofIp: '198.51.100.4' });
    expect(exported.body.suppressions.map((s: { reason: string }) => s.reason)).toEqual(['hard_bounce']);

    const erased = await admin.post(`/customers/${id}/erase`);
    expect(erased.status).toBe(200);
    expect(erased.body).toEqual({ id, erased: true, suppressed: ['email', 'sms'] });
    expect((await marketer.get(`/customers/${id}`)).status).toBe(404);
    expect((await marketer.get(`/customers/${id}/export`)).status).toBe(404);
    expect((await admin.post(`/customers/${id}/erase`)).status).toBe(409);

    const [row] = await sql(
      t,
      'SELECT email, phone, first_name, last_name, birthday, order_count, order_sum::text, erased_at IS NOT NULL AS erased FROM customers WHERE id = $1',
      [id],
    );
    expect(row).toEqual({
      email: null,
      phone: null,
      first_name: null,
      last_name: null,
      birthday: null,
      order_count: 1,
      order_sum: '300.00',
      erased: true,
    });
    expect(await sql(t, 'SELECT tracking_number, total::text FROM orders WHERE customer_id = $1', [id])).toEqual([
      { tracking_number: null, total: '300.00' },
    ]);
    expect(await sql(t, 'SELECT count(*)::int AS n FROM consents WHERE customer_id = $1', [id])).toEqual([{ n: 0 }]);
    const kept = await sql(
      t,
      "SELECT channel, reason, address FROM suppressions WHERE customer_id = $1 OR address_hash = encode(sha256(convert_to($2, 'UTF8')), 'hex') ORDER BY channel",
      [id, '+79123000004'],
    );
    expect(kept).toEqual([
      { channel: 'email', reason: 'erased', address: null },
      { channel: 'sms', reason: 'hard_bounce', address: null },
    ]);
    expect((await marketer.get('/suppressions/check?channel=email&address=Erase.Me@example.com')).body).toMatchObject({
      suppressed: true,
      reason: 'erased',
    });
    const lift = await admin.get('/suppressions?channel=email&reason=erased');
    expect((await admin.del(`/suppressions/${lift.body.items[0].id}`)).status).toBe(409);
  });
});
