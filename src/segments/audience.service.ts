import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import {
  compileSegment,
  DEFAULT_SAMPLE_COLUMNS,
  MAX_BATCH,
  MAX_SAMPLE,
  type CompileSegmentOptions,
  type CompiledQuery,
} from './dsl/compile-segment';
import { toFieldIssues } from './dsl/format-issues';
import { parseSegmentRules, SegmentRulesError, type SegmentRule } from './dsl/segment-rules';
import { audienceRules, type Channel, type ConsentRequirement } from './audience';
import { SegmentsRepository } from './segments.repository';

/** A saved segment by id, or rules given inline (validated here). */
export type AudienceSource = { segmentId: number } | { rules: unknown };

export interface AudienceFilter {
  /** Only customers reachable on this channel: valid unsuppressed address and consent. */
  channel?: Channel;
  /** With a channel: `opted_in` (default, bulk) or `not_opted_out`. */
  consent?: ConsentRequirement;
  /** Pin "now" (a run's occurrence time); default the moment of the call. */
  now?: Date;
}

export interface StreamAudienceOptions extends AudienceFilter {
  channel: Channel;
  /** Customer ids per batch, 1..50,000; default 5,000. */
  batchSize?: number;
}

export const DEFAULT_BATCH_SIZE = 5000;
/** Columns of a preview sample; the scoring classes help judge a segment at a glance. */
export const PREVIEW_COLUMNS: readonly string[] = [
  ...DEFAULT_SAMPLE_COLUMNS,
  'patronymic',
  'rfm_group',
  'abc_class',
  'xyz_class',
  'rating',
];

/** How many customers a source holds, and how many of them each channel can reach. */
export interface AudienceReach {
  total: number;
  reachableEmail: number;
  reachableSms: number;
}

const camel = (column: string) => column.replace(/_([a-z])/g, (_m, ch: string) => ch.toUpperCase());

/**
 * Counts, previews and streams the customers of a segment. Each call compiles the rules to one
 * parameterised query (each batch of a stream to one query), so memory stays flat whatever
 * the audience size.
 */
@Injectable()
export class AudienceService {
  constructor(private readonly segments: SegmentsRepository) {}

  /** The rules of a source; throws not_found for an unknown segment, validation_failed with paths for bad rules. */
  async rulesOf(source: AudienceSource): Promise<SegmentRule> {
    if ('segmentId' in source) {
      const segment = await this.segments.get(source.segmentId);
      if (!segment) throw DomainError.notFound('Segment', source.segmentId);
      return validRules(segment.rules, `segments[${segment.id}].rules`);
    }
    return validRules(source.rules, 'rules');
  }

  /** How many customers the source holds now (with a channel: how many are reachable on it). */
  async count(source: AudienceSource, filter: AudienceFilter = {}): Promise<number> {
    const rules = withFilter(await this.rulesOf(source), filter);
    return this.segments.count(compile(rules, { mode: 'count', now: filter.now }));
  }

  /**
   * The total and the reachable count per channel, with the same rule the campaign freeze
   * applies (audienceRules: valid unsuppressed address and consent), so the builder's numbers
   * are the audience a campaign would get. The rules are read once; the three counts run side by side.
   */
  async reach(source: AudienceSource, filter: Omit<AudienceFilter, 'channel'> = {}): Promise<AudienceReach> {
    const rules = await this.rulesOf(source);
    const now = filter.now ?? new Date();
    const countOf = (channel?: Channel) => this.segments.count(compile(withFilter(rules, { ...filter, channel }), { mode: 'count', now }));
    const [total, reachableEmail, reachableSms] = await Promise.all([countOf(), countOf('email'), countOf('sms')]);
    return { total, reachableEmail, reachableSms };
  }

  /** The first `limit` customers by id, camelCased preview columns, with `name` as a person reads it. */
  async sample(source: AudienceSource, options: AudienceFilter & { limit: number }): Promise<Record<string, unknown>[]> {
    if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > MAX_SAMPLE) {
      throw DomainError.validation([{ path: 'limit', message: `expected an integer from 1 to ${MAX_SAMPLE}` }]);
    }
    const rules = withFilter(await this.rulesOf(source), options);
    const rows = await this.segments.rows(
      compile(rules, { mode: 'sample', limit: options.limit, columns: PREVIEW_COLUMNS, now: options.now }),
    );
    return rows.map((row) => {
      const out = Object.fromEntries(Object.entries(row).map(([k, v]) => [camel(k), v]));
      return { ...out, name: displayName(out) };
    });
  }

  /**
   * The recipients a campaign's pre-flight renders: `random` reachable customers picked at
   * random, plus the longest and the emptiest profiles (by the name and company fields a message
   * prints). Each customer once, under its most telling reason (longest, emptiest, then random).
   */
  async preflightSample(source: AudienceSource, options: AudienceFilter & { channel: Channel; random: number }) {
    const rules = withFilter(await this.rulesOf(source), options);
    const rows = await this.segments.rows(compile(rules, { mode: 'preflight', random: options.random, now: options.now }));
    const rank = (sample: string) => ['longest', 'emptiest', 'random'].indexOf(sample);
    const picked = new Map<number, string>();
    for (const row of [...rows].sort((a, b) => rank(String(a.sample)) - rank(String(b.sample))))
      if (!picked.has(Number(row.id))) picked.set(Number(row.id), String(row.sample));
    return [...picked].map(([customerId, sample]) => ({ customerId, sample }));
  }

  /**
   * The reachable audience of a source on a channel, as batches of customer ids in ascending
   * order (keyset pagination on the id: one query per batch, nothing held between batches).
   * The rules are read and "now" is pinned once, when iteration starts, so every batch
   * answers the same question. A customer appears at most once.
   */
  async *streamAudience(source: AudienceSource, options: StreamAudienceOptions): AsyncGenerator<number[], void, undefined> {
    const limit = options.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_BATCH) {
      throw DomainError.validation([{ path: 'batchSize', message: `expected an integer from 1 to ${MAX_BATCH}` }]);
    }
    const now = options.now ?? new Date();
    const rules = withFilter(await this.rulesOf(source), options);
    let afterId = 0;
    for (;;) {
      const ids = await this.segments.ids(compile(rules, { mode: 'batch', afterId, limit, now }));
      if (ids.length > 0) yield ids;
      if (ids.length < limit) return;
      afterId = ids[ids.length - 1];
    }
  }
}

/** «Фамилия Имя Отчество» for a person, the company name for a company; null when there is neither. */
function displayName(row: Record<string, unknown>): string | null {
  const person = [row.lastName, row.firstName, row.patronymic].filter((part) => typeof part === 'string' && part !== '').join(' ');
  if (person !== '') return person;
  return typeof row.companyName === 'string' && row.companyName !== '' ? row.companyName : null;
}

function validRules(input: unknown, root: string): SegmentRule {
  const parsed = parseSegmentRules(input, root);
  if (!parsed.ok) throw DomainError.validation(toFieldIssues(parsed.issues, root));
  return parsed.rules;
}

/**
 * Compiles rules that were validated already; a rule at the nesting or size limit can still
 * fail once the channel conditions are added, and that is the caller's input error too.
 */
function compile(rules: SegmentRule, options: CompileSegmentOptions): CompiledQuery {
  try {
    return compileSegment(rules, options);
  } catch (error) {
    if (!(error instanceof SegmentRulesError)) throw error;
    throw DomainError.validation(
      error.errors.map((line) => {
        const at = line.indexOf(': ');
        return { path: line.slice(0, at), message: line.slice(at + 2) };
      }),
    );
  }
}

function withFilter(rules: SegmentRule, filter: AudienceFilter): SegmentRule {
  return filter.channel ? audienceRules(rules, filter.channel, filter.consent) : rules;
}
