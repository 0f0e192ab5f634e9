// Small factories for automation tests: customers with zone, birthday and consent per channel,
// an API caller, and readers of the capture outbox (email and SMS land there without SMTP_URL).
import { PrismaService } from '../../src/database/prisma.service';
import { TriggerClock } from '../../src/triggers/clock';
import { TriggerRunnerService } from '../../src/triggers/trigger-runner.service';
import { waitFor } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';

export interface TriggerTestApp {
  t: TestApp;
  prisma: PrismaService;
  /** The automations' clock: tests freeze it. */
  clock: TriggerClock;
  runner: TriggerRunnerService;
  /** A marketer's API calls. */
  api: ReturnType<typeof apiAs>;
  close(): Promise<void>;
}

/** The whole app (email and SMS into the capture outbox) with the handles automation tests use. */
export async function startTriggerApp(): Promise<TriggerTestApp> {
  const t = await startTestApp({ MAIL_FROM: 'shop@shop.example', MAIL_FROM_NAME: 'Магазин' });
  const clock = t.app.get(TriggerClock);
  return {
    t,
    prisma: t.app.get(PrismaService),
    clock,
    runner: t.app.get(TriggerRunnerService),
    api: apiAs(t, await t.key('marketer')),
    async close() {
      clock.freeze(null);
      await t.close();
    },
  };
}

export interface PersonInput {
  name: string;
  timeZone?: string;
  birthday?: string;
  email?: string;
  phone?: string;
  /** Channels with an opt-in; others have no consent row. */
  optedIn?: Array<'email' | 'sms'>;
  locale?: string;
}

export async function makePerson(prisma: PrismaService, p: PersonInput): Promise<number> {
  const row = await prisma.customer.create({
    data: {
      firstName: p.name,
      email: p.email ?? null,
      phone: p.phone ?? null,
      birthday: p.birthday ? new Date(`${p.birthday}T00:00:00Z`) : null,
      timeZone: p.timeZone ?? 'Europe/Moscow',
      locale: p.locale ?? 'ru',
    },
    select: { id: true },
  });
  for (const channel of p.optedIn ?? [])
    await prisma.consent.create({ data: { customerId: row.id, channel, status: 'opted_in', source: 'test' } });
  return row.id;
}

/** `body` is the route's JSON, untyped on purpose: the assertions are what check its shape. */
export type ApiResponse = { status: number; body: any };

export function apiAs(t: TestApp, key: string) {
  return async (method: string, path: string, body?: unknown): Promise<ApiResponse> => {
    const response = await fetch(`${t.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: response.status === 204 ? null : await response.json() };
  };
}

/** Captured messages to an address (email or E.164 phone), oldest first. */
export function outboxTo(prisma: PrismaService, address: string) {
  return prisma.outboxMessage.findMany({
    where: { toAddress: address },
    orderBy: { id: 'asc' },
    select: { channel: true, subject: true, text: true, html: true, messageId: true },
  });
}

/** Waits for the first captured message to an address. */
export function firstTo(prisma: PrismaService, address: string, what: string) {
  return waitFor(async () => (await outboxTo(prisma, address))[0], 20_000, what);
}

/**
 * Every message to these customers once none is waiting or in flight (queued, sending,
 * committing): a send needs a row, so the rows returned are everything they will receive,
 * with no fixed wait for "nothing more arrived".
 */
export async function settledMessages(prisma: PrismaService, customerIds: number[], what: string) {
  const where = { customerId: { in: customerIds } };
  await waitFor(
    async () => (await prisma.message.count({ where: { ...where, status: { in: ['queued', 'sending', 'committing'] } } })) === 0,
    20_000,
    `${what}: no message queued or in flight`,
  );
  return prisma.message.findMany({ where, orderBy: { id: 'asc' }, select: { id: true, customerId: true, channel: true, status: true } });
}
