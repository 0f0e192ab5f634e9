import { decodeTimelineCursor, encodeTimelineCursor, timelineKey } from './timeline-cursor';

describe('timeline cursor', () => {
  it('round-trips a position', () => {
    const position = { at: new Date('2026-11-23T10:15:00.123Z'), type: 'order', key: timelineKey(42) };
    expect(decodeTimelineCursor(encodeTimelineCursor(position))).toEqual(position);
  });

  it('pads ids so they sort as numbers', () => {
    expect(timelineKey(9) < timelineKey(10)).toBe(true);
    expect(timelineKey(12345678901234567890n)).toBe('12345678901234567890');
  });

  it.each([
    '',
    'garbage',
    Buffer.from('2026-11-23|order|1').toString('base64url'),
    Buffer.from('2026-13-45T99:00:00.000Z|order|00000000000000000001').toString('base64url'),
  ])('rejects %p', (cursor) => {
    expect(decodeTimelineCursor(cursor)).toBeNull();
  });
});
