// The customer card's timeline sentences and form problems, in Russian and English.
import { customerIssueText, money, timelineSentence } from './customers';
import { ui } from './layout';

const ru = ui(null);
const en = ui({ locale: 'en', timeZone: 'Europe/Moscow' } as Parameters<typeof ui>[0]);
const at = new Date('2026-03-12T11:05:00Z');
const say = (item: Record<string, unknown>, u = ru) => timelineSentence(u, { at, type: 'x', ...item } as never).value;

describe('timeline sentences', () => {
  it.each<[string, Record<string, unknown>, string]>([
    [
      'a campaign email, its name linking to the campaign',
      { type: 'message', channel: 'email', status: 'delivered', campaignId: 3, campaignName: 'Весна' },
      'Письмо <a href="/admin/campaigns/3">«Весна»</a> доставлено',
    ],
    [
      'a transactional SMS named by its template',
      { type: 'message', channel: 'sms', status: 'sent', templateName: 'Код' },
      'SMS «Код» отправлено',
    ],
    ['an email with no name', { type: 'message', channel: 'email', status: 'queued' }, 'Письмо в очереди'],
    ['an open by a bot', { type: 'open', campaignName: 'Весна', isBot: true }, 'Письмо «Весна» открыто <span class="muted">(робот)</span>'],
    [
      'a click',
      { type: 'click', url: 'https://shop.example/a', campaignName: 'Весна' },
      'Переход по ссылке https://shop.example/a из письма «Весна»',
    ],
    ['a hard bounce', { type: 'bounce', hard: true, reason: 'userunknown' }, 'Письмо не доставлено (постоянная ошибка): нет такого ящика'],
    [
      'an order in roubles, whole',
      { type: 'order', externalId: 'A-1', total: '5400.00', currency: 'RUB', status: 'paid' },
      'Заказ №A-1 на 5\u00a0400\u00a0₽: оплачен',
    ],
    ['an order with kopecks', { type: 'order', total: '99.5', currency: 'RUB', status: 'created' }, 'Заказ на 99,50\u00a0₽: создан'],
    [
      'a consent given, with its source',
      { type: 'consent', channel: 'email', status: 'opted_in', source: 'checkout' },
      'Согласие на письма: дано (источник: checkout)',
    ],
    [
      'a consent withdrawn, with proof',
      { type: 'consent', channel: 'sms', status: 'opted_out', source: 'вручную', proofIp: '10.0.0.1', proofForm: 'звонок' },
      'Согласие на SMS: отозвано (источник: вручную; подтверждение: 10.0.0.1, звонок)',
    ],
    ['a customer event', { type: 'event', name: 'cart_abandoned' }, 'Событие «cart_abandoned»'],
    [
      'an entry of an unknown kind, with its details',
      { type: 'visit', page: '/sale', id: '9' },
      'Запись «visit» <span class="muted">(page: /sale)</span>',
    ],
  ])('%s', (_why, item, expected) => {
    expect(say(item)).toBe(expected);
  });

  it('escapes what came from outside: a campaign name, a URL, a reply subject', () => {
    expect(say({ type: 'message', channel: 'email', status: 'sent', campaignName: '<b>x</b>' })).toContain('«&#60;b&#62;x&#60;/b&#62;»');
    expect(say({ type: 'reply', subject: '<script>' })).toBe('Ответ клиента: «&#60;script&#62;»');
  });

  it('speaks English to an English user', () => {
    expect(say({ type: 'consent', channel: 'sms', status: 'opted_out', source: 'by hand' }, en)).toBe(
      'Consent to SMS: withdrawn (source: by hand)',
    );
    expect(money(en, '5400', 'RUB')).toBe('RUB\u00a05,400');
  });
});

describe('customer form problems', () => {
  it.each<[string, { path: string; message: string }, string]>([
    ['an email without @', { path: 'email', message: 'invalid email: no @ sign' }, '«Эл. почта»: нет знака @'],
    [
      'a phone with letters',
      { path: 'phone', message: 'invalid phone: contains letters or symbols' },
      '«Телефон»: в номере буквы или лишние символы',
    ],
    [
      'a birthday in the future',
      { path: 'birthday', message: 'invalid birthday: before 1900 or in the future' },
      '«День рождения»: раньше 1900 года или в будущем',
    ],
    ['an email taken', { path: 'email', message: 'already used by customer 12' }, '«Эл. почта»: уже есть у клиента №12'],
    [
      'a person as company',
      { path: 'companyId', message: 'customer 4 is a person, not a company' },
      '«Компания»: карточка №4 — человек, а не компания',
    ],
    [
      'a long name',
      { path: 'lastName', message: 'Too big: expected string to have <=255 characters' },
      '«Фамилия»: не длиннее 255 символов',
    ],
    [
      'a tag, named by the tags field',
      { path: 'tags.3', message: 'Too big: expected string to have <=64 characters' },
      '«Метки»: не длиннее 64 символов',
    ],
    ['an attribute row', { path: 'attributes.city', message: 'named twice' }, '«Дополнительные поля (city)»: название повторяется'],
  ])('%s', (_why, issue, expected) => {
    expect(customerIssueText(ru, issue)).toBe(expected);
  });
});
