import { checkSenderDns, organisationalDomain, type TxtResolver } from './sender-dns';

/** A stub DNS: name → TXT records; a name mapped to an Error fails with it. */
function stub(zone: Record<string, string[] | Error>): TxtResolver {
  return {
    resolveTxt: (name) => {
      const answer = zone[name];
      if (answer instanceof Error) return Promise.reject(answer);
      if (!answer) return Promise.reject(Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' }));
      // Long records come back split in 255-character strings.
      return Promise.resolve(answer.map((r) => [r.slice(0, 10), r.slice(10)]));
    },
  };
}

const KEY = { name: 's1._domainkey.shop.example', value: 'v=DKIM1; k=rsa; p=MIIBKEY' };
const INPUT = { fromDomain: 'shop.example', bounceDomain: 'bounces.shop.example', spfInclude: '_spf.relay.example', dkim: [KEY] };

describe('checkSenderDns', () => {
  it('finds everything in place and aligned', async () => {
    const report = await checkSenderDns(
      INPUT,
      stub({
        'bounces.shop.example': ['v=spf1 include:_spf.relay.example ~all', 'google-site-verification=x'],
        's1._domainkey.shop.example': ['v=DKIM1; k=rsa; p=MIIB KEY'],
        '_dmarc.shop.example': ['v=DMARC1; p=quarantine; rua=mailto:d@shop.example'],
      }),
    );
    expect(report.records.map((r) => [r.kind, r.status])).toEqual([
      ['spf', 'ok'],
      ['dkim', 'ok'],
      ['dmarc', 'ok'],
    ]);
    expect(report.records[2].detail).toBe('policy quarantine');
    expect(report).toMatchObject({ spfAligned: true, dkimAligned: true, dmarcReady: true });
  });

  it('says what is missing or wrong, with what to publish', async () => {
    const report = await checkSenderDns(
      { ...INPUT, bounceDomain: 'bounces.other.example' },
      stub({ 'bounces.other.example': ['v=spf1 mx -all'], 's1._domainkey.shop.example': ['v=DKIM1; p=OTHER'] }),
    );
    expect(report.records).toEqual([
      expect.objectContaining({ kind: 'spf', status: 'mismatch', publish: 'v=spf1 include:_spf.relay.example ~all' }),
      expect.objectContaining({ kind: 'dkim', status: 'mismatch', publish: KEY.value }),
      expect.objectContaining({ kind: 'dmarc', status: 'missing', name: '_dmarc.shop.example' }),
    ]);
    expect(report).toMatchObject({ spfAligned: false, dkimAligned: false, dmarcReady: false });
  });

  it('reports DNS that does not answer as unknown, and a sender without a key', async () => {
    const report = await checkSenderDns(
      { ...INPUT, dkim: [] },
      stub({
        'bounces.shop.example': Object.assign(new Error('timeout'), { code: 'ETIMEOUT' }),
        '_dmarc.shop.example': ['v=DMARC1; p=none'],
      }),
    );
    expect(report.records.map((r) => [r.kind, r.status])).toEqual([
      ['spf', 'unknown'],
      ['dkim', 'missing'],
      ['dmarc', 'ok'],
    ]);
    expect(report.dmarcReady).toBe(false);
  });

  it('reads the organisational domain', () => {
    expect(organisationalDomain('bounces.mail.shop.example')).toBe('shop.example');
    expect(organisationalDomain('news.shop.co.uk')).toBe('shop.co.uk');
  });
});
