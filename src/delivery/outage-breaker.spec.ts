import { OutageBreaker } from './outage-breaker';

describe('OutageBreaker', () => {
  it('pauses after the threshold, doubling each trip up to the ceiling, and closes on success', () => {
    const breaker = new OutageBreaker({ threshold: 3, firstPauseMs: 1000, maxPauseMs: 3000 });
    let now = 0;
    // each failure arrives after the previous pause has ended
    const pauses = Array.from({ length: 12 }, () => {
      const pause = breaker.recordFailure(now);
      now += pause + 1;
      return pause;
    });
    expect(pauses).toEqual([0, 0, 1000, 0, 0, 2000, 0, 0, 3000, 0, 0, 3000]);
    breaker.recordSuccess();
    expect([breaker.recordFailure(now), breaker.recordFailure(now), breaker.recordFailure(now)]).toEqual([0, 0, 1000]);
  });

  it('does not escalate on failures of messages in flight during a pause', () => {
    const breaker = new OutageBreaker({ threshold: 2, firstPauseMs: 1000, maxPauseMs: 60_000 });
    expect([breaker.recordFailure(0), breaker.recordFailure(0)]).toEqual([0, 1000]);
    expect([breaker.recordFailure(10), breaker.recordFailure(20), breaker.recordFailure(900)]).toEqual([990, 980, 100]);
    expect([breaker.recordFailure(1001), breaker.recordFailure(1002)]).toEqual([0, 2000]);
  });

  it('never pauses while failures are interleaved with successes', () => {
    const breaker = new OutageBreaker({ threshold: 2, firstPauseMs: 1000, maxPauseMs: 1000 });
    for (let i = 0; i < 10; i++) {
      expect(breaker.recordFailure(i)).toBe(0);
      breaker.recordSuccess();
    }
  });

  it('trips at once on a sender-side failure, doubling while nothing succeeds in between', () => {
    const breaker = new OutageBreaker({ threshold: 8, firstPauseMs: 1000, maxPauseMs: 3000 });
    expect(breaker.recordSenderFault(0)).toBe(1000);
    // messages already in flight report the running pause, extending nothing
    expect([breaker.recordSenderFault(400), breaker.recordFailure(500)]).toEqual([600, 500]);
    expect([breaker.recordSenderFault(1001), breaker.recordSenderFault(3002), breaker.recordSenderFault(6003)]).toEqual([2000, 3000, 3000]);
    breaker.recordSuccess();
    expect(breaker.recordSenderFault(9004)).toBe(1000);
  });

  it('counts a sender-side trip with the outage trips: the next outage pause is longer', () => {
    const breaker = new OutageBreaker({ threshold: 2, firstPauseMs: 1000, maxPauseMs: 60_000 });
    expect(breaker.recordFailure(0)).toBe(0);
    expect(breaker.recordSenderFault(1)).toBe(1000);
    // the failure before the trip no longer counts toward the threshold
    expect([breaker.recordFailure(1002), breaker.recordFailure(1003)]).toEqual([0, 2000]);
  });
});
