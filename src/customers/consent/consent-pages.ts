// The small HTML pages a customer sees after clicking the double opt-in link. The link opens a
// page with a button and only the button (a POST) confirms: mail scanners that fetch every link
// in a message must not confirm on the customer's behalf.
import type { ConfirmOutcome } from './consent.service';

const STYLE =
  'body{font-family:-apple-system,"Segoe UI",Roboto,Arial,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2937}button{font-size:1rem;padding:.7rem 1.6rem;border:0;border-radius:8px;background:#1d4ed8;color:#fff;cursor:pointer}';

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${title}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page the link opens: one button that confirms. */
export function confirmFormPage(token: string): string {
  return page(
    'Подтверждение подписки · Confirm subscription',
    `<h1>Подтвердите подписку</h1><p>Нажмите кнопку, чтобы подтвердить, что хотите получать наши письма.</p><p lang="en">Press the button to confirm that you want to receive our emails.</p>` +
      `<form method="post" action="${escapeHtml(token)}"><button type="submit">Подтвердить · Confirm</button></form>`,
  );
}

const RESULTS: Record<ConfirmOutcome['result'], { status: number; title: string; ru: string; en: string }> = {
  confirmed: {
    status: 200,
    title: 'Подписка подтверждена',
    ru: 'Спасибо! Подписка подтверждена.',
    en: 'Thank you, your subscription is confirmed.',
  },
  already_confirmed: {
    status: 200,
    title: 'Подписка уже подтверждена',
    ru: 'Подписка уже была подтверждена.',
    en: 'Your subscription was already confirmed.',
  },
  expired: {
    status: 410,
    title: 'Ссылка устарела',
    ru: 'Срок действия ссылки истёк. Подпишитесь ещё раз, и мы пришлём новую.',
    en: 'This link has expired. Subscribe again and we will send a new one.',
  },
  address_changed: {
    status: 410,
    title: 'Ссылка больше не действует',
    ru: 'Адрес, на который пришло письмо, изменился, поэтому ссылка больше не действует.',
    en: 'The address this link was sent to has changed, so the link no longer works.',
  },
  invalid: { status: 404, title: 'Ссылка не найдена', ru: 'Ссылка неверна или повреждена.', en: 'This link is not valid.' },
};

export function confirmResultPage(outcome: ConfirmOutcome): { status: number; html: string } {
  const r = RESULTS[outcome.result];
  return { status: r.status, html: page(r.title, `<h1>${r.title}</h1><p>${r.ru}</p><p lang="en">${r.en}</p>`) };
}
