import { campaignRates, fillSeries, MAX_BUCKETS, pickInterval, ratio, type CampaignCounts } from './report-maths';

const zero: CampaignCounts = {
  audience: 0,
  sent: 0,
  delivered: 0,
  deliveryConfirmed: 0,
  softBounced: 0,
  hardBounced: 0,
  openedUnique: 0,
  opensTotal: 0,
  botOpens: 0,
  clickedUnique: 0,
  clicksTotal: 0,
  botClicks: 0,
  unsubscribed: 0,
  complained: 0,
  reclamations: 0,
  replied: 0,
  leads: 0,
  suppressed: 0,
  skipped: 0,
  failed: 0,
  cancelled: 0,
  pending: 0,
};

describe('ratio', () => {
  it.each([
    [1, 3, 0.3333],
    [2, 3, 0.6667],
    [5, 5, 1],
    [0, 7, 0],
    [3, 0, null],
  ])('%i / %i = %p', (part, whole, expected) => {
    expect(ratio(part, whole)).toBe(expected);
  });
});

describe('campaignRates', () => {
  it('divides bounces by sent, and what recipients did by delivered and by opens', () => {
    const counts = {
      ...zero,
      sent: 100,
      delivered: 90,
      softBounced: 4,
      hardBounced: 6,
      openedUnique: 45,
      clickedUnique: 9,
      unsubscribed: 2,
      complained: 1,
      replied: 3,
    };
    expect(campaignRates(counts, 6)).toEqual({
      deliveryRate: 0.9,
      bounceRate: 0.1,
      openRate: 0.5,
      clickRate: 0.1,
      clickToOpenRate: 0.2,
      unsubscribeRate: 0.0222,
      complaintRate: 0.0111,
      replyRate: 0.0333,
      conversionRate: 0.0667,
    });
  });

  it('gives null rates, not NaN, for a campaign that sent nothing yet', () => {
    expect(Object.values(campaignRates(zero, 0)).every((rate) => rate === null)).toBe(true);
  });
});

describe('pickInterval', () => {
  it('uses hours for a campaign sent within three days, days after that', () => {
    const start = new Date('2026-11-01T00:00:00Z');
    expect(pickInterval(start, new Date('2026-11-04T00:00:00Z'))).toBe('hour');
    expect(pickInterval(start, new Date('2026-11-04T00:00:01Z'))).toBe('day');
    expect(pickInterval(null, null)).toBe('hour');
  });
});

describe('fillSeries', () => {
  it('fills the empty buckets between the first and the last with zeros', () => {
    const rows = [
      { bucket: '2026-11-23T10:00', series: 'sent' as const, count: 5 },
      { bucket: '2026-11-23T13:00', series: 'opens' as const, count: 2 },
      { bucket: '2026-11-23T10:00', series: 'opens' as const, count: 1 },
    ];
    expect(fillSeries(rows, ['sent', 'opens'], 'hour')).toEqual([
      { bucket: '2026-11-23T10:00', sent: 5, opens: 1 },
      { bucket: '2026-11-23T11:00', sent: 0, opens: 0 },
      { bucket: '2026-11-23T12:00', sent: 0, opens: 0 },
      { bucket: '2026-11-23T13:00', sent: 0, opens: 2 },
    ]);
  });

  it('steps days across a month end, and stops at MAX_BUCKETS', () => {
    const days = fillSeries(
      [
        { bucket: '2026-11-29T00:00', series: 'sent', count: 1 },
        { bucket: '2026-12-02T00:00', series: 'sent', count: 1 },
      ],
      ['sent'],
      'day',
    );
    expect(days.map((d) => d.bucket)).toEqual(['2026-11-29T00:00', '2026-11-30T00:00', '2026-12-01T00:00', '2026-12-02T00:00']);
    const long = fillSeries(
      [
        { bucket: '2020-01-01T00:00', series: 'sent', count: 1 },
        { bucket: '2026-01-01T00:00', series: 'sent', count: 1 },
      ],
      ['sent'],
      'hour',
    );
    expect(long).toHaveLength(MAX_BUCKETS);
  });

  it('is empty for no rows', () => {
    expect(fillSeries([], ['sent'], 'day')).toEqual([]);
  });
});
