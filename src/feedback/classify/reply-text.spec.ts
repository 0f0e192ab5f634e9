import { extractReplyText } from './reply-text';

describe('extractReplyText', () => {
  it.each([
    ['quoted lines', 'Yes, send it.\n\n> Do you want the catalogue?\n> Shop', 'Yes, send it.'],
    ['English attribution', 'Sounds good.\n\nOn Mon, 1 Dec 2025 at 10:00, Shop <news@shop.example> wrote:\n> offer', 'Sounds good.'],
    [
      'Russian attribution',
      'Да, интересно.\n\n1 декабря 2025 г., 10:00 пользователь Shop <news@shop.example> написал:\n> предложение',
      'Да, интересно.',
    ],
    [
      'Outlook header block',
      'Пришлите КП.\n\nFrom: Shop <news@shop.example>\nSent: Monday, December 1, 2025 10:00\nTo: Ivan\nSubject: Offer\n\nOld text',
      'Пришлите КП.',
    ],
    ['Russian Outlook block', 'Ок.\n\nОт: Shop <news@shop.example>\nОтправлено: 1 декабря 2025 г. 10:00\nКому: Иван\nТема: Акция', 'Ок.'],
    ['original message marker', 'Thanks\n-----Original Message-----\nFrom: x', 'Thanks'],
    ['signature dash line', 'Send the invoice.\n-- \nIvan Petrov\nACME', 'Send the invoice.'],
    ['Russian sign-off', 'Нужна цена на кабель.\n\nС уважением,\nИван Петров\nООО «Ромашка»\n+7 900 000 00 00', 'Нужна цена на кабель.'],
    ['mobile footer', 'Call me.\n\nSent from my iPhone', 'Call me.'],
    [
      'keeps a long letter after "Спасибо"',
      'Спасибо!\n' + 'Нам нужно 10 позиций, список ниже.\n'.repeat(10),
      'Спасибо!\n' + 'Нам нужно 10 позиций, список ниже.\n'.repeat(9) + 'Нам нужно 10 позиций, список ниже.',
    ],
    ['keeps "From:" inside a sentence-like line', 'From: the warehouse we need 5 more boxes', 'From: the warehouse we need 5 more boxes'],
  ])('%s', (_name, text, expected) => {
    expect(extractReplyText(text)).toBe(expected);
  });

  it('uses HTML when there is no plain text, cutting the Gmail quote', () => {
    expect(extractReplyText('', '<p>Send&nbsp;price</p><div class="gmail_quote">old</div>')).toBe('Send price');
  });
});
