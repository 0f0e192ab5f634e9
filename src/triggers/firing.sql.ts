// The statement that turns "these customers, this occurrence" into firings, as parameterised
// SQL over `customers c`. Pure: no Nest, no database. Selection is always one set-based statement
// (a birthday pass over a million customers is one indexed query, never a loop over customers in
// JavaScript); values only ever travel as parameters. The firings' messages are made by the
// delivery module, the owner of `messages` (triggers.repository.ts `fire`).
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

export interface NewTriggerMessage {
  firingId: number;
  customerId: number;
  channel: TriggerChannel;
  status: 'queued' | 'held';
  scheduledFor: Date | null;
  reason: string | null;
}

/** What `fire` returns per message made, with its firing. */
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
