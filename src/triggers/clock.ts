// The automations' notion of "now": the system clock unless frozen. Every birthday pass,
// inactivity scan, delay and quiet-hours decision of this module reads it, so a test (or a
// replay of a missed day) runs a whole day's logic at a chosen instant without sleeping.
import { Injectable } from '@nestjs/common';

@Injectable()
export class TriggerClock {
  private frozenAt: Date | null = null;

  now(): Date {
    return this.frozenAt ? new Date(this.frozenAt.getTime()) : new Date();
  }

  /** Stops the clock at `at`; `null` returns to the system clock. */
  freeze(at: Date | null): void {
    this.frozenAt = at ? new Date(at.getTime()) : null;
  }

  /** Moves a frozen clock forward (no-op on the system clock). */
  advance(ms: number): void {
    if (this.frozenAt) this.frozenAt = new Date(this.frozenAt.getTime() + ms);
  }
}
