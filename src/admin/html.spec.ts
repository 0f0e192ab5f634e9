import { html } from './html';
import { hashPassword, verifyPassword, generatePassword } from './password';
import { lineChart, niceCeiling } from './svg-chart';

describe('html tagged template', () => {
  it('escapes interpolated values but not the template or SafeHtml', () => {
    const name = `<script>alert("x")</script>`;
    const out = html`<p title="${name}">${name}</p>
      ${html`<b>ok</b>`}`.value;
    expect(out).not.toContain('<script>');
    expect(out).toContain('&#60;script&#62;alert(&#34;x&#34;)');
    expect(out).toContain('<b>ok</b>');
  });

  it('joins arrays, drops null/undefined/false, prints numbers and dates', () => {
    expect(html`${[html`<i>${'a&b'}</i>`, 'c<']}${null}${undefined}${false}${0}`.value).toBe('<i>a&#38;b</i>c&#60;0');
    expect(html`${new Date('2026-01-02T03:04:05Z')}`.value).toBe('2026-01-02T03:04:05.000Z');
  });
});

describe('passwords', () => {
  it('verifies the right password and refuses a wrong one or a foreign hash', async () => {
    const password = generatePassword();
    const stored = await hashPassword(password);
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(stored).not.toContain(password);
    expect(await verifyPassword(password, stored)).toBe(true);
    expect(await verifyPassword(password + 'x', stored)).toBe(false);
    expect(await verifyPassword(password, 'sha256$abc')).toBe(false);
    expect(await hashPassword(password)).not.toEqual(stored);
  });
});

describe('svg chart', () => {
  it.each([
    [0, 1],
    [1, 1],
    [3, 5],
    [7, 10],
    [11, 20],
    [120, 200],
    [501, 1000],
  ])('nice ceiling of %p is %p', (v, e) => expect(niceCeiling(v)).toBe(e));

  it('draws one polyline per series with escaped labels', () => {
    const svg = lineChart(
      'Sent <per> day',
      ['2026-11-01', '2026-11-02'],
      [
        { name: 'sent', color: '#1d4ed8', values: [3, 7] },
        { name: 'x"y', color: '#059669', values: [0, 1] },
      ],
    ).value;
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('Sent &#60;per&#62; day');
    expect(svg).not.toContain('x"y');
    expect(svg).toContain('>10<'); // y axis top for a max of 7
  });

  it('one bucket is drawn as one bar per series with its value, not as loose dots', () => {
    const svg = lineChart(
      'Одна точка',
      ['7 дек.'],
      [
        { name: 'sent', color: '#1d4ed8', values: [4] },
        { name: 'opens', color: '#059669', values: [1] },
      ],
    ).value;
    expect(svg).not.toContain('<polyline');
    expect(svg).not.toContain('<circle');
    expect(svg.match(/<rect\s+x=/g)).toHaveLength(2);
    expect(svg).toMatch(/text-anchor="middle">4</);
  });
});
