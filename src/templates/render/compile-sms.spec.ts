import { compileSms, tidySms } from './compile-sms';
import type { RenderContext } from './render-context';
import { TemplateCompileError } from './template-issue';

const context: RenderContext = {
  customer: { firstName: 'Emily', locale: 'en-GB', timeZone: 'Europe/London' },
  order: { number: 'A-1', trackingNumber: 'RA1', deliveryFrom: '2026-03-12T09:00:00Z', deliveryTo: '2026-03-14T09:00:00Z' },
};

describe('compileSms', () => {
  it('renders tidy text with a length report, preferring GSM-7 over typography', () => {
    const sms = compileSms({
      text: 'Hi {{firstName}},  order {{order.number}} ships\n{{#if order.carrier}}with {{order.carrier}}{{/if}}\nDelivery {{dateRange order.deliveryFrom order.deliveryTo}} <&>',
      locale: 'en',
    });
    const out = sms.render(context);
    expect(out.text).toBe('Hi Emily, order A-1 ships\nDelivery 12-14 March <&>');
    expect(out.length).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    const typographic = compileSms({
      text: 'Delivery {{dateRange order.deliveryFrom order.deliveryTo}}',
      locale: 'en',
      preferGsm7: false,
    }).render(context);
    expect(typographic.text).toBe('Delivery 12–14 March');
    expect(typographic.length.encoding).toBe('UCS-2');
  });

  it('warns when a render exceeds the segment limit', () => {
    const sms = compileSms({ text: '{{data.text}}', maxSegments: 1 });
    expect(sms.render({ customer: {}, data: { text: 'ж'.repeat(70) } }).warnings).toEqual([]);
    const long = sms.render({ customer: {}, data: { text: 'ж'.repeat(71) } });
    expect(long.length.segments).toBe(2);
    expect(long.warnings).toEqual([expect.stringMatching(/2 segments, limit is 1/)]);
  });

  it('rejects invalid templates', () => {
    expect(() => compileSms({ text: 'Hi {{#if x}}' })).toThrow(TemplateCompileError);
    expect(() => compileSms({ text: '  ' })).toThrow(/needs text/);
  });

  it.each([
    ['a  b\t c', 'a b c'],
    [' line one \n\n\n line two ', 'line one\nline two'],
  ])('tidies %p', (input, expected) => {
    expect(tidySms(input)).toBe(expected);
  });
});
