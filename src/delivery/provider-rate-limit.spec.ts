import { reserveSend, type WindowCounter } from './provider-rate-limit';

function memoryCounter(): WindowCounter & { keys: Map<string, number> } {
  const keys = new Map<string, number>();
  const count = (async (key: string) => {
    keys.set(key, (keys.get(key) ?? 0) + 1);
    return keys.get(key) as number;
  }) as unknown as WindowCounter & { keys: Map<string, number> };
  count.keys = keys;
  return count;
}

describe('reserveSend', () => {
  const at = Date.UTC(2026, 10, 23, 10, 15, 30, 250);

  it('lets the first N of a second go and sends the rest to the next second', async () => {
    const count = memoryCounter();
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await reserveSend(count, 'p1', { perSecond: 3, perHour: null }, at));
    expect(answers.slice(0, 3)).toEqual([null, null, null]);
    expect(answers[3]).toEqual({
      until: new Date(Date.UTC(2026, 10, 23, 10, 15, 31)),
      reason: 'provider limit of 3 messages per second reached',
    });
    // the next second starts afresh
    expect(await reserveSend(count, 'p1', { perSecond: 3, perHour: null }, at + 1000)).toBeNull();
  });

  it('holds until the next hour once the hourly limit is spent, whatever the second allows', async () => {
    const count = memoryCounter();
    expect(await reserveSend(count, 'p2', { perSecond: 100, perHour: 2 }, at)).toBeNull();
    expect(await reserveSend(count, 'p2', { perSecond: 100, perHour: 2 }, at + 1)).toBeNull();
    expect(await reserveSend(count, 'p2', { perSecond: 100, perHour: 2 }, at + 2)).toEqual({
      until: new Date(Date.UTC(2026, 10, 23, 11, 0, 0)),
      reason: 'provider limit of 2 messages per hour reached',
    });
  });

  it('counts each transport on its own and does nothing without limits', async () => {
    const count = memoryCounter();
    expect(await reserveSend(count, 'a', { perSecond: 1, perHour: null }, at)).toBeNull();
    expect(await reserveSend(count, 'b', { perSecond: 1, perHour: null }, at)).toBeNull();
    expect(await reserveSend(count, 'c', { perSecond: null, perHour: null }, at)).toBeNull();
    expect([...count.keys.keys()].every((k) => !k.includes(':c:'))).toBe(true);
  });
});
