import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import type { Prisma } from '../generated/prisma/client';
import { BUILTIN_SEGMENTS } from './dsl/builtin-segments';
import type { SegmentRule } from './dsl/segment-rules';
import { SegmentsRepository } from './segments.repository';

export interface SegmentInput {
  name: string;
  description?: string | null;
  /** Validated at the edge (segmentRulesSchema). */
  rules: SegmentRule;
}

@Injectable()
export class SegmentsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SegmentsService.name);

  constructor(private readonly segments: SegmentsRepository) {}

  /** Every role keeps the built-in segments present and current (idempotent upserts by key). */
  async onApplicationBootstrap(): Promise<void> {
    await this.segments.upsertBuiltins(BUILTIN_SEGMENTS);
    this.logger.debug(`${BUILTIN_SEGMENTS.length} built-in segments in place`);
  }

  list() {
    return this.segments.list();
  }

  async get(id: number) {
    const segment = await this.segments.get(id);
    if (!segment) throw DomainError.notFound('Segment', id);
    return segment;
  }

  create(input: SegmentInput) {
    return this.segments.create({ name: input.name, description: input.description ?? null, rules: toJson(input.rules) });
  }

  async update(id: number, input: Partial<SegmentInput>) {
    await this.editable(id);
    return this.segments.update(id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.rules !== undefined ? { rules: toJson(input.rules) } : {}),
    });
  }

  async remove(id: number): Promise<void> {
    await this.editable(id);
    const usage = await this.segments.usage(id);
    if (usage.campaigns || usage.triggers) {
      throw new DomainError(
        'conflict',
        `Segment ${id} is used by ${usage.campaigns} campaign(s) and ${usage.triggers} trigger(s); point them elsewhere first`,
      );
    }
    await this.segments.delete(id);
  }

  private async editable(id: number) {
    const segment = await this.get(id);
    if (segment.builtIn) {
      throw new DomainError(
        'invalid_state',
        `Segment ${id} ("${segment.key}") is built in and cannot be changed; create a new segment with its rules instead`,
      );
    }
    return segment;
  }
}

function toJson(rules: SegmentRule): Prisma.InputJsonValue {
  return rules as unknown as Prisma.InputJsonValue;
}
