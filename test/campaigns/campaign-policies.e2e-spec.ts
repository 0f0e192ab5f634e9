// Send-time policies of a campaign, end to end (worker, real SMTP sink, capture outbox for SMS):
// the weekly frequency cap, bulk-SMS quiet hours in each recipient's zone, an A/B test whose
// winner goes to the held rest, and the commit-time outcomes: a run paused or cancelled, or an
// address suppressed, after the message was rendered and before its final dot.
import { DateTime } from 'luxon';
import { simpleParser } from 'mailparser';
import { PrismaService } from '../../src/database/prisma.service';
import { MessagesRepository } from '../../src/delivery/messages.repository';
import { JobQueue } from '../../src/queue/job-queue';
import { QueueName } from '../../src/queue/job-catalogue';
import { keyedApi, type KeyedApi } from '../support/api-call';
import { startSmtpSink, waitFor, type SmtpSink } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';
import { makeCustomers, receivedAt, segmentByTag, suppress, templateId } from './campaign-fixtures';

let t: TestApp;
let api: KeyedApi;
let sink: SmtpSink;
let prisma: PrismaService;
let marketer: string;

async function runsOf(campaignId: number) {
  return (await api('GET', `/campaigns/${campaignId}/runs`)).body as Array<{
    id: number;
    status: string;
    abWinner?: string | null;
    messages: Record<string, number>;
  }>;
}

async function waitForRun(campaignId: number, status: string, timeoutMs = 30_000) {
  return waitFor(
    async () => (await runsOf(campaignId)).find((run) => run.status === status),
    timeoutMs,
    `a ${status} run of campaign ${campaignId}`,
  );
}

/** Creates and schedules an email campaign to the customers tagged `tag`. */
async function campaignTo(tag: string, extra: Record<string, unknown> = {}) {
  const created = await api('POST', '/campaigns', {
    name: `to ${tag}`,
    templateId: await templateId(prisma, 'b2c-promo'),
    segmentId: await segmentByTag(prisma, tag),
    ...extra,
  });
  expect(created.status).toBe(201);
  return created.body.id as number;
}

/** Messages of a campaign that reached the sink, by message id. */
function receivedFor(campaignId: number) {
  return receivedAt(prisma, sink, { campaignId });
}

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await startTestApp({
    SMTP_URL: sink.url,
    MAIL_FROM: 'news@shop.example',
    FREQUENCY_CAP_PER_WEEK: '2',
    SMTP_MAX_CONNECTIONS: '2',
    SMS_QUIET_HOURS: '21:00-09:00',
  });
  prisma = t.app.get(PrismaService);
  marketer = await t.key('marketer');
  api = keyedApi(t, marketer);
});

afterAll(async () => {
  await t?.close();
  await sink?.close();
});

describe('the weekly frequency cap (FREQUENCY_CAP_PER_WEEK=2)', () => {
  it('skips a customer who had 2 bulk messages in the last 7 days, naming the cap; older and transactional ones do not count', async () => {
    const [full, old, transactional, fresh] = await makeCustomers(prisma, 'capped', 4);
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
    const earlier = (customerId: number, lane: 'bulk' | 'transactional', createdAt: Date) =>
      prisma.message.create({ data: { channel: 'email', customerId, lane, status: 'sent', sentAt: createdAt, createdAt } });
    await earlier(full.id, 'bulk', daysAgo(1));
    await earlier(full.id, 'bulk', daysAgo(6));
    await earlier(old.id, 'bulk', daysAgo(1));
    await earlier(old.id, 'bulk', daysAgo(8)); // outside the week
    for (let i = 0; i < 3; i++) await earlier(transactional.id, 'transactional', daysAgo(1));

    const campaignId = await campaignTo('capped');
    await api('POST', `/campaigns/${campaignId}/schedule`);
    const run = await waitForRun(campaignId, 'completed');
    expect(run.messages).toEqual({ sent: 3, skipped: 1 });
    const rows = await prisma.message.findMany({
      where: { campaignId },
      orderBy: { customerId: 'asc' },
      select: { customerId: true, status: true, statusReason: true },
    });
    expect(rows).toEqual([
      { customerId: full.id, status: 'skipped', statusReason: 'frequency cap: 2 bulk messages in 7 days' },
      { customerId: old.id, status: 'sent', statusReason: null },
      { customerId: transactional.id, status: 'sent', statusReason: null },
      { customerId: fresh.id, status: 'sent', statusReason: null },
    ]);
    expect((await receivedFor(campaignId)).map((m) => m.to[0]).sort()).toEqual([old.email, transactional.email, fresh.email].sort());
  });
});

describe('bulk-SMS quiet hours (SMS_QUIET_HOURS=21:00-09:00)', () => {
  /** A fixed-offset zone where the local time is now about `hour` o'clock. */
  function zoneAt(hour: number): string {
    let offset = hour - new Date().getUTCHours();
    if (offset > 14) offset -= 24;
    if (offset < -12) offset += 24;
    return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`; // POSIX signs: Etc/GMT-3 is UTC+3
  }

  it('sends an SMS campaign where it is day, and holds it until 09:00 local where it is night', async () => {
    const night = zoneAt(2);
    const day = zoneAt(14);
    const template = await api('POST', '/templates', {
      key: 'flash-sale',
      name: 'Flash sale',
      channel: 'sms',
      locale: 'ru',
      body: 'Распродажа до полуночи, {{firstName}}!',
    });
    expect(template.status).toBe(201);
    const people = [
      { phone: '+79161110001', timeZone: night },
      { phone: '+79161110002', timeZone: day },
    ];
    const ids: number[] = [];
    for (const [i, person] of people.entries()) {
      const row = await prisma.customer.create({
        data: { firstName: `Смс${i}`, phone: person.phone, tags: ['sms-quiet'], locale: 'ru', timeZone: person.timeZone },
      });
      await prisma.consent.create({ data: { customerId: row.id, channel: 'sms', status: 'opted_in', source: 'test' } });
      ids.push(row.id);
    }
    const created = await api('POST', '/campaigns', {
      name: 'flash sms',
      channel: 'sms',
      templateId: template.body.id,
      segmentId: await segmentByTag(prisma, 'sms-quiet'),
    });
    expect(created.status).toBe(201);
    await api('POST', `/campaigns/${created.body.id}/schedule`);

    const outbox = (phone: string) => prisma.outboxMessage.findMany({ where: { toAddress: phone, channel: 'sms' } });
    const [daySms] = await waitFor(
      async () => {
        const found = await outbox('+79161110002');
        return found.length ? found : null;
      },
      30_000,
      'the SMS to the customer in daytime',
    );
    expect(daySms.text).toContain('Распродажа до полуночи, Смс1!');
    const held = await waitFor(
      () => prisma.message.findFirst({ where: { campaignId: created.body.id, customerId: ids[0], status: 'held' } }),
      30_000,
      'the night-time SMS held for quiet hours',
    );
    expect(held.statusReason).toBe('quiet hours');
    const morning = DateTime.now().setZone(night).set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
    expect(held.scheduledFor?.toISOString()).toBe(morning.toUTC().toISO());
    // Held, not sent: nothing in the outbox for it, and the run waits for it rather than completing.
    expect(await outbox('+79161110001')).toHaveLength(0);
    expect((await runsOf(created.body.id)).map((r) => [r.status, r.messages])).toEqual([['sending', { held: 1, sent: 1 }]]);
    await api('POST', `/campaigns/${created.body.id}/cancel`);
  });
});

describe('an A/B test', () => {
  it('sends the sample both variants, picks the variant with more opens, and sends the held rest that one', async () => {
    await makeCustomers(prisma, 'ab', 10);
    const promo = await templateId(prisma, 'b2c-promo');
    const monthly = await templateId(prisma, 'b2b-monthly');
    const campaignId = await campaignTo('ab', {
      abTest: {
        variants: [
          { key: 'A', templateId: promo },
          { key: 'B', templateId: monthly },
        ],
        samplePercent: 40,
        metric: 'open',
        decideAfterMinutes: 60,
      },
      // variant B's required data (the variants share the campaign's data)
      data: { priceListName: 'Опт', catalogUrl: 'https://shop.example.com/b2b' },
    });
    await api('POST', `/campaigns/${campaignId}/schedule`);
    const [run] = await waitFor(
      async () => {
        const runs = await runsOf(campaignId);
        return runs.length && (runs[0].messages.sent ?? 0) === 4 ? runs : null;
      },
      30_000,
      'the 4 sample messages sent',
    );
    // The rest wait for the winner.
    const rows = () =>
      prisma.message.findMany({
        where: { campaignId },
        orderBy: { id: 'asc' },
        select: { id: true, variant: true, status: true, statusReason: true },
      });
    const sample = (await rows()).filter((m) => m.variant !== null);
    expect(sample.map((m) => m.variant).sort()).toEqual(['A', 'A', 'B', 'B']);
    expect((await rows()).filter((m) => m.variant === null).map((m) => [m.status, m.statusReason])).toEqual(
      Array(6).fill(['held', 'waiting for the A/B test winner']),
    );
    const subjectOf = async (variant: string) => {
      const id = String(sample.find((m) => m.variant === variant)!.id);
      const raw = sink.messages.find((m) => m.otklikId === id)!.raw.toString('latin1');
      return /^Subject: (.*)$/m.exec(raw)![1];
    };
    const subjects = { A: await subjectOf('A'), B: await subjectOf('B') };
    expect(subjects.A).not.toBe(subjects.B);

    // Both B recipients open the message (their real pixel link, as a mail client would, well
    // after the sending so it is no scanner); one A recipient too.
    await prisma.message.updateMany({ where: { campaignId, variant: { not: null } }, data: { sentAt: new Date(Date.now() - 3_600_000) } });
    const openers = [...sample.filter((m) => m.variant === 'B'), sample.find((m) => m.variant === 'A')!];
    for (const message of openers) {
      const html = String((await simpleParser(sink.messages.find((m) => m.otklikId === String(message.id))!.raw)).html);
      const pixel = /https?:\/\/[^/"\s]+(\/o\/[A-Za-z0-9._-]+\.gif)/.exec(html)![1];
      const response = await fetch(`${t.url}${pixel}`, {
        headers: { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Thunderbird/133.0' },
      });
      expect(response.status).toBe(200);
    }
    await waitFor(
      async () => (await prisma.message.count({ where: { campaignId, openedAt: { not: null } } })) === 3,
      20_000,
      'three opens recorded',
    );

    // The decision's job is due after 60 minutes: run it now, through the worker.
    const decide = await t.app.get(JobQueue).queue(QueueName.Campaigns).getJob(`ab-${run.id}`);
    expect(decide).toBeTruthy();
    await decide!.promote();
    const done = await waitForRun(campaignId, 'completed');
    expect(done.messages).toEqual({ sent: 10 });
    expect((await prisma.campaignRun.findUniqueOrThrow({ where: { id: run.id } })).abWinner).toBe('B');
    const rest = (await rows()).filter((m) => !sample.some((s) => s.id === m.id));
    expect(rest.map((m) => [m.variant, m.status])).toEqual(Array(6).fill(['B', 'sent']));
    const received = await receivedFor(campaignId);
    expect(received).toHaveLength(10);
    for (const m of rest) {
      const raw = received.find((r) => r.otklikId === String(m.id))!.raw.toString('latin1');
      expect(/^Subject: (.*)$/m.exec(raw)![1]).toBe(subjects.B);
    }
  });
});

describe('commit-time outcomes: a change after rendering and before the final dot', () => {
  /**
   * Runs `change` once, at the first commit step of the campaign's messages (each has been
   * rendered and written to the relay but for its final dot), then lets the commit decide.
   */
  function atFirstCommit(campaignId: number, change: (messageIds: bigint[]) => Promise<void>) {
    const messages = t.app.get(MessagesRepository);
    const original = messages.beginCommit.bind(messages);
    const seen: bigint[] = [];
    let done = false;
    messages.beginCommit = async (claims) => {
      if (!done) {
        const ids = claims.map((c) => c.id);
        const mine = await prisma.message.findMany({ where: { id: { in: ids }, campaignId }, select: { id: true } });
        if (mine.length) {
          done = true;
          seen.push(...mine.map((m) => m.id));
          await change(seen);
        }
      }
      return original(claims);
    };
    return { seen, restore: () => (messages.beginCommit = original) };
  }

  it('suppressed: the message is not sent, recorded as suppressed; the others go', async () => {
    await makeCustomers(prisma, 'late-suppress', 3);
    const campaignId = await campaignTo('late-suppress');
    let victim = '';
    const hook = atFirstCommit(campaignId, async ([id]) => {
      const row = await prisma.message.findUniqueOrThrow({ where: { id }, select: { customer: { select: { email: true } } } });
      victim = row.customer!.email!;
      await suppress(prisma, victim, 'unsubscribe');
    });
    try {
      await api('POST', `/campaigns/${campaignId}/schedule`);
      const run = await waitForRun(campaignId, 'completed');
      expect(run.messages).toEqual({ sent: 2, suppressed: 1 });
      const row = await prisma.message.findUniqueOrThrow({ where: { id: hook.seen[0] } });
      expect(row.status).toBe('suppressed');
      const received = await receivedFor(campaignId);
      expect(received.map((m) => m.to[0])).not.toContain(victim);
      expect(received).toHaveLength(2);
    } finally {
      hook.restore();
    }
  });

  it('cancelled: the messages at the commit are not sent, recorded as cancelled, and nothing more goes', async () => {
    await makeCustomers(prisma, 'late-cancel', 3);
    const campaignId = await campaignTo('late-cancel');
    const hook = atFirstCommit(campaignId, async () => {
      expect((await api('POST', `/campaigns/${campaignId}/cancel`)).body.status).toBe('cancelled');
    });
    try {
      await api('POST', `/campaigns/${campaignId}/schedule`);
      const settled = () => prisma.message.count({ where: { campaignId, status: { in: ['queued', 'held', 'sending', 'committing'] } } });
      await waitFor(async () => hook.seen.length > 0 && (await settled()) === 0, 30_000, 'every message of the cancelled run settled');
      for (const id of hook.seen) expect((await prisma.message.findUniqueOrThrow({ where: { id } })).status).toBe('cancelled');
      const sent = await prisma.message.count({ where: { campaignId, status: 'sent' } });
      expect(sent).toBeLessThan(3);
      expect(await receivedFor(campaignId)).toHaveLength(sent);
      expect((await runsOf(campaignId)).map((r) => r.status)).toEqual(['cancelled']);
    } finally {
      hook.restore();
    }
  });

  it('paused: the messages at the commit go back to the queue unsent; after resuming each is sent once', async () => {
    const customers = await makeCustomers(prisma, 'late-pause', 3);
    const campaignId = await campaignTo('late-pause');
    const hook = atFirstCommit(campaignId, async () => {
      expect((await api('POST', `/campaigns/${campaignId}/pause`)).body.status).toBe('paused');
    });
    try {
      await api('POST', `/campaigns/${campaignId}/schedule`);
      const inFlight = () => prisma.message.count({ where: { campaignId, status: { in: ['sending', 'committing'] } } });
      await waitFor(async () => hook.seen.length > 0 && (await inFlight()) === 0, 30_000, 'the paused run’s messages back in the queue');
      for (const id of hook.seen) expect((await prisma.message.findUniqueOrThrow({ where: { id } })).status).toBe('queued');
      const sentWhilePaused = await prisma.message.count({ where: { campaignId, status: 'sent' } });
      expect(sentWhilePaused).toBeLessThan(3);
      expect(await receivedFor(campaignId)).toHaveLength(sentWhilePaused);
      expect((await api('POST', `/campaigns/${campaignId}/resume`)).body.status).toBe('running');
      const run = await waitForRun(campaignId, 'completed');
      expect(run.messages).toEqual({ sent: 3 });
      const received = await receivedFor(campaignId);
      expect(received.map((m) => m.to[0]).sort()).toEqual(customers.map((c) => c.email).sort());
    } finally {
      hook.restore();
    }
  });
});
