import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { OutgoingMessagesService, type VersionChoice } from '../delivery/outgoing-messages.service';
import { Prisma } from '../generated/prisma/client';
import type { Channel, TriggerType } from '../generated/prisma/enums';
import {
  fireStatement,
  firingMessageKey,
  type FiredRow,
  type MadeMessageRow,
  type FireSelection,
  type NewTriggerMessage,
  type TriggerChannel,
} from './firing.sql';

export interface TriggerFields {
  name: string;
  type: TriggerType;
  channels: Channel[];
  templateId: number;
  segmentId: number | null;
  delayMinutes: number;
  active: boolean;
  config: Prisma.InputJsonValue;
  lastCustomerId?: number | null;
}

export const TRIGGER_VIEW = {
  id: true,
  name: true,
  type: true,
  channels: true,
  templateId: true,
  template: { select: { key: true } },
  segmentId: true,
  delayMinutes: true,
  config: true,
  active: true,
  createdAt: true,
  updatedAt: true,
} as const;

export type TriggerRow = Prisma.TriggerGetPayload<{ select: typeof TRIGGER_VIEW }>;

/** A held trigger message whose time has come. */
export interface DueMessage {
  id: bigint;
  channel: TriggerChannel;
  time_zone: string | null;
  quiet_hours: boolean;
}

@Injectable()
export class TriggersRepository {
  constructor(
    private readonly prisma: PrismaService,
    // The owner of `messages`: a firing's message is made through it, in this module's transaction.
    private readonly messages: OutgoingMessagesService,
  ) {}

  create(fields: TriggerFields): Promise<TriggerRow> {
    return this.prisma.trigger.create({ data: fields, select: TRIGGER_VIEW });
  }

  update(id: number, fields: Partial<TriggerFields>): Promise<TriggerRow> {
    return this.prisma.trigger.update({ where: { id }, data: fields, select: TRIGGER_VIEW });
  }

  get(id: number): Promise<TriggerRow | null> {
    return this.prisma.trigger.findUnique({ where: { id }, select: TRIGGER_VIEW });
  }

  list(filter: { type?: TriggerType; active?: boolean }): Promise<TriggerRow[]> {
    return this.prisma.trigger.findMany({ where: filter, select: TRIGGER_VIEW, orderBy: { id: 'asc' } });
  }

  async delete(id: number): Promise<boolean> {
    return (await this.prisma.trigger.deleteMany({ where: { id } })).count > 0;
  }

  /** Active triggers of some types, with the welcome watermark. */
  active(types: TriggerType[]) {
    return this.prisma.trigger.findMany({
      where: { type: { in: types }, active: true },
      select: { ...TRIGGER_VIEW, lastCustomerId: true },
      orderBy: { id: 'asc' },
    });
  }

  firings(triggerId: number, after: number | undefined, limit: number) {
    return this.prisma.triggerFiring.findMany({
      where: { triggerId, id: after !== undefined ? { gt: after } : undefined },
      orderBy: { id: 'asc' },
      take: limit,
      select: {
        id: true,
        customerId: true,
        occurrenceKey: true,
        channel: true,
        reason: true,
        messageId: true,
        firedAt: true,
        message: { select: { status: true, statusReason: true, sentAt: true, scheduledFor: true } },
      },
    });
  }

  /** The newest firings of a trigger, newest first, with who each was for (the admin page). */
  recentFirings(triggerId: number, limit: number) {
    return this.prisma.triggerFiring.findMany({
      where: { triggerId },
      orderBy: { id: 'desc' },
      take: limit,
      select: {
        id: true,
        occurrenceKey: true,
        channel: true,
        reason: true,
        messageId: true,
        firedAt: true,
        customer: { select: { id: true, firstName: true, lastName: true, companyName: true, email: true, phone: true } },
        message: { select: { status: true, statusReason: true, sentAt: true, scheduledFor: true } },
      },
    });
  }

  /** Firings per trigger since `since` (triggers without any are left out). */
  async firingCountsSince(since: Date): Promise<Map<number, number>> {
    const rows = await this.prisma.triggerFiring.groupBy({ by: ['triggerId'], where: { firedAt: { gte: since } }, _count: { _all: true } });
    return new Map(rows.map((r) => [r.triggerId, r._count._all]));
  }

  templateId(channel: TriggerChannel, key: string): Promise<number | null> {
    return this.prisma.template.findUnique({ where: { channel_key: { channel, key } }, select: { id: true } }).then((t) => t?.id ?? null);
  }

  async segmentExists(id: number): Promise<boolean> {
    return (await this.prisma.segment.count({ where: { id } })) > 0;
  }

  newestCustomerId(): Promise<number> {
    return this.prisma.customer.aggregate({ _max: { id: true } }).then((r) => r._max.id ?? 0);
  }

  /** The largest customer id among the next `limit` after `after` (null: none). */
  async customerIdWindow(after: number, limit: number): Promise<number | null> {
    const rows = await this.prisma.$queryRaw<Array<{ upper: number | null }>>`
      SELECT max(id)::int AS upper FROM (SELECT id FROM customers WHERE id > ${after} ORDER BY id LIMIT ${limit}) w`;
    return rows[0]?.upper ?? null;
  }

  /**
   * Forgets the firings of `occurrenceKey` that found no reachable channel, since `since`, for
   * customers changed after them (a confirmed double opt-in, a phone added), and returns those
   * customers so the caller fires for them again.
   */
  async rearmUnreachable(triggerId: number, occurrenceKey: string, since: Date): Promise<number[]> {
    const at = since.toISOString();
    const rows = await this.prisma.$queryRaw<Array<{ customer_id: number }>>`
      DELETE FROM trigger_firings f USING customers c
       WHERE f.trigger_id = ${triggerId} AND f.occurrence_key = ${occurrenceKey} AND f.message_id IS NULL
         AND f.fired_at > (${at}::timestamptz AT TIME ZONE 'UTC') AND c.id = f.customer_id AND c.erased_at IS NULL
         AND (c.updated_at > f.fired_at OR EXISTS (SELECT 1 FROM consents cs WHERE cs.customer_id = c.id AND cs.at > f.fired_at))
      RETURNING f.customer_id`;
    return rows.map((r) => r.customer_id);
  }

  setWatermark(id: number, lastCustomerId: number) {
    return this.prisma.trigger.update({ where: { id }, data: { lastCustomerId } });
  }

  /** The time_zone values of live customers born on these dates (through the birthday index). */
  async birthdayZones(birthDates: string[]): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<Array<{ time_zone: string }>>`
      SELECT DISTINCT time_zone FROM customers WHERE birthday = ANY(${birthDates}::date[]) AND erased_at IS NULL`;
    return rows.map((r) => r.time_zone);
  }

  async zoneRunsDone(triggerId: number, localDates: string[]): Promise<Set<string>> {
    const rows = await this.prisma.triggerZoneRun.findMany({
      where: { triggerId, localDate: { in: localDates } },
      select: { timeZone: true, localDate: true },
    });
    return new Set(rows.map((r) => `${r.timeZone}|${r.localDate}`));
  }

  async recordZoneRuns(triggerId: number, zones: string[], localDate: string, fired: number, at: Date): Promise<void> {
    await this.prisma.triggerZoneRun.createMany({
      data: zones.map((timeZone) => ({ triggerId, timeZone, localDate, fired, ranAt: at })),
      skipDuplicates: true,
    });
  }

  /**
   * Records the firings (fireStatement), then for those that got a channel makes their messages
   * (through the delivery module) and points each firing at its message, in one transaction: a
   * firing and its message exist together or not at all. `plan` decides each message's status and
   * time from the firing (quiet hours, delay) between the two. Three statements, each set-based.
   */
  async fire(
    selection: FireSelection,
    versions: Partial<Record<TriggerChannel, VersionChoice>>,
    data: Record<string, unknown>,
    plan: (fired: FiredRow[]) => NewTriggerMessage[],
  ): Promise<{ fired: FiredRow[]; messages: MadeMessageRow[] }> {
    return this.prisma.$transaction(
      async (tx) => {
        const a = fireStatement(selection);
        const fired = await tx.$queryRawUnsafe<FiredRow[]>(a.sql, ...a.params);
        const planned = plan(fired);
        if (!planned.length) return { fired, messages: [] };
        const keyed = planned.map(({ firingId, ...m }) => ({ ...m, idempotencyKey: firingMessageKey(firingId) }));
        const made = await this.messages.insertKeyedIn(tx, keyed, versions, data);
        const firingOf = new Map(planned.map((m) => [firingMessageKey(m.firingId), m.firingId]));
        const links = made.map((m) => ({ firingId: firingOf.get(m.idempotencyKey) as number, id: m.id, status: m.status }));
        return { fired, messages: await this.linkMessages(tx, links) };
      },
      { timeout: 120_000 },
    );
  }

  /** Points each firing at its message; returns the messages with their firings. */
  private async linkMessages(
    tx: Prisma.TransactionClient,
    links: Array<{ firingId: number; id: bigint; status: string }>,
  ): Promise<MadeMessageRow[]> {
    if (!links.length) return [];
    return tx.$queryRaw<MadeMessageRow[]>`
      UPDATE trigger_firings f SET message_id = v.message_id
        FROM unnest(${links.map((l) => l.firingId)}::int[], ${links.map((l) => l.id)}::bigint[], ${links.map((l) => l.status)}::text[])
             AS v(firing_id, message_id, status)
       WHERE f.id = v.firing_id
      RETURNING v.message_id, v.status, f.id AS firing_id, f.customer_id, f.channel::text AS channel, f.occurrence_key`;
  }

  /** Held trigger messages due at `now`, oldest first. */
  dueMessages(now: Date, limit: number): Promise<DueMessage[]> {
    return this.prisma.$queryRaw<DueMessage[]>`
      SELECT m.id, m.channel::text AS channel, c.time_zone, COALESCE((t.config->>'quietHours')::boolean, true) AS quiet_hours
        FROM messages m
        JOIN trigger_firings f ON f.message_id = m.id
        JOIN triggers t ON t.id = f.trigger_id
        LEFT JOIN customers c ON c.id = m.customer_id
       WHERE m.status = 'held' AND m.lane = 'transactional' AND m.scheduled_for <= (${now.toISOString()}::timestamptz AT TIME ZONE 'UTC')
       ORDER BY m.scheduled_for, m.id
       LIMIT ${limit}`;
  }

  /**
   * Trigger messages still `queued` well after they were made: their job may never have been
   * added (the process stopped between commit and enqueue). Enqueueing again is harmless: the
   * job id is the message id, and the worker skips a row that is no longer queued.
   */
  staleQueued(limit: number): Promise<Array<{ id: bigint }>> {
    return this.prisma.$queryRaw<Array<{ id: bigint }>>`
      SELECT m.id FROM messages m JOIN trigger_firings f ON f.message_id = m.id
       WHERE m.status = 'queued' AND m.lane = 'transactional' AND m.created_at < now() - interval '2 minutes'
       ORDER BY m.id LIMIT ${limit}`;
  }

  async liveCustomer(id: number): Promise<boolean> {
    return (await this.prisma.customer.count({ where: { id, erasedAt: null } })) > 0;
  }

  /** Reads the stored order of an event (after the orders service wrote it). */
  orderByExternalId(externalId: string) {
    return this.prisma.order.findUnique({ where: { externalId }, select: { id: true, customerId: true, status: true } });
  }

  recordEvent(name: string, customerId: number, properties: Record<string, unknown>, at: Date) {
    return this.prisma.customerEvent.create({
      data: { name, customerId, properties: properties as Prisma.InputJsonObject, at },
      select: { id: true },
    });
  }
}
