// Runs the campaign guard (campaign-guard.ts) after a hard bounce or complaint is applied, and
// over every running campaign once a minute (the sweep), which also catches bounces seen while
// sending (send-bounces.service.ts). A campaign over the limits is paused through the campaigns
// service, which owns campaign status. Checks of one campaign are spaced out so a flood of
// bounces costs one count query per interval, with a last check when the flood stops.
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CampaignsService } from '../campaigns/campaigns.service';
import type { AppConfig } from '../config/config.module';
import { guardVerdict, type GuardLimits } from './campaign-guard';
import { FeedbackRepository } from './feedback.repository';

const MIN_INTERVAL_MS = 500;

@Injectable()
export class CampaignGuardService implements OnModuleDestroy {
  private readonly logger = new Logger(CampaignGuardService.name);
  private readonly limits: GuardLimits;
  private readonly lastCheck = new Map<number, number>();
  private readonly deferred = new Map<number, NodeJS.Timeout>();

  constructor(
    private readonly feedback: FeedbackRepository,
    private readonly campaigns: CampaignsService,
    @Inject(ConfigService) config: AppConfig,
  ) {
    this.limits = {
      hardBouncePercent: config.get('GUARD_HARD_BOUNCE_PERCENT', { infer: true }),
      complaintPercent: config.get('GUARD_COMPLAINT_PERCENT', { infer: true }),
      minSent: config.get('GUARD_MIN_SENT', { infer: true }),
    };
  }

  /** Checks the campaign now, or shortly if it was checked a moment ago. */
  async check(campaignId: number): Promise<void> {
    const since = Date.now() - (this.lastCheck.get(campaignId) ?? 0);
    if (since >= MIN_INTERVAL_MS) {
      await this.checkNow(campaignId);
      return;
    }
    if (this.deferred.has(campaignId)) return;
    const timer = setTimeout(() => {
      this.deferred.delete(campaignId);
      this.checkNow(campaignId).catch((error: unknown) =>
        this.logger.warn(`guard check of campaign ${campaignId} failed: ${(error as Error).message}`),
      );
    }, MIN_INTERVAL_MS - since);
    timer.unref();
    this.deferred.set(campaignId, timer);
  }

  /** Returns true when it paused the campaign. */
  async checkNow(campaignId: number): Promise<boolean> {
    this.lastCheck.set(campaignId, Date.now());
    if (this.lastCheck.size > 10_000) this.lastCheck.clear();
    const stats = await this.feedback.campaignStats(campaignId);
    if (!stats) return false;
    const reason = guardVerdict(stats, this.limits);
    if (!reason || !(await this.campaigns.pauseRunning(campaignId, reason))) return false;
    this.logger.warn(`campaign ${campaignId} ${reason}`);
    return true;
  }

  async checkAllRunning(): Promise<number[]> {
    const paused: number[] = [];
    for (const id of await this.feedback.runningCampaignIds()) if (await this.checkNow(id)) paused.push(id);
    return paused;
  }

  onModuleDestroy(): void {
    for (const timer of this.deferred.values()) clearTimeout(timer);
    this.deferred.clear();
  }
}
