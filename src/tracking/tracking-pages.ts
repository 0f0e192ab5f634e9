// The small pages a recipient sees: the unsubscribe confirmation, the preference page and the
// result pages. Russian first, English below, like the double opt-in pages. Every value that
// comes from the base or the request is escaped; addresses are shown masked, and no customer
// id appears anywhere (the signed link alone identifies the message). Pure.

const STYLE =
  'body{font-family:-apple-system,"Segoe UI",Roboto,Arial,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1f2937;line-height:1.5}' +
  'button{font-size:1rem;padding:.7rem 1.6rem;border:0;border-radius:8px;background:#1d4ed8;color:#fff;cursor:pointer}' +
  'fieldset{border:1px solid #e5e7eb;border-radius:8px;margin:1rem 0;padding:.8rem 1rem}label{display:block;margin:.3rem 0}' +
  '.muted{color:#6b7280;font-size:.9rem}.error{color:#b91c1c}.ok{color:#047857}';

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`=]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function publicPage(title: string, body: string): string {
  return (
    `<!doctype html><html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="robots" content="noindex,nofollow"><meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>` +
    `<body>${body}</body></html>`
  );
}

/** `anna@example.com` → `a***@example.com`; `+79161234567` → `+7******4567`. */
export function maskAddress(address: string | null | undefined): string {
  if (!address) return '';
  const at = address.lastIndexOf('@');
  if (at > 0) return `${address[0]}***${address.slice(at)}`;
  if (address.length <= 6) return '***';
  return `${address.slice(0, 2)}${'*'.repeat(address.length - 6)}${address.slice(-4)}`;
}

/** GET /u/<token>: a button, because mail scanners fetch every link and must not unsubscribe anyone. */
export function unsubscribePage(input: { address: string | null; action: string; preferencesUrl: string }): string {
  const who = input.address ? ` <strong>${escapeHtml(maskAddress(input.address))}</strong>` : '';
  return publicPage(
    'Отписка от рассылки · Unsubscribe',
    `<h1>Отписаться от рассылки?</h1><p>Адрес${who} больше не будет получать наши рассылки.</p>` +
      `<p lang="en" class="muted">Unsubscribe${who} from our mailings?</p>` +
      `<form method="post" action="${escapeHtml(input.action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><input type="hidden" name="source" value="page"><button type="submit">Отписаться · Unsubscribe</button></form>` +
      `<p class="muted">Можно не отписываться совсем, а выбрать, что получать, или сделать паузу: <a href="${escapeHtml(input.preferencesUrl)}">настройки рассылок</a> · <a lang="en" href="${escapeHtml(input.preferencesUrl)}">preferences</a>.</p>`,
  );
}

export function unsubscribedPage(input: { address: string | null; already: boolean; preferencesUrl: string }): string {
  const who = input.address ? ` ${escapeHtml(maskAddress(input.address))}` : '';
  const ru = input.already ? `Адрес${who} уже был отписан.` : `Готово: адрес${who} отписан от рассылок.`;
  const en = input.already ? `The address${who} was already unsubscribed.` : `Done: the address${who} is unsubscribed.`;
  return publicPage(
    'Вы отписаны · Unsubscribed',
    `<h1>Вы отписаны</h1><p class="ok">${ru}</p><p lang="en" class="muted">${en}</p>` +
      `<p class="muted">Письма о ваших заказах продолжат приходить. Передумали? <a href="${escapeHtml(input.preferencesUrl)}">Настройки рассылок</a>.</p>`,
  );
}

export interface PreferenceChannelView {
  channel: 'email' | 'sms';
  address: string;
  subscribed: boolean;
  /** False when the page may only turn it off (an SMS opt-in needs proof the phone is theirs). */
  mayResubscribe: boolean;
}

export interface PreferencesView {
  action: string;
  csrfToken: string;
  channels: PreferenceChannelView[];
  pausedUntil: Date | null;
  pauseChoices: readonly number[];
  notice?: { kind: 'ok' | 'error'; text: string };
}

const CHANNEL_LABEL = { email: 'Email-рассылки · Email', sms: 'SMS-рассылки · SMS' } as const;

export function preferencesPage(view: PreferencesView): string {
  const notice = view.notice ? `<p class="${view.notice.kind}" role="status">${escapeHtml(view.notice.text)}</p>` : '';
  const channels = view.channels
    .map((c) => {
      const disabled = !c.subscribed && !c.mayResubscribe;
      return (
        `<label><input type="checkbox" name="${c.channel}" value="on"${c.subscribed ? ' checked' : ''}${disabled ? ' disabled' : ''}> ` +
        `${CHANNEL_LABEL[c.channel]} <span class="muted">${escapeHtml(maskAddress(c.address))}</span></label>` +
        (disabled ? `<p class="muted">Чтобы снова получать SMS, подпишитесь на сайте или в магазине.</p>` : '')
      );
    })
    .join('');
  const paused = view.pausedUntil
    ? `<p>Рассылки на паузе до ${escapeHtml(view.pausedUntil.toISOString().slice(0, 10))}. <span lang="en" class="muted">Paused until then.</span></p>`
    : '';
  // While paused, submitting the form unchanged keeps the pause.
  const current = view.pausedUntil
    ? '<option value="keep" selected>оставить паузу · keep the pause</option><option value="0">снять паузу · end the pause</option>'
    : '<option value="0">без паузы · no pause</option>';
  const choices = view.pauseChoices.map((days) => `<option value="${days}">${days} дн. · ${days} days</option>`).join('');
  return publicPage(
    'Настройки рассылок · Preferences',
    `<h1>Настройки рассылок</h1><p lang="en" class="muted">Mailing preferences</p>${notice}${paused}` +
      `<form method="post" action="${escapeHtml(view.action)}">` +
      `<input type="hidden" name="csrf" value="${escapeHtml(view.csrfToken)}">` +
      `<fieldset><legend>Что получать · What to receive</legend>${channels || '<p class="muted">Нет адресов для рассылок.</p>'}</fieldset>` +
      `<fieldset><legend>Пауза · Pause</legend><label>Не присылать рассылки <select name="pauseDays">${current}${choices}</select></label></fieldset>` +
      `<button type="submit">Сохранить · Save</button></form>` +
      `<p class="muted">Письма о ваших заказах приходят всегда. <span lang="en">Order emails are always sent.</span></p>`,
  );
}

export function messagePage(status: number, title: string, ru: string, en: string): { status: number; html: string } {
  return {
    status,
    html: publicPage(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(ru)}</p><p lang="en" class="muted">${escapeHtml(en)}</p>`),
  };
}

export const INVALID_LINK = messagePage(404, 'Ссылка недействительна', 'Ссылка неверна или повреждена.', 'This link is not valid.');
export const TOO_MANY = messagePage(
  429,
  'Слишком много запросов',
  'Подождите минуту и попробуйте снова.',
  'Too many requests: wait a minute and try again.',
);
