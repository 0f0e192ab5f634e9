// Welcome series, win-back and re-engagement with a frozen clock: each fires once per
// (trigger, customer, occurrence), at the right moment, for the right customers.
import { waitFor } from '../support/smtp-sink';
import { makePerson, outboxTo, startTriggerApp, type TriggerTestApp } from './trigger-fixtures';

const DAY = 86_400_000;
let app: TriggerTestApp;
beforeAll(async () => (app = await startTriggerApp()));
afterAll(async () => app?.close());

const keysOf = async (triggerId: number, customerId: number) =>
  (await app.prisma.triggerFiring.findMany({ where: { triggerId, customerId }, orderBy: { id: 'asc' } })).map((f) => f.occurrenceKey);

describe('welcome series', () => {
  it('greets customers created after the trigger at once, and sends the second step N days later, once', async () => {
    const t0 = new Date('2026-11-23T09:00:00Z');
    app.clock.freeze(t0);
    const before = await makePerson(app.prisma, { name: 'Старый', email: 'old@example.com', optedIn: ['email'] });
    const trigger = await app.api('POST', '/triggers', {
      name: 'Welcome',
      type: 'welcome',
      channels: ['email'],
      template: 'welcome',
      options: { secondTemplate: 'welcome-followup', secondStepDays: 3, data: { promoCode: 'HELLO10' } },
    });
    expect(trigger.status).toBe(201);
    const id = trigger.body.id as number;
    const fresh = await makePerson(app.prisma, { name: 'Новый', email: 'new@example.com', optedIn: ['email'] });
    const lead = await makePerson(app.prisma, { name: 'Лид', email: 'lead@example.com' });
    await app.prisma.consent.create({ data: { customerId: lead, channel: 'email', status: 'pending', source: 'landing' } });

    await app.runner.tick();
    expect(await keysOf(id, fresh)).toEqual(['welcome:1']);
    expect(await keysOf(id, before)).toEqual([]);
    const leadFiring = () => app.prisma.triggerFiring.findFirstOrThrow({ where: { triggerId: id, customerId: lead } });
    expect(await leadFiring()).toMatchObject({ occurrenceKey: 'welcome:1', messageId: null, reason: 'no reachable channel' });
    // the lead confirms the double opt-in: welcomed on the next tick
    await app.prisma.consent.update({
      where: { customerId_channel: { customerId: lead, channel: 'email' } },
      data: { status: 'opted_in', at: new Date() },
    });
    await app.runner.tick();
    expect(await leadFiring()).toMatchObject({ occurrenceKey: 'welcome:1', channel: 'email', reason: null });
    await waitFor(async () => (await outboxTo(app.prisma, 'lead@example.com')).length === 1, 20_000, 'the lead’s welcome email');
    const first = await waitFor(async () => (await outboxTo(app.prisma, 'new@example.com'))[0], 20_000, 'the welcome email');
    expect(first.subject).toContain('добро пожаловать');
    expect(first.text).toContain('HELLO10');

    app.clock.freeze(new Date(t0.getTime() + 2 * DAY));
    await app.runner.tick();
    expect(await keysOf(id, fresh)).toEqual(['welcome:1']);

    app.clock.freeze(new Date(t0.getTime() + 3 * DAY + 60_000));
    await app.runner.tick();
    await app.runner.tick();
    expect(await keysOf(id, fresh)).toEqual(['welcome:1', 'welcome:2']);
    await waitFor(async () => (await outboxTo(app.prisma, 'new@example.com')).length === 2, 20_000, 'the second welcome email');
    expect((await outboxTo(app.prisma, 'new@example.com'))[1].subject).toContain('подобрали');
    expect(await outboxTo(app.prisma, 'old@example.com')).toHaveLength(0);
    await app.api('PATCH', `/triggers/${id}`, { active: false });
  });
});

describe('win-back and re-engagement', () => {
  it('win-back: once for a customer whose last order turned N days old, after the daily hour', async () => {
    const now = new Date('2026-11-23T08:00:00Z'); // 11:00 in Moscow
    app.clock.freeze(new Date('2026-11-23T06:00:00Z')); // 09:00: before the scan hour
    const lapsed = await makePerson(app.prisma, { name: 'Ушедший', email: 'lapsed@example.com', optedIn: ['email'] });
    const recent = await makePerson(app.prisma, { name: 'Свежий', email: 'recent@example.com', optedIn: ['email'] });
    await app.prisma.customer.update({ where: { id: lapsed }, data: { lastOrderAt: new Date(now.getTime() - 91 * DAY), orderCount: 1 } });
    await app.prisma.customer.update({ where: { id: recent }, data: { lastOrderAt: new Date(now.getTime() - 30 * DAY), orderCount: 2 } });
    const trigger = await app.api('POST', '/triggers', {
      name: 'Win-back',
      type: 'win_back',
      channels: ['email'],
      template: 'win-back',
      options: { days: 90, data: { discountPercent: 10, promoCode: 'BACK10' } },
    });
    const id = trigger.body.id as number;

    expect((await app.runner.tick()).winBack).toBe(0);
    app.clock.freeze(now);
    await app.runner.tick();
    expect(await keysOf(id, lapsed)).toEqual([expect.stringMatching(/^last-order:/)]);
    expect(await keysOf(id, recent)).toEqual([]);
    expect((await app.runner.tick()).winBack).toBe(0);
    app.clock.freeze(new Date(now.getTime() + DAY));
    expect((await app.runner.tick()).winBack).toBe(0);
    await waitFor(async () => (await outboxTo(app.prisma, 'lapsed@example.com')).length === 1, 20_000, 'the win-back email');
    await app.api('PATCH', `/triggers/${id}`, { active: false });
  });

  it('re-engagement: customers mailed in the last N days who opened nothing', async () => {
    const now = new Date('2026-12-10T09:00:00Z');
    app.clock.freeze(now);
    const template = await app.prisma.templateVersion.findFirstOrThrow({ where: { template: { key: 'b2c-promo', channel: 'email' } } });
    const people: Record<string, number> = {};
    for (const name of ['silent', 'reader', 'unmailed']) {
      people[name] = await makePerson(app.prisma, { name, email: `${name}@example.com`, optedIn: ['email'] });
      await app.prisma.customer.update({ where: { id: people[name] }, data: { registeredAt: new Date(now.getTime() - 100 * DAY) } });
    }
    for (const name of ['silent', 'reader']) {
      const sentAt = new Date(now.getTime() - 10 * DAY);
      const message = await app.prisma.message.create({
        data: { customerId: people[name], channel: 'email', status: 'sent', templateVersionId: template.id, createdAt: sentAt, sentAt },
      });
      if (name === 'reader')
        await app.prisma.trackingEvent.create({
          data: { type: 'open', messageId: message.id, customerId: people[name], at: new Date(now.getTime() - 5 * DAY) },
        });
    }
    const trigger = await app.api('POST', '/triggers', {
      name: 'Re-engage',
      type: 're_engagement',
      channels: ['email'],
      template: 're-engagement',
      options: { days: 30 },
    });
    const id = trigger.body.id as number;
    await app.runner.tick();
    expect(await keysOf(id, people.silent)).toEqual([expect.stringMatching(/^period:30:/)]);
    expect((await app.runner.tick()).reEngagement).toBe(0);
    expect(await keysOf(id, people.reader)).toEqual([]);
    expect(await keysOf(id, people.unmailed)).toEqual([]);
    const mail = await waitFor(async () => (await outboxTo(app.prisma, 'silent@example.com'))[0], 20_000, 'the re-engagement email');
    expect(mail.text).toContain('30 дней');
  });
});
