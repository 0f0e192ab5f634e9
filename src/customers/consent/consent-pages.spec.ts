import { confirmFormPage, confirmResultPage } from './consent-pages';

describe('consent pages', () => {
  it('puts a POST button on the link page, the token escaped', () => {
    const html = confirmFormPage('abc.def"<x>');
    expect(html).toContain('<form method="post" action="abc.def&#34;&#60;x&#62;">');
    expect(html).toContain('<meta name="robots" content="noindex">');
  });

  it.each([
    [{ result: 'confirmed', customerId: 1 }, 200, 'Подписка подтверждена'],
    [{ result: 'already_confirmed', customerId: 1 }, 200, 'уже была подтверждена'],
    [{ result: 'expired' }, 410, 'Срок действия ссылки истёк'],
    [{ result: 'address_changed' }, 410, 'изменился'],
    [{ result: 'invalid' }, 404, 'Ссылка неверна'],
  ] as const)('%p → %i', (outcome, status, text) => {
    const page = confirmResultPage(outcome);
    expect(page.status).toBe(status);
    expect(page.html).toContain(text);
  });
});
