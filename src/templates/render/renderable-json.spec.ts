import { compileSms } from './compile-sms';
import { renderableContext, renderableJson } from './renderable-json';
import { sampleContext } from './sample-context';

describe('renderableJson', () => {
  it('returns clean values as they are, without copying', () => {
    const data = { promo: 'X1', products: [{ name: 'a', price: 10 }], when: new Date(0), nothing: null };
    expect(renderableJson(data)).toBe(data);
    expect(renderableJson('text')).toBe('text');
  });

  it('drops own toString/valueOf/toJSON keys that are not functions, at any depth, and caches', () => {
    const bad = JSON.parse('{"a":{"toString":null,"x":1},"list":[{"valueOf":{}},2],"toJSON":"y","ok":{"b":1}}');
    const clean = renderableJson(bad);
    expect(clean).toEqual({ a: { x: 1 }, list: [{}, 2], ok: { b: 1 } });
    expect(clean.ok).toBe(bad.ok);
    expect(renderableJson(bad)).toBe(clean);
    const proto = JSON.parse('{"__proto__":{"toString":1}}');
    expect(Object.keys(renderableJson(proto))).toEqual(['__proto__']);
  });

  it('lets a template render data that would have thrown "Cannot convert object to primitive value"', () => {
    const context = { ...sampleContext('ru'), data: JSON.parse('{"promoCode":{"toString":null},"price":{"valueOf":1,"toString":2}}') };
    const sms = compileSms({ text: '{{data.promoCode}} {{money data.price}} {{upper data.promoCode}} ok' });
    expect(sms.render(context).text).toBe('[object Object] [OBJECT OBJECT] ok');
    const clean = sampleContext('en');
    expect(renderableContext(clean)).toBe(clean);
  });
});
