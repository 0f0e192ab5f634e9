// Local-time delivery and sending windows, end to end with the send clock driven by the test
// (SendClock): a "10:00 local" campaign reaches Kaliningrad, Moscow and Vladivostok each at
// their own 10:00, once; a sending window holds an email until it opens in the recipient's zone;
// bad zones, times and windows are refused naming the field. No sleeps: each step moves the
// clock and waits for the message it makes due.
import { CampaignsService } from '../../src/campaigns/campaigns.service';
import { SendClock } from '../../src/common/clock';
import { PrismaService } from '../../src/database/prisma.service';
import { keyedApi, type KeyedApi } from '../support/api-call';
import { startSmtpSink, waitFor, type SmtpSink } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';
import { makeCustomers, segmentByTag, templateId, type FixtureCustomer } from './campaign-fixtures';

let t: TestApp;
let api: KeyedApi;
let sink: SmtpSink;
let prisma: PrismaService;
let clock: SendClock;
let campaigns: CampaignsService;

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await startTestApp({ SMTP_URL: sink.url, MAIL_FROM: 'news@shop.example', DEFAULT_TIME_ZONE: 'Europe/Moscow' });
  prisma = t.app.get(PrismaService);
  clock = t.app.get(SendClock);
  campaigns = t.app.get(CampaignsService);
  api = keyedApi(t, await t.key('marketer'));
});

afterAll(async () => {
  clock?.freeze(null);
  await t?.close();
  await sink?.close();
});

/** Customers tagged `tag`, one per zone, in that order. */
async function customersIn(tag: string, zones: string[]): Promise<FixtureCustomer[]> {
  const made = await makeCustomers(prisma, tag, zones.length);
  for (const [i, zone] of zones.entries()) await prisma.customer.update({ where: { id: made[i].id }, data: { timeZone: zone } });
  return made;
}

async function createCampaign(tag: string, fields: Record<string, unknown>): Promise<number> {
  const created = await api('POST', '/campaigns', {
    name: `to ${tag}`,
    templateId: await templateId(prisma, 'b2c-promo'),
    segmentId: await segmentByTag(prisma, tag),
    ...fields,
  });
  expect(created.status).toBe(201);
  return created.body.id as number;
}

/** The campaign's messages by customer id. */
async function messagesOf(campaignId: number) {
  const rows = await prisma.message.findMany({
    where: { campaignId },
    select: { id: true, customerId: true, status: true, statusReason: true, scheduledFor: true },
  });
  return new Map(rows.map((row) => [row.customerId as number, row]));
}

function receivedBy(address: string) {
  return sink.messages.filter((m) => m.to.includes(address));
}

async function waitForReceipt(address: string, what: string) {
  return waitFor(() => (receivedBy(address).length ? receivedBy(address) : null), 30_000, what);
}

async function runOf(campaignId: number) {
  const runs = (await api('GET', `/campaigns/${campaignId}/runs`)).body as Array<{ status: string; messages: Record<string, number> }>;
  return runs[0];
}

describe('a "10:00 local" campaign', () => {
  it('reaches Kaliningrad, Moscow and Vladivostok each at their own 10:00, once', async () => {
    const [kaliningrad, moscow, vladivostok] = await customersIn('local-ten', ['Europe/Kaliningrad', 'Europe/Moscow', 'Asia/Vladivostok']);
    // The run's date is the occurrence's date in Moscow: 10 December 2026.
    const campaignId = await createCampaign('local-ten', {
      schedule: { kind: 'at', at: '2026-12-10T07:00:00Z', timeZone: 'Europe/Moscow' },
      localTime: '10:00',
    });
    expect((await api('GET', `/campaigns/${campaignId}`)).body).toMatchObject({ localTime: '10:00', timeZone: 'Europe/Moscow' });

    // The run starts when 10:00 on the 10th comes in UTC+14 (20:00 UTC on the 9th), not before.
    clock.freeze(new Date('2026-12-09T19:59:00Z'));
    await api('POST', `/campaigns/${campaignId}/schedule`);
    expect(await campaigns.tick(clock.now())).toMatchObject({ started: [] });
    clock.freeze(new Date('2026-12-09T20:00:00Z'));
    expect((await campaigns.tick(clock.now())).started).toHaveLength(1);

    // Frozen held, each until its own 10:00 converted to UTC.
    await waitFor(async () => (await runOf(campaignId))?.status === 'sending', 30_000, 'the run frozen and sending');
    const held = await messagesOf(campaignId);
    expect([kaliningrad, moscow, vladivostok].map((c) => [held.get(c.id)?.status, held.get(c.id)?.scheduledFor?.toISOString()])).toEqual([
      ['held', '2026-12-10T08:00:00.000Z'],
      ['held', '2026-12-10T07:00:00.000Z'],
      ['held', '2026-12-10T00:00:00.000Z'],
    ]);

    // Each step moves the clock to one recipient's 10:00: that one receives it, the others stay held.
    const steps: Array<[string, FixtureCustomer, FixtureCustomer[]]> = [
      ['2026-12-10T00:00:00Z', vladivostok, [moscow, kaliningrad]],
      ['2026-12-10T07:00:00Z', moscow, [kaliningrad]],
      ['2026-12-10T08:00:00Z', kaliningrad, []],
    ];
    for (const [at, due, later] of steps) {
      expect(receivedBy(due.email)).toHaveLength(0);
      clock.freeze(new Date(at));
      await waitForReceipt(due.email, `the message to ${due.email} at ${at}`);
      const now = await messagesOf(campaignId);
      for (const customer of later) expect(now.get(customer.id)?.status).toBe('held');
      if (later.length) expect((await runOf(campaignId)).status).toBe('sending');
    }

    const run = await waitFor(
      async () => {
        const found = await runOf(campaignId);
        return found?.status === 'completed' ? found : null;
      },
      30_000,
      'the run completed after the last zone',
    );
    expect(run.messages).toEqual({ sent: 3 });
    for (const customer of [kaliningrad, moscow, vladivostok]) expect(receivedBy(customer.email)).toHaveLength(1);
  });

  it('sends at once where the time passed under an hour ago, and the next day where it passed earlier', async () => {
    const [kaliningrad, moscow, vladivostok, nowhere] = await customersIn('local-late', [
      'Europe/Kaliningrad',
      'Europe/Moscow',
      'Asia/Vladivostok',
      'Mars/Olympus', // an invalid stored zone: the default (Moscow)
    ]);
    // 10:30 in Moscow: Vladivostok's 10:00 was 10½ hours ago, Moscow's 30 minutes ago, Kaliningrad's is to come.
    clock.freeze(new Date('2026-12-10T07:30:00Z'));
    const campaignId = await createCampaign('local-late', { localTime: '10:00' });
    await api('POST', `/campaigns/${campaignId}/schedule`);
    await waitForReceipt(moscow.email, 'the Moscow message at once');
    await waitForReceipt(nowhere.email, 'the message of the customer with an invalid zone, as Moscow');
    const rows = await messagesOf(campaignId);
    expect([kaliningrad, vladivostok].map((c) => [rows.get(c.id)?.status, rows.get(c.id)?.scheduledFor?.toISOString()])).toEqual([
      ['held', '2026-12-10T08:00:00.000Z'],
      ['held', '2026-12-11T00:00:00.000Z'],
    ]);
    expect(receivedBy(kaliningrad.email)).toHaveLength(0);
    expect(receivedBy(vladivostok.email)).toHaveLength(0);
    await api('POST', `/campaigns/${campaignId}/cancel`);
  });
});

describe('a sending window', () => {
  it('holds an email outside weekdays 09:00–19:00 in the recipient’s zone and sends it when the window opens', async () => {
    const [anna] = await customersIn('window', ['Europe/Moscow']);
    // Saturday 12 December 2026, 12:00 in Moscow.
    clock.freeze(new Date('2026-12-12T09:00:00Z'));
    const campaignId = await createCampaign('window', { sendingWindow: { days: 'weekdays', from: '09:00', to: '19:00' } });
    expect((await api('GET', `/campaigns/${campaignId}`)).body.sendingWindow).toEqual({
      days: [1, 2, 3, 4, 5],
      from: '09:00',
      to: '19:00',
    });
    await api('POST', `/campaigns/${campaignId}/schedule`);

    const held = await waitFor(
      async () => (await messagesOf(campaignId)).get(anna.id)?.scheduledFor ?? null,
      30_000,
      'the weekend email held for the window',
    );
    const row = (await messagesOf(campaignId)).get(anna.id);
    expect(row).toMatchObject({ status: 'held', statusReason: 'outside the sending window' });
    expect(held.toISOString()).toBe('2026-12-14T06:00:00.000Z'); // Monday 09:00 in Moscow
    expect(receivedBy(anna.email)).toHaveLength(0);
    expect((await runOf(campaignId)).status).toBe('sending');

    clock.freeze(new Date('2026-12-14T06:00:00Z'));
    await waitForReceipt(anna.email, 'the email when the window opened');
    await waitFor(async () => (await runOf(campaignId))?.status === 'completed', 30_000, 'the run completed');
    expect(receivedBy(anna.email)).toHaveLength(1);
  });
});

describe('bad input', () => {
  it.each<[string, string, Record<string, unknown>]>([
    [
      'an unknown campaign time zone',
      'schedule.timeZone',
      { schedule: { kind: 'at', at: '2026-12-10T07:00:00Z', timeZone: 'Europe/Atlantis' } },
    ],
    [
      "an offset instead of a recurring schedule's zone name",
      'schedule.timeZone',
      { schedule: { kind: 'recurring', cron: '0 10 * * 1', timeZone: '+03:00' } },
    ],
    ['a local time past 23:59', 'localTime', { localTime: '24:00' }],
    ['a local time without minutes', 'localTime', { localTime: '10' }],
    ['a window opening at "9am"', 'sendingWindow.from', { sendingWindow: { from: '9am', to: '19:00' } }],
    ['a window closing before it opens', 'sendingWindow.to', { sendingWindow: { from: '19:00', to: '09:00' } }],
    ['a window on day 8', 'sendingWindow.days[1]', { sendingWindow: { days: [1, 8], from: '09:00', to: '19:00' } }],
    ['a window on "weekends"', 'sendingWindow.days', { sendingWindow: { days: 'weekends', from: '09:00', to: '19:00' } }],
  ])('refuses %s with a 400 naming %s', async (_why, path, fields) => {
    const response = await api('POST', '/campaigns', {
      name: 'bad',
      templateId: await templateId(prisma, 'b2c-promo'),
      segmentId: await segmentByTag(prisma, 'bad-input'),
      ...fields,
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('validation_failed');
    expect(response.body.issues.map((issue: { path: string }) => issue.path)).toEqual([path]);
  });

  it('refuses an A/B test with a local time, naming localTime', async () => {
    const promo = await templateId(prisma, 'b2c-promo');
    const response = await api('POST', '/campaigns', {
      name: 'ab local',
      templateId: promo,
      segmentId: await segmentByTag(prisma, 'bad-ab'),
      localTime: '10:00',
      abTest: {
        variants: [
          { key: 'A', templateId: promo },
          { key: 'B', templateId: await templateId(prisma, 'b2b-monthly') },
        ],
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.issues).toEqual([{ path: 'localTime', message: expect.stringContaining('A/B test') }]);
  });
});
