// The sending side's notion of "now" (campaign schedules, local-time releases, sending windows,
// quiet hours): the system clock unless frozen. One instance per process, provided by the
// delivery module and used by campaigns too, so a test moves one clock and the scheduler, the
// feeder and the send decision all see the same time, without sleeping. (The automations keep
// their own, triggers/clock.ts.)
import { Injectable } from '@nestjs/common';

@Injectable()
export class SendClock {
  private frozenAt: Date | null = null;

  now(): Date {
    return this.frozenAt ? new Date(this.frozenAt.getTime()) : new Date();
  }

  /** Stops the clock at `at`; `null` returns to the system clock. */
  freeze(at: Date | null): void {
    this.frozenAt = at ? new Date(at.getTime()) : null;
  }
}
