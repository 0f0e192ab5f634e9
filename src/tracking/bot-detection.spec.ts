import { BotDetector, type HitFacts } from './bot-detection';

const detector = new BotDetector();
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const APPLE_MPP_UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)';
const hit = (facts: Partial<HitFacts>): HitFacts => ({
  type: 'open',
  userAgent: FIREFOX,
  ip: '198.51.100.7',
  msSinceSent: 60_000,
  ...facts,
});

describe('BotDetector', () => {
  it.each<[string, Partial<HitFacts>, string | null]>([
    ['a person in a browser, a minute after sending', {}, null],
    ['a person clicking an hour later', { type: 'click', msSinceSent: 3_600_000 }, null],
    ['an open through Apple Mail Privacy Protection', { ip: '17.58.101.12', userAgent: APPLE_MPP_UA }, 'privacy_proxy'],
    ['an Apple proxy address written as IPv4-mapped IPv6', { ip: '::ffff:17.58.101.12', userAgent: APPLE_MPP_UA }, 'privacy_proxy'],
    [
      'the Gmail image proxy by its User-Agent',
      { userAgent: 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)' },
      'image_proxy',
    ],
    ['the Google proxy by its address', { ip: '66.249.84.10' }, 'image_proxy'],
    ['a Barracuda scanner by User-Agent', { type: 'click', userAgent: 'Barracuda Sentinel (EE)' }, 'scanner'],
    ['an Exchange Online Protection address', { type: 'click', ip: '40.107.22.5' }, 'scanner'],
    ['a click one second after sending', { type: 'click', msSinceSent: 1000 }, 'timing'],
    ['an open half a second after sending', { msSinceSent: 500 }, 'timing'],
    ['a HEAD probe of a link', { type: 'click', method: 'HEAD' }, 'head_request'],
    ['no User-Agent at all', { userAgent: null }, 'no_user_agent'],
    ['curl', { type: 'click', userAgent: 'curl/8.5.0' }, 'tool'],
    ['headless Chrome', { type: 'click', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/120.0' }, 'tool'],
    ['a Slack link preview', { type: 'click', userAgent: 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)' }, 'preview'],
  ])('%s', (_name, facts, kind) => {
    const verdict = detector.classify(hit(facts));
    expect(verdict.isBot ? verdict.kind : null).toBe(kind);
  });

  it('lets a click from an Apple address through: the Apple range is for opens only', () => {
    expect(detector.classify(hit({ type: 'click', ip: '17.58.101.12' })).isBot).toBe(false);
  });

  it('does not take a never-sent message (no sent time) for a timing hit', () => {
    expect(detector.classify(hit({ msSinceSent: null })).isBot).toBe(false);
  });

  it('treats the scanner window as exclusive at its end', () => {
    expect(detector.classify(hit({ type: 'click', msSinceSent: detector.scannerWindowMs })).isBot).toBe(false);
    expect(detector.classify(hit({ type: 'click', msSinceSent: detector.scannerWindowMs - 1 })).isBot).toBe(true);
  });

  it('matches IPv6 ranges', () => {
    const custom = new BotDetector({
      scannerWindowMs: 0,
      userAgents: [],
      ipRanges: [{ name: 'v6 scanner', kind: 'scanner', cidr: '2001:db8::/32' }],
    });
    expect(custom.classify(hit({ ip: '2001:db8:1::5' }))).toEqual({ isBot: true, kind: 'scanner', name: 'v6 scanner' });
    expect(custom.classify(hit({ ip: '2001:db9::5' })).isBot).toBe(false);
  });

  it.each([
    [{ scannerWindowMs: 0, userAgents: [], ipRanges: [{ name: 'x', kind: 'scanner', cidr: '10.0.0.0/33' }] }, 'ipRanges[0].cidr'],
    [{ scannerWindowMs: 0, userAgents: [], ipRanges: [{ name: 'x', kind: 'robot', cidr: '10.0.0.0/8' }] }, 'ipRanges[0].kind'],
    [{ scannerWindowMs: 0, userAgents: [{ name: 'x', kind: 'tool', pattern: '(' }], ipRanges: [] }, 'userAgents[0].pattern'],
  ])('names the bad entry of a signature file', (file, field) => {
    expect(() => new BotDetector(file)).toThrow(field);
  });
});
