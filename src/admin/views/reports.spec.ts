// The "why" of a bounce on the admin report: rule, status and matched line, escaped.
import { bounceWhy } from './reports';

describe('bounceWhy', () => {
  it('shows the rule, the status and the matched line, HTML-escaped', () => {
    const out = bounceWhy({ rule: 'text:userunknown', status: '5.1.1', matchedLine: '550 5.1.1 <ann@client.example>: User unknown' }).value;
    expect(out).toContain('<code>text:userunknown</code> · 5.1.1');
    expect(out).toContain('&#60;ann@client.example&#62;: User unknown');
    expect(out).not.toContain('<ann@');
  });

  it('prints a dash for a bounce recorded before evidence was kept, and tolerates odd JSON', () => {
    expect(bounceWhy(null).value).toContain('—');
    expect(bounceWhy({ rule: 42, matchedLine: ['x'] }).value).toContain('<code>?</code>');
  });
});
