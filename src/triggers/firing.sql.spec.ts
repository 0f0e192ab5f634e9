import { fireStatement, firingMessageKey, SqlParams } from './firing.sql';

const placeholders = (sql: string) => [...new Set([...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);

describe('fireStatement', () => {
  const now = new Date('2026-11-23T06:00:00Z');

  it('numbers its own, the segment and the reachability parameters in one sequence', () => {
    const q = fireStatement({
      triggerId: 7,
      now,
      channels: ['sms', 'email'],
      consent: 'opted_in',
      segment: { field: 'tags', op: 'has', value: 'vip' },
      where: (p) => `c.birthday = ANY(${p.add(['1990-11-23'], '::date[]')})`,
      occurrenceKey: (p) => p.add('2026-11-23', '::text'),
    });
    expect(placeholders(q.sql)).toEqual(q.params.map((_v, i) => i + 1));
    expect(q.params).toEqual(expect.arrayContaining(['2026-11-23', ['1990-11-23'], 'vip', 7, 'opted_in', 'no reachable channel']));
    // the first reachable channel in the trigger's order wins
    expect(q.sql.indexOf("THEN 'sms'")).toBeLessThan(q.sql.indexOf("THEN 'email'"));
    expect(q.sql).toContain('ON CONFLICT (trigger_id, customer_id, occurrence_key) DO NOTHING');
    expect(q.sql).toContain('c.erased_at IS NULL');
  });

  it('service messages only skip customers who opted out', () => {
    const q = fireStatement({
      triggerId: 1,
      now,
      channels: ['email'],
      consent: 'not_opted_out',
      segment: null,
      where: () => 'TRUE',
      occurrenceKey: (p) => p.add('k'),
    });
    expect(q.sql).toMatch(/NOT EXISTS \(SELECT 1 FROM consents/);
    expect(q.params).toContain('opted_out');
  });
});

describe('firingMessageKey', () => {
  // Stored rows carry this key: a changed format would let an old firing get a second message.
  it('keeps the format stored rows carry, one key per firing', () => {
    expect(firingMessageKey(42)).toBe('trigger-firing:42');
    expect(firingMessageKey(42)).not.toBe(firingMessageKey(4));
  });
});

describe('SqlParams', () => {
  it('stores instants as UTC timestamps', () => {
    const p = new SqlParams();
    expect(p.utc(new Date('2026-01-01T00:00:00Z'))).toBe("($1::timestamptz AT TIME ZONE 'UTC')");
    expect(p.values).toEqual(['2026-01-01T00:00:00.000Z']);
  });
});
