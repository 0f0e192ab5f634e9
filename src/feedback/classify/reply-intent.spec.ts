import { detectIntent } from './reply-intent';
import intents from './rules/intents.json';
import reasons from './rules/reasons.json';

describe('detectIntent', () => {
  it.each([
    ['Пришлите, пожалуйста, счёт на оплату.', 'lead'],
    ['Вышлите коммерческое предложение на 50 шт.', 'lead'],
    ['Нужна цена на профнастил С8, 120 листов', 'lead'],
    ['Подскажите стоимость доставки в Казань', 'lead'],
    ['Хотим закупить партию, перезвоните мне', 'lead'],
    ['Please send me an invoice for the order.', 'lead'],
    ["What's the price for 1000 pcs?", 'lead'],
    ['We would like to order 20 boxes.', 'lead'],
    ['Не пишите нам больше', 'unsubscribe'],
    ['Отпишите меня от рассылки', 'unsubscribe'],
    ['Удалите мой адрес из вашей базы', 'unsubscribe'],
    ['Прекратите спам!', 'unsubscribe'],
    ['Unsubscribe', 'unsubscribe'],
    ['Stop sending me these emails.', 'unsubscribe'],
    ["Don't email me again", 'unsubscribe'],
    ['Это претензия: товар пришёл с браком.', 'complaint'],
    ['Жалоба на курьера, хамство и опоздание', 'complaint'],
    ['Верните деньги, заказ до сих пор не доставлен', 'complaint'],
    ['I want to file a complaint, the item is defective.', 'complaint'],
    ['The parcel never arrived. Refund please.', 'complaint'],
    ['Спасибо!', 'other'],
    ['Ok, noted.', 'other'],
    ['', 'other'],
  ])('%s → %s', (text, intent) => {
    expect(detectIntent(text).intent).toBe(intent);
  });

  it.each([
    ['I no longer work at ACME. Please write to john.doe@acme.example from now on.', 'john.doe@acme.example'],
    ['Ольга больше не работает в компании, пишите на zakupki@firma.example', 'zakupki@firma.example'],
    ['Наш новый адрес: info@newdomain.example', 'info@newdomain.example'],
    ['Our address has changed, please update your records: sales@new.example', 'sales@new.example'],
  ])('address change: %s', (text, address) => {
    const r = detectIntent(text, ['me@old.example']);
    expect(r.intent).toBe('address_change');
    expect(r.newAddress).toBe(address);
  });

  it('does not offer the sender or a system mailbox as the new address', () => {
    const r = detectIntent('My address has changed. Old: me@old.example, bounces go to postmaster@old.example, new: me@new.example', [
      'me@old.example',
    ]);
    expect(r.newAddress).toBe('me@new.example');
  });

  it('needs a strong phrase to call it an address change without an address', () => {
    expect(detectIntent('Он уволился.').intent).toBe('address_change');
    expect(detectIntent('Please write to us at any time').intent).toBe('other');
  });

  it('lets an explicit opt-out win over sales words in the same reply', () => {
    const r = detectIntent("Remove me from your mailing list, I don't need your price list or discounts.");
    expect(r.scores.lead).toBeGreaterThan(0);
    expect(r.intent).toBe('unsubscribe');
  });
});

describe('rule data files', () => {
  const vocabulary = new Set([
    'userunknown',
    'mailboxfull',
    'hostunknown',
    'hasmoved',
    'notaccept',
    'suspend',
    'expired',
    'filtered',
    'rejected',
    'blocked',
    'spamdetected',
    'policyviolation',
    'authfailure',
    'requireptr',
    'badreputation',
    'securityerror',
    'virusdetected',
    'contenterror',
    'mesgtoobig',
    'exceedlimit',
    'systemerror',
    'systemfull',
    'networkerror',
    'mailererror',
    'norelaying',
    'toomanyconn',
    'speeding',
    'onhold',
    'syntaxerror',
    'notcompliantrfc',
    'undefined',
  ]);

  it('reasons.json: every pattern compiles and names a known reason', () => {
    for (const entry of reasons.patterns) {
      expect(vocabulary.has(entry.reason)).toBe(true);
      for (const m of entry.match) expect(() => new RegExp(m, 'i')).not.toThrow();
    }
    for (const reason of Object.values(reasons.status)) expect(vocabulary.has(reason)).toBe(true);
    for (const code of reasons.statusFirst) expect(Object.keys(reasons.status)).toContain(code);
  });

  it('intents.json: every rule compiles, has a positive weight and a listed intent', () => {
    expect(Object.keys(intents.intents).sort()).toEqual([...intents.priority].sort());
    for (const rules of Object.values(intents.intents)) {
      for (const r of rules) {
        expect(() => new RegExp(r.match, 'i')).not.toThrow();
        expect(r.weight).toBeGreaterThan(0);
      }
    }
  });
});
