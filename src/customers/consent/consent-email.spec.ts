import { renderConfirmationEmail } from './consent-email';

describe('renderConfirmationEmail', () => {
  const confirmUrl = 'https://mail.example.com/consent/confirm/abc.def';

  it('renders the Russian variant for a Russian customer, with the link', async () => {
    const email = await renderConfirmationEmail({ customer: { firstName: 'Анна', email: 'anna@mail.ru', locale: 'ru' }, confirmUrl, brandName: 'Вектор' });
    expect(email.locale).toBe('ru');
    expect(email.subject).toBe('Подтвердите подписку на рассылку Вектор');
    expect(email.html).toContain('href="https://mail.example.com/consent/confirm/abc.def"');
    expect(email.html).toContain('Добро пожаловать, Анна!');
    expect(email.text).toContain(confirmUrl);
  });

  it('picks English for an English customer and falls back to Russian for an unknown language', async () => {
    const en = await renderConfirmationEmail({ customer: { email: 'jo@example.com', locale: 'en-GB' }, confirmUrl, brandName: 'Vector' });
    expect(en.locale).toBe('en');
    expect(en.subject).toBe('Please confirm your subscription to Vector');
    const de = await renderConfirmationEmail({ customer: { email: 'jo@example.de', locale: 'de' }, confirmUrl, brandName: 'Vector' });
    expect(de.locale).toBe('ru');
  });
});
