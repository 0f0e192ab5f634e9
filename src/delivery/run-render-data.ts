// The per-run part of a campaign message's render context: `run` (the run's date in the
// campaign's zone, worded in the template's locale) and `data` (the campaign's values, then the
// template's defaults with {{run.*}} expanded). The same for every recipient of a run and
// template version, so it is built once per (run, version) and kept: this is the
// million-message path, and a query per message would be one too many.
import { Injectable } from '@nestjs/common';
import { resolveData, runValues, type RenderRun } from '../templates/render';
import { TemplatesService } from '../templates/templates.service';
import { RunDataRepository } from './run-data.repository';

export interface RunRender {
  run: RenderRun;
  data: Record<string, unknown>;
}

/**
 * How long a run's values are kept. A campaign edited while its run is paused gives the new
 * values to the messages rendered after this (or in another worker): a run is meant to send
 * one set of values, and editing mid-run is the rare exception.
 */
const TTL_MS = 10 * 60_000;
const MAX_ENTRIES = 1000;

@Injectable()
export class RunRenderData {
  private readonly cache = new Map<string, { value: Promise<RunRender>; expires: number }>();

  constructor(
    private readonly repository: RunDataRepository,
    private readonly templates: TemplatesService,
  ) {}

  /** The run values and data of a campaign message; undefined for messages outside a run. */
  forMessage(message: { runId: number | null; templateVersionId: number | null }): Promise<RunRender> | undefined {
    if (message.runId === null || message.templateVersionId === null) return undefined;
    const key = `${message.runId}:${message.templateVersionId}`;
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.expires > now) return hit.value;
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    const value = this.load(message.runId, message.templateVersionId);
    this.cache.set(key, { value, expires: now + TTL_MS });
    value.catch(() => this.cache.delete(key));
    return value;
  }

  /**
   * The same for a run that has not started (or not yet been made): the pre-flight and a test
   * send render with the values a run at `occurrenceAt` would have. Not kept.
   */
  async forOccurrence(campaign: { data: unknown; timeZone: string }, occurrenceAt: Date, versionId: number): Promise<RunRender> {
    return this.compute(campaign, occurrenceAt, await this.templates.versionDeclaration(versionId));
  }

  private async load(runId: number, versionId: number): Promise<RunRender> {
    const [row, declaration] = await Promise.all([this.repository.findRun(runId), this.templates.versionDeclaration(versionId)]);
    if (!row) throw new Error(`campaign run ${runId} not found`);
    return this.compute(row.campaign, row.occurrenceAt, declaration);
  }

  private compute(
    campaign: { data: unknown; timeZone: string },
    occurrenceAt: Date,
    declaration: Awaited<ReturnType<TemplatesService['versionDeclaration']>>,
  ): RunRender {
    const run = runValues(occurrenceAt, campaign.timeZone, declaration.locale);
    const data =
      campaign.data && typeof campaign.data === 'object' && !Array.isArray(campaign.data) ? (campaign.data as Record<string, unknown>) : {};
    return { run, data: resolveData(declaration.fields, data, run) };
  }
}
