// Birthday greetings with a frozen clock: each customer is greeted once, at the trigger's
// local hour in their own time zone; 29 February birthdays on 28 February in common years.
import { waitFor } from '../support/smtp-sink';
import { apiAs, firstTo, makePerson, outboxTo, settledMessages, startTriggerApp, type TriggerTestApp } from './trigger-fixtures';

let app: TriggerTestApp;
beforeAll(async () => (app = await startTriggerApp()));
afterAll(async () => app?.close());

async function firedFor(triggerId: number) {
  const rows = await app.prisma.triggerFiring.findMany({
    where: { triggerId },
    orderBy: { customerId: 'asc' },
    select: { customerId: true, occurrenceKey: true, channel: true, reason: true, messageId: true },
  });
  return rows;
}

describe('birthday trigger', () => {
  it('greets Vladivostok at its 09:00 and Moscow at its own, each customer once', async () => {
    const vlad = await makePerson(app.prisma, {
      name: 'Влад',
      timeZone: 'Asia/Vladivostok',
      birthday: '1985-11-23',
      phone: '+79241234567',
      email: 'vlad@example.com',
      optedIn: ['sms', 'email'],
    });
    const msk = await makePerson(app.prisma, {
      name: 'Мария',
      timeZone: 'Europe/Moscow',
      birthday: '1990-11-23',
      email: 'maria@example.com',
      optedIn: ['email'],
    });
    const mskNoConsent = await makePerson(app.prisma, {
      name: 'Нина',
      timeZone: 'Europe/Moscow',
      birthday: '1991-11-23',
      email: 'nina@example.com',
    });
    const mskTomorrow = await makePerson(app.prisma, {
      name: 'Олег',
      timeZone: 'Europe/Moscow',
      birthday: '1980-11-24',
      email: 'oleg@example.com',
      optedIn: ['email'],
    });
    const vladYesterday = await makePerson(app.prisma, {
      name: 'Пётр',
      timeZone: 'Asia/Vladivostok',
      birthday: '1970-11-22',
      email: 'petr@example.com',
      optedIn: ['email'],
    });

    const created = await app.api('POST', '/triggers', {
      name: 'С днём рождения',
      type: 'birthday',
      channels: ['sms', 'email'],
      template: 'birthday',
      options: { localHour: 9, promoCode: 'HB-2026', discountPercent: 15 },
    });
    expect(created.status).toBe(201);
    const triggerId = created.body.id as number;
    expect(created.body).toMatchObject({
      type: 'birthday',
      channels: ['sms', 'email'],
      template: 'birthday',
      options: { localHour: 9, daysBefore: 0, promoCode: 'HB-2026' },
    });

    // 23:00 UTC on the 22nd: 09:00 on the 23rd in Vladivostok, 02:00 in Moscow.
    app.clock.freeze(new Date('2026-11-22T23:00:00Z'));
    await app.runner.tick();
    expect(await firedFor(triggerId)).toEqual([expect.objectContaining({ customerId: vlad, occurrenceKey: '2026-11-23', channel: 'sms' })]);
    const sms = await firstTo(app.prisma, '+79241234567', 'the Vladivostok SMS');
    expect(sms.channel).toBe('sms');
    expect(sms.text).toContain('Влад');
    expect(sms.text).toContain('HB-2026');
    expect(sms.text).toContain('15%');

    // 06:00 UTC: 09:00 in Moscow; Vladivostok (16:00) was done today already.
    app.clock.freeze(new Date('2026-11-23T06:00:00Z'));
    await app.runner.tick();
    const fired = await firedFor(triggerId);
    expect(fired.map((f) => [f.customerId, f.channel, f.reason])).toEqual([
      [vlad, 'sms', null],
      [msk, 'email', null],
      [mskNoConsent, null, 'no reachable channel'],
    ]);
    await waitFor(async () => (await outboxTo(app.prisma, 'maria@example.com')).length === 1, 20_000, 'the Moscow email');
    const [mail] = await outboxTo(app.prisma, 'maria@example.com');
    expect(mail.subject).toBeTruthy();
    expect(mail.text).toContain('HB-2026');

    // A second run the same day fires none.
    const again = await app.runner.tick();
    expect(again.birthday).toBe(0);
    app.clock.freeze(new Date('2026-11-23T12:00:00Z'));
    expect((await app.runner.tick()).birthday).toBe(0);
    expect(await firedFor(triggerId)).toHaveLength(3);
    // Two messages in all (Vladivostok's SMS, Moscow's email), both sent: nothing else to come.
    const messages = await settledMessages(app.prisma, [vlad, msk, mskNoConsent, mskTomorrow, vladYesterday], 'the birthday greetings');
    expect(messages.map((m) => [m.customerId, m.channel, m.status])).toEqual([
      [vlad, 'sms', 'sent'],
      [msk, 'email', 'sent'],
    ]);
    expect(await outboxTo(app.prisma, '+79241234567')).toHaveLength(1);
    expect(await outboxTo(app.prisma, 'maria@example.com')).toHaveLength(1);
    for (const address of ['vlad@example.com', 'nina@example.com', 'oleg@example.com', 'petr@example.com'])
      expect(await outboxTo(app.prisma, address)).toHaveLength(0);
    expect([mskTomorrow, vladYesterday].some((id) => fired.some((f) => f.customerId === id))).toBe(false);

    await app.api('PATCH', `/triggers/${triggerId}`, { active: false });
  });

  it('greets a 29 February birthday on 28 February of a common year, once', async () => {
    const leap = await makePerson(app.prisma, {
      name: 'Лея',
      timeZone: 'Europe/Moscow',
      birthday: '2000-02-29',
      email: 'leap@example.com',
      optedIn: ['email'],
    });
    const created = await app.api('POST', '/triggers', {
      name: 'ДР',
      type: 'birthday',
      channels: ['email'],
      template: 'birthday',
      options: { localHour: 10 },
    });
    const triggerId = created.body.id as number;

    app.clock.freeze(new Date('2027-02-27T08:00:00Z'));
    expect((await app.runner.tick()).birthday).toBe(0);
    app.clock.freeze(new Date('2027-02-28T07:00:00Z')); // 10:00 Moscow
    await app.runner.tick();
    app.clock.freeze(new Date('2027-03-01T07:00:00Z'));
    await app.runner.tick();
    expect(await firedFor(triggerId)).toEqual([
      expect.objectContaining({ customerId: leap, occurrenceKey: '2027-02-28', channel: 'email' }),
    ]);
    await waitFor(async () => (await outboxTo(app.prisma, 'leap@example.com')).length === 1, 20_000, 'the 29 February greeting');
  });

  it('"N days before" greets ahead of the birthday with the promo code, keyed by the birthday itself', async () => {
    const soon = await makePerson(app.prisma, {
      name: 'Соня',
      timeZone: 'Asia/Yekaterinburg',
      birthday: '1995-12-24',
      phone: '+79221234567',
      optedIn: ['sms'],
    });
    const created = await app.api('POST', '/triggers', {
      name: 'Скоро ДР',
      type: 'birthday',
      channels: ['sms'],
      template: 'birthday',
      options: { localHour: 12, daysBefore: 3, promoCode: 'SOON-3', discountPercent: 20, promoValidDays: 10 },
    });
    const triggerId = created.body.id as number;
    app.clock.freeze(new Date('2026-12-21T07:00:00Z')); // 12:00 in Yekaterinburg, three days before
    await app.runner.tick();
    await app.runner.tick();
    expect(await firedFor(triggerId)).toEqual([expect.objectContaining({ customerId: soon, occurrenceKey: '2026-12-24', channel: 'sms' })]);
    const sms = await firstTo(app.prisma, '+79221234567', 'the early greeting');
    expect(sms.text).toContain('SOON-3');
    expect(sms.text).toContain('20%');
    expect(sms.text).toContain('3 января'); // valid 10 days after the birthday
    await app.api('DELETE', `/triggers/${triggerId}`);
  });

  it('lists, changes and deletes triggers with the roles of other routes', async () => {
    const viewer = apiAs(app.t, await app.t.key('viewer'));
    const created = await app.api('POST', '/triggers', {
      name: 'Отправлен',
      type: 'order_status',
      channels: ['email'],
      template: 'order-shipped',
      options: { orderStatus: 'shipped' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    expect(
      (await viewer('POST', '/triggers', { name: 'x', type: 'event', template: 'b2c-promo', options: { eventName: 'x' } })).status,
    ).toBe(403);
    expect((await viewer('GET', `/triggers/${id}`)).body).toMatchObject({
      id,
      type: 'order_status',
      template: 'order-shipped',
      active: true,
      delayMinutes: 0,
    });
    expect((await viewer('GET', '/triggers?type=order_status')).body.items.map((i: { id: number }) => i.id)).toContain(id);

    const changed = await app.api('PATCH', `/triggers/${id}`, { channels: ['sms', 'email'], delayMinutes: 15, active: false });
    expect(changed.body).toMatchObject({
      channels: ['sms', 'email'],
      delayMinutes: 15,
      active: false,
      options: { orderStatus: 'shipped' },
    });
    const badOptions = await app.api('PATCH', `/triggers/${id}`, { options: { orderStatus: 'lost', localHour: 9 } });
    expect(badOptions.status).toBe(400);
    expect(badOptions.body.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['options.orderStatus', 'options']));
    expect((await viewer('GET', `/triggers/${id}/firings`)).body).toEqual({ items: [], next: null });

    expect((await app.api('DELETE', `/triggers/${id}`)).status).toBe(204);
    expect((await app.api('GET', `/triggers/${id}`)).status).toBe(404);
  });

  it('refuses a trigger whose template is missing for a channel, naming the field', async () => {
    const bad = await app.api('POST', '/triggers', {
      name: 'x',
      type: 'birthday',
      channels: ['sms'],
      template: 'b2b-monthly',
      options: { localHour: 25 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'options.localHour' })]));
    const noTemplate = await app.api('POST', '/triggers', { name: 'x', type: 'birthday', channels: ['sms'], template: 'b2b-monthly' });
    expect(noTemplate.status).toBe(400);
    expect(noTemplate.body.issues).toEqual([
      { path: 'template', message: 'no SMS template with key "b2b-monthly" (every channel needs one)' },
    ]);
  });
});
