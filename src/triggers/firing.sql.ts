// The statements that turn "these customers, this occurrence" into firings and messages, as
// parameterised SQL over `customers c`. Pure: no Nest, no database. Selection is always one
// set-based statement (a birthday pass over a million customers is one indexed query, never
// a loop over customers in JavaScript); values only ever travel as parameters.
import { compileSegmentWhere } from '../segments/dsl/compile-segment';
import type { SegmentRule } from '../segments/dsl/segment-rules';
import { reachabilityConditions, type ConsentRequirement } from '../segments/audience';

export type TriggerChannel = 'email' | 'sms';

export interface CompiledStatement {
  sql: string;
  params: unknown[];
}

/** Hands out `$n` placeholders in order. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown, cast = ''): string {
    this.values.push(value);
    return `$${this.values.length}${cast}`;
  }

  /** A timestamptz parameter as the UTC `timestamp` Prisma stores. */
  utc(at: Date): string {
    return `(${this.add(at.toISOString(), '::timestamptz')} AT TIME ZONE 'UTC')`;
  }

  /** Compiles segment rules here, numbering their parameters after ours. */
  segment(rules: SegmentRule, now: Date): string {
    const compiled = compileSegmentWhere(rules, { paramOffset: this.values.length, now, alias: 'c' });
    this.values.push(...compiled.params);
    return `(${compiled.sql})`;
  }
}

export const NO_CHANNEL_REASON = 'no reachable channel';

export interface FireSelection {
  triggerId: number;
  now: Date;
  /** In order of preference. */
  channels: readonly TriggerChannel[];
  consent: ConsentRequirement;
  /** The trigger's condition segment, if any. */
  segment: SegmentRule | null;
  /** Extra conditions on `c` (and tables the caller joins through EXISTS). */
  where: (p: SqlParams) => string;
  /** The occurrence key expression (per customer or a constant parameter). */
  occurrenceKey: (p: SqlParams) => string;
}

/**
 * Statement A: records a firing per selected customer and occurrence (ON CONFLICT DO NOTHING:
 * a firing that exists already never fires again), choosing the first reachable channel.
 * Returns the new firings with the customer's time zone, for quiet hours.
 */
export function fireStatement(s: FireSelection): CompiledStatement {
  const p = new SqlParams();
  const key = s.occurrenceKey(p);
  const where = s.where(p);
  const segment = s.segment ? ` AND ${p.segment(s.segment, s.now)}` : '';
  const choice = s.channels
    .map((channel) => `WHEN ${p.segment({ all: reachabilityConditions(channel, s.consent) }, s.now)} THEN '${channel}'`)
    .join(' ');
  const trigger = p.add(s.triggerId, '::int');
  const firedAt = p.utc(s.now);
  const reason = p.add(NO_CHANNEL_REASON, '::text');
  const sql = `
    WITH cand AS (
      SELECT c.id AS customer_id, c.time_zone, ${key} AS occurrence_key, CASE ${choice} END AS channel
        FROM customers c
       WHERE c.erased_at IS NULL AND ${where}${segment}
    ), ins AS (
      INSERT INTO trigger_firings (trigger_id, customer_id, occurrence_key, channel, reason, fired_at)
      SELECT ${trigger}, customer_id, occurrence_key, channel::"Channel", CASE WHEN channel IS NULL THEN ${reason} END, ${firedAt}
        FROM cand
      ON CONFLICT (trigger_id, customer_id, occurrence_key) DO NOTHING
      RETURNING id, customer_id, occurrence_key, channel
    )
    SELECT ins.id, ins.customer_id, ins.occurrence_key, ins.channel::text AS channel, cand.time_zone
      FROM ins JOIN cand ON cand.customer_id = ins.customer_id AND cand.occurrence_key = ins.occurrence_key`;
  return { sql, params: p.values };
}

export interface FiredRow {
  id: number;
  customer_id: number;
  occurrence_key: string;
  channel: TriggerChannel | null;
  time_zone: string;
}

/** A template's current versions per locale, to pick per customer in SQL (as campaigns do). */
export interface VersionChoice {
  locales: string[];
  versionIds: number[];
  fallbackVersionId: number;
}

export interface NewTriggerMessage {
  firingId: number;
  customerId: number;
  channel: TriggerChannel;
  status: 'queued' | 'held';
  scheduledFor: Date | null;
  reason: string | null;
}

/** What statement B returns per message made. */
export interface MadeMessageRow {
  message_id: bigint;
  status: string;
  firing_id: number;
  customer_id: number;
  channel: TriggerChannel;
  occurrence_key: string;
}

/** The idempotency key of a firing's message: a firing has one message at most. */
export function firingMessageKey(firingId: number): string {
  return `trigger-firing:${firingId}`;
}

/**
 * Statement B: one transactional Message per new firing that has a channel, with the template
 * version of the customer's locale, and the firing pointed at it. Returns the message ids and
 * statuses (`queued` ones are enqueued by the caller after commit).
 */
export function messagesStatement(
  rows: readonly NewTriggerMessage[],
  versions: Partial<Record<TriggerChannel, VersionChoice>>,
  data: Record<string, unknown>,
): CompiledStatement {
  const p = new SqlParams();
  const firingIds = p.add(
    rows.map((r) => r.firingId),
    '::int[]',
  );
  const unnest = `unnest(${firingIds}, ${p.add(
    rows.map((r) => r.customerId),
    '::int[]',
  )}, ${p.add(
    rows.map((r) => r.channel),
    '::text[]',
  )}, ${p.add(
    rows.map((r) => r.status),
    '::text[]',
  )}, ${p.add(
    rows.map((r) => r.scheduledFor?.toISOString() ?? null),
    '::timestamptz[]',
  )}, ${p.add(
    rows.map((r) => r.reason),
    '::text[]',
  )}) AS v(firing_id, customer_id, channel, status, scheduled_for, reason)`;
  const pick = (channel: TriggerChannel) => {
    const choice = versions[channel];
    if (!choice) return 'NULL::int';
    const locales = p.add(choice.locales, '::text[]');
    const ids = p.add(choice.versionIds, '::int[]');
    const byLocale = (expr: string) =>
      `(SELECT tv.version_id FROM unnest(${locales}, ${ids}) AS tv(locale, version_id) WHERE tv.locale = ${expr} LIMIT 1)`;
    return `COALESCE(${byLocale('c.locale')}, ${byLocale(`split_part(c.locale, '-', 1)`)}, ${p.add(choice.fallbackVersionId, '::int')})`;
  };
  const version = `CASE v.channel WHEN 'sms' THEN ${pick('sms')} ELSE ${pick('email')} END`;
  const sql = `
    WITH msgs AS (
      INSERT INTO messages (customer_id, channel, lane, status, status_reason, template_version_id, data, idempotency_key, scheduled_for)
      SELECT v.customer_id, v.channel::"Channel", 'transactional', v.status::"MessageStatus", v.reason, ${version},
             ${p.add(JSON.stringify(data), '::jsonb')}, 'trigger-firing:' || v.firing_id, v.scheduled_for AT TIME ZONE 'UTC'
        FROM ${unnest}
        JOIN customers c ON c.id = v.customer_id
      ON CONFLICT (idempotency_key) DO NOTHING
      RETURNING id, idempotency_key, status
    )
    UPDATE trigger_firings f SET message_id = m.id
      FROM msgs m
     WHERE f.id = ANY(${firingIds}) AND m.idempotency_key = 'trigger-firing:' || f.id
    RETURNING m.id AS message_id, m.status::text AS status, f.id AS firing_id, f.customer_id, f.channel::text AS channel, f.occurrence_key`;
  return { sql, params: p.values };
}
