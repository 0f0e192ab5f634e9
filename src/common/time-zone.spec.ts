import { isTimeZone } from './time-zone';

describe('isTimeZone', () => {
  it.each([
    ['Europe/Moscow', true, 'an IANA name'],
    ['Asia/Vladivostok', true, 'an IANA name'],
    ['UTC', true, 'UTC is a zone name'],
    ['Etc/GMT-14', true, 'a fixed-offset zone by name'],
    ['Mars/Olympus', false, 'unknown'],
    ['+03:00', false, 'an offset: PostgreSQL would read it as UTC−3'],
    ['-05:00', false, 'an offset'],
    ['', false, 'empty'],
  ])('%s → %s (%s)', (value, expected, _why) => {
    expect(isTimeZone(value)).toBe(expected);
  });
});
