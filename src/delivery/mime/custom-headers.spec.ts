import { customHeaderProblem, mergeCustomHeaders, ownedHeader, renderCustomHeaders, storedCustomHeaders } from './custom-headers';

describe('custom headers', () => {
  it('refuses the headers Otklik writes, whatever their case', () => {
    for (const name of [
      'From',
      'subject',
      'Message-ID',
      'List-Id',
      'list-unsubscribe-post',
      'Feedback-ID',
      'DKIM-Signature',
      'Return-Path',
      'MIME-Version',
      'Content-Type',
      'X-Otklik-Message',
    ])
      expect(ownedHeader(name)).toBe(true);
    for (const name of ['X-Postmaster-Msgtype', 'X-Campaign', 'Organization']) expect(ownedHeader(name)).toBe(false);
    expect(customHeaderProblem('To', 'x')).toBe('To is written by Otklik itself and cannot be set');
  });

  it('refuses bad names, multi-line values and broken templates', () => {
    expect(customHeaderProblem('X Campaign', 'x')).toMatch(/is not a header name/);
    expect(customHeaderProblem('X-A:b', 'x')).toMatch(/is not a header name/);
    expect(customHeaderProblem('X-A', 'a\r\nBcc: x@evil.example')).toBe('X-A: the value must be one line');
    expect(customHeaderProblem('X-A', '{{#if x}}')).toMatch(/^X-A: /);
    expect(customHeaderProblem('X-A', '{{campaign.name}}')).toBeNull();
  });

  it('renders with the context, on one line, leaving empty values out', () => {
    const context = { campaign: { id: 1, name: 'Sale\n  now' }, customer: { firstName: 'Ann' } } as never;
    expect(
      renderCustomHeaders({ 'X-Type': '{{campaign.name}}', 'X-Who': '{{customer.firstName}}', 'X-Empty': '{{data.none}}' }, context),
    ).toEqual({
      'X-Type': 'Sale now',
      'X-Who': 'Ann',
    });
  });

  it('merges without case, the later source winning, and drops stored rows that no longer pass', () => {
    expect(mergeCustomHeaders({ 'X-Type': 'a', 'X-Keep': 'k' }, { 'x-type': 'b' })).toEqual({ 'X-Keep': 'k', 'x-type': 'b' });
    expect(storedCustomHeaders({ From: 'x', 'X-Ok': 'y', 'X-N': 3 })).toEqual({ 'X-Ok': 'y' });
    expect(storedCustomHeaders(null)).toEqual({});
  });
});
