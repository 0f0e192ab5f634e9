// Reply intents on whole messages: each intent in Russian and English, polite and curt, each
// with quoted history and a signature whose words (unsubscribe, invoice, complaints …) must
// not count. The rule that decided is kept as evidence.
import { QUOTED, reply, SIGNATURE } from './__fixtures__/messages';
import { classifyMessage } from './classify-message';
import type { ReplyIntent } from './types';

type Row = [string, string, ReplyIntent, string | null, string];

const ROWS: Row[] = [
  // [why, body, intent, newAddress, rule the evidence must name]
  [
    'RU polite price request',
    'Добрый день!\nПришлите, пожалуйста, цену на кабель ВВГ 3х2,5 — нужно 500 метров.',
    'lead',
    null,
    'reply:lead/price-request',
  ],
  ['RU polite "could you send the price list"', 'Не могли бы вы выслать прайс на насосы?', 'lead', null, 'reply:lead/price-request'],
  ['RU curt invoice request', 'Можно счёт?', 'lead', null, 'reply:lead/invoice-request'],
  [
    'RU polite invoice request',
    'Будьте добры, выставьте счёт на 12 коробок, реквизиты во вложении.',
    'lead',
    null,
    'reply:lead/invoice-request',
  ],
  ['RU meeting request', 'Давайте созвонимся во вторник после обеда, обсудим поставку.', 'lead', null, 'reply:lead/meeting-request'],
  [
    'EN polite price request',
    'Hello,\nCould you please send me the price list for the garden pumps?',
    'lead',
    null,
    'reply:lead/polite-send',
  ],
  ['EN "would you mind sending"', 'Would you mind sending the price list for next season?', 'lead', null, 'reply:lead/polite-send'],
  ['EN curt invoice', 'Invoice, please.', 'lead', null, 'reply:lead/invoice-en'],
  ['EN meeting request', 'Can we schedule a call next week to go through the offer?', 'lead', null, 'reply:lead/meeting-request'],
  ['RU delivery complaint', 'Заказ №1832 до сих пор не пришёл, прошло три недели.', 'complaint', null, 'reply:complaint/'],
  ['RU quality complaint', 'Качество просто ужасное: куртка порвалась после первой стирки.', 'complaint', null, 'reply:complaint/quality'],
  ['RU billing complaint', 'С карты списали дважды за один и тот же заказ, разберитесь.', 'complaint', null, 'reply:complaint/billing'],
  [
    'EN delivery complaint',
    'My order is three weeks late and the parcel is still not here.',
    'complaint',
    null,
    'reply:complaint/delivery',
  ],
  ['EN quality complaint', 'The quality is poor: half of the mugs arrived scratched.', 'complaint', null, 'reply:complaint/quality'],
  ['EN billing complaint', 'You charged me twice for the same order.', 'complaint', null, 'reply:complaint/billing'],
  ['RU curt stop', 'Отпишите.', 'unsubscribe', null, 'reply:unsubscribe/'],
  ['RU polite stop', 'Пожалуйста, не присылайте больше ваши письма на этот адрес.', 'unsubscribe', null, 'reply:unsubscribe/'],
  ['EN curt stop', 'STOP', 'unsubscribe', null, 'reply:unsubscribe/curt-stop'],
  ['EN polite stop', 'Could you please unsubscribe me from this list? Thank you.', 'unsubscribe', null, 'reply:unsubscribe/'],
  [
    'RU new address',
    'Мой новый адрес: s.ivanova@newco.example, старый скоро закроют.',
    'address_change',
    's.ivanova@newco.example',
    'reply:address_change/',
  ],
  [
    'EN moved',
    'I have moved to tom.b@newco.example, please write there.',
    'address_change',
    'tom.b@newco.example',
    'reply:address_change/moved-to',
  ],
  [
    'EN use instead',
    'Please use procurement@client.example instead of my personal address.',
    'address_change',
    'procurement@client.example',
    'reply:address_change/use-instead',
  ],
  ['RU thanks is nothing', 'Спасибо, получили.', 'other', null, ''],
  ['EN thanks is nothing', 'Thanks, noted.', 'other', null, ''],
];

describe('reply intents (quoted history and signature ignored)', () => {
  it.each(
    ROWS.flatMap(
      ([why, body, intent, newAddress, rule]): Array<[string, string, ReplyIntent, string | null, string, 'en' | 'ru' | 'outlook']> => [
        [`${why} / quoted reply`, body, intent, newAddress, rule, /[а-я]/i.test(body) ? 'ru' : 'en'],
        [`${why} / Outlook history`, body, intent, newAddress, rule, 'outlook'],
      ],
    ),
  )('%s', (_why, body, intent, newAddress, rule, style) => {
    const signature = style === 'ru' ? SIGNATURE.ru : style === 'en' ? SIGNATURE.en : SIGNATURE.dashes;
    const c = classifyMessage(reply({ from: 'buyer@client.example', body, quoted: QUOTED[style], signature }));
    expect(c.kind).toBe('reply');
    expect([c.intent, c.newAddress]).toEqual([intent, newAddress]);
    if (rule) expect(c.intentEvidence?.map((e) => e.rule).some((r) => r.startsWith(rule))).toBe(true);
    else expect(c.intentEvidence).toEqual([]);
  });

  it('the words of the quoted history and the signature alone are "other"', () => {
    const c = classifyMessage(reply({ from: 'buyer@client.example', body: 'Ок.', quoted: QUOTED.ru, signature: SIGNATURE.dashes }));
    expect(c.intent).toBe('other');
  });
});
