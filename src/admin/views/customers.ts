// Customers: the search list, and the card — the editable fields, consent per channel with its
// proof and a form to change it, orders and scoring as words, a company's contacts, the timeline
// written as sentences, and the personal-data export and erasure.
import type { FieldIssue } from '../../common/domain-error';
import { phoneForDisplay } from '../../customers/contact-normalise';
import { BIRTHDAY_REASONS, EMAIL_REASONS, LOCALE_REASONS, PHONE_REASONS, TIME_ZONE_REASONS } from '../../customers/csv/issue-messages';
import type { AdminSession } from '../admin-auth.service';
import { issueText } from '../admin-forms';
import type { CustomerFormField, CustomerFormValues } from '../customer-form';
import { html, type SafeHtml } from '../html';
import { hasKey } from '../i18n/t';
import { actionButton, canDo, cell, csrfField, layout, stat, table, ui, type Notice, type Ui } from './layout';

interface CustomerRow {
  id: number;
  kind: string;
  firstName: string | null;
  patronymic?: string | null;
  lastName: string | null;
  companyName: string | null;
  email: string | null;
  phone: string | null;
  tags: string[];
  rating?: string | null;
  company?: { id: number; companyName: string | null } | null;
}

/** «Иван Петров» for a list; the company's name for a company; the card number when there is no name. */
export function nameOf(c: {
  id: number;
  kind?: string;
  firstName: string | null;
  lastName: string | null;
  companyName: string | null;
}): string {
  const person = [c.firstName, c.lastName].filter(Boolean).join(' ');
  return (c.kind === 'company' ? c.companyName || person : person || c.companyName) || `№${c.id}`;
}

/** «Иван Сергеевич Петров»: the full name, for the card's title. */
function fullNameOf(c: CustomerRow): string {
  if (c.kind === 'company') return nameOf(c);
  return [c.firstName, c.patronymic, c.lastName].filter(Boolean).join(' ') || nameOf(c);
}

export function customersPage(
  session: AdminSession,
  query: string,
  rows: CustomerRow[],
  next: string | null,
  notice: Notice | null = null,
): SafeHtml {
  const u = ui(session);
  return layout(
    session,
    u.t('customers.title'),
    html`<form method="get" action="/admin/customers" data-test="customer-search" class="search">
        <input
          name="q"
          type="search"
          value="${query}"
          maxlength="100"
          placeholder="${u.t('customers.searchHint')}"
          aria-label="${u.t('customers.search')}"
        />
        <button type="submit">${u.t('customers.find')}</button>
      </form>
      <p class="muted">${u.t('customer.searchAbout')}</p>
      ${table(
        ['#', u.t('customer.name'), u.t('customer.company'), u.t('col.email'), u.t('col.phone'), u.t('col.tags'), u.t('customer.rating')],
        rows.map((c) => [
          cell(c.id),
          html`<a href="/admin/customers/${c.id}" data-test="customer-link">${nameOf(c)}</a>`,
          c.kind === 'company'
            ? html`<span class="muted">${u.word('customerKind', 'company')}</span>`
            : c.company
              ? html`<a href="/admin/customers/${c.company.id}">${c.company.companyName ?? `№${c.company.id}`}</a>`
              : cell(c.companyName),
          cell(c.email),
          cell(c.phone ? phoneForDisplay(c.phone) : null),
          cell(c.tags.join(', ')),
          cell(c.rating),
        ]),
        query ? u.t('customers.noMatch') : u.t('customers.empty'),
      )}
      ${
        next
          ? html`<p>
              <a href="/admin/customers?${query ? `q=${encodeURIComponent(query)}&` : ''}after=${next}">${u.t('common.nextPage')}</a>
            </p>`
          : null
      }`,
    notice,
  );
}

type TimelineItem = Record<string, unknown> & { at: Date; type: string };

interface Consent {
  channel: string;
  status: string;
  source: string | null;
  at: Date;
  proofIp: string | null;
  proofForm: string | null;
  proofFile: string | null;
}

export interface CustomerCard extends CustomerRow {
  patronymic: string | null;
  companyId: number | null;
  position: string | null;
  externalId: string | null;
  birthday: Date | null;
  timeZone: string;
  locale: string;
  source: string | null;
  attributes: unknown;
  registeredAt: Date;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  orderCount: number;
  orderSum: { toString(): string };
  rfmRecency: number | null;
  rfmFrequency: number | null;
  rfmMonetary: number | null;
  rfmCell: string | null;
  rfmGroup: string | null;
  abcClass: string | null;
  xyzClass: string | null;
  scoredAt: Date | null;
  emailValid: boolean;
  phoneValid: boolean;
  suppressed: { email: string | null; sms: string | null };
  consents: Consent[];
  contacts: Array<{
    id: number;
    firstName: string | null;
    lastName: string | null;
    patronymic: string | null;
    email: string | null;
    phone: string | null;
    position: string | null;
  }>;
}

export interface CustomerCardView {
  customer: CustomerCard;
  form: CustomerFormValues;
  /** The refused form's problems, per field (first path segment). */
  issues: FieldIssue[];
  orders: Array<{
    id: number;
    externalId: string | null;
    status: string;
    total: { toString(): string };
    currency: string;
    orderedAt: Date;
  }>;
  /** Companies offered in the company field (number and name). */
  companies: Array<{ id: number; companyName: string | null }>;
  timeline: { items: TimelineItem[]; next: string | null };
  /** The consent form as it was posted, when it was refused. */
  consentTyped?: { channel: string; status: string; proof: string };
  zones: readonly string[];
}

export function customerPage(session: AdminSession, view: CustomerCardView, notice: Notice | null): SafeHtml {
  const u = ui(session);
  const c = view.customer;
  const editable = canDo(session, 'marketer');
  return layout(
    session,
    u.t('customers.card', { name: fullNameOf(c) }),
    html`${summary(u, c)} ${c.kind === 'company' ? contactsSection(u, c) : null} ${editable ? editForm(session, u, view) : facts(u, c)}
    ${consentSection(session, u, view)} ${ordersSection(u, c, view.orders)} ${timelineSection(u, c.id, view.timeline)}
    ${dataSection(session, u, c)}`,
    notice,
  );
}

function summary(u: Ui, c: CustomerCard): SafeHtml {
  const suppressed = (reason: string | null) =>
    reason ? html` <span class="badge">${u.t('customers.suppressed', { reason: u.word('suppressionReason', reason) })}</span>` : null;
  const invalid = (valid: boolean) => (valid ? null : html` <span class="badge">${u.t('customer.invalidAddress')}</span>`);
  return html`<dl class="facts" data-test="customer-summary">
    <dt>${u.t('col.kind')}</dt>
    <dd>${u.word('customerKind', c.kind)}</dd>
    ${
      c.kind !== 'company' && c.company
        ? html`<dt>${u.t('customer.company')}</dt>
            <dd><a href="/admin/customers/${c.company.id}" data-test="company-link">${c.company.companyName ?? `№${c.company.id}`}</a></dd>`
        : null
    }
    <dt>${u.t('col.email')}</dt>
    <dd data-test="summary-email">${c.email ?? '—'}${invalid(c.emailValid)}${suppressed(c.suppressed.email)}</dd>
    <dt>${u.t('col.phone')}</dt>
    <dd data-test="summary-phone">${c.phone ? phoneForDisplay(c.phone) : '—'}${invalid(c.phoneValid)}${suppressed(c.suppressed.sms)}</dd>
    <dt>${u.t('customer.registered')}</dt>
    <dd>
      ${u.f.dateTime(c.registeredAt)}${c.source ? html` <span class="muted">(${u.t('customer.via', { source: c.source })})</span>` : null}
    </dd>
  </dl>`;
}

/** For a viewer: the fields as text. */
function facts(u: Ui, c: CustomerCard): SafeHtml {
  const attributes = Object.entries(isRecord(c.attributes) ? c.attributes : {});
  const row = (label: string, value: string | null) =>
    html`<dt>${label}</dt>
      <dd>${value || '—'}</dd>`;
  return html`<h2>${u.t('customer.fields')}</h2>
    <dl class="facts" data-test="customer-facts">
      ${
        c.kind === 'company'
          ? row(u.t('field.companyName'), c.companyName)
          : [
              row(u.t('field.lastName'), c.lastName),
              row(u.t('field.firstName'), c.firstName),
              row(u.t('field.patronymic'), c.patronymic),
              row(u.t('field.birthday'), c.birthday ? birthdayText(u, c.birthday) : null),
              row(u.t('field.position'), c.position),
            ]
      }
      ${row(u.t('field.timeZone'), c.timeZone)} ${row(u.t('field.locale'), c.locale)} ${row(u.t('col.tags'), c.tags.join(', '))}
      ${row(u.t('field.externalId'), c.externalId)}
      ${attributes.map(([key, value]) => row(key, typeof value === 'string' ? value : JSON.stringify(value)))}
    </dl>`;
}

/** The edit form, for marketers and admins: each field with its label, its error beside it when refused. */
function editForm(session: AdminSession, u: Ui, view: CustomerCardView): SafeHtml {
  const c = view.customer;
  const v = view.form.fields;
  const errors = new Map<string, string[]>();
  for (const issue of view.issues) {
    const head = issue.path.split('.')[0] || '(body)';
    errors.set(head, [...(errors.get(head) ?? []), customerIssueText(u, issue)]);
  }
  const input = (
    field: CustomerFormField,
    options: { type?: string; hint?: string; list?: string; autocomplete?: string; maxlength?: number; inputmode?: string } = {},
  ) => {
    const problems = errors.get(field);
    return html`<div class="field${problems ? ' invalid' : ''}" data-field="${field}">
      <label for="f-${field}">${u.t(`field.${field}`)}</label>
      <input
        id="f-${field}"
        name="${field}"
        type="${options.type ?? 'text'}"
        value="${v[field] ?? ''}"
        maxlength="${options.maxlength ?? 255}"
        list="${options.list ?? null}"
        autocomplete="${options.autocomplete ?? 'off'}"
        inputmode="${options.inputmode ?? null}"
        aria-invalid="${problems ? 'true' : null}"
        aria-describedby="${problems ? `f-${field}-error` : options.hint ? `f-${field}-hint` : null}"
      />
      ${options.hint ? html`<p class="hint muted" id="f-${field}-hint">${options.hint}</p>` : null}
      ${problems ? html`<p class="field-error" id="f-${field}-error" data-test="error-${field}">${problems.join('; ')}</p>` : null}
    </div>`;
  };
  const attributeProblems = errors.get('attributes');
  const rows = [
    ...view.form.attributes.filter(([k, value]) => k.trim() || value.trim()),
    ['', ''] as [string, string],
    ['', ''] as [string, string],
  ];
  return html`<h2>${u.t('customer.fields')}</h2>
    <form method="post" action="/admin/customers/${c.id}" class="stack customer-form" data-test="customer-form" novalidate>
      ${csrfField(session)}
      <div class="grid">
        ${c.kind === 'company' ? input('companyName') : [input('lastName'), input('firstName'), input('patronymic')]}
        ${input('email', { type: 'email', maxlength: 1024, autocomplete: 'off' })}
        ${input('phone', { type: 'tel', maxlength: 100, hint: u.t('customer.phoneHint') })}
        ${
          c.kind === 'company'
            ? null
            : [input('birthday', { type: 'date' }), companySelect(u, view, errors.get('companyId')), input('position')]
        }
        ${input('timeZone', { list: 'zones', maxlength: 64 })} ${input('locale', { list: 'locales', maxlength: 35 })}
        ${input('tags', { maxlength: 6600, hint: u.t('customer.tagsHint') })} ${input('externalId')}
      </div>
      <datalist id="zones">${view.zones.map((z) => html`<option value="${z}"></option>`)}</datalist>
      <datalist id="locales">
        <option value="ru"></option>
        <option value="en"></option>
      </datalist>
      <fieldset class="attributes${attributeProblems ? ' invalid' : ''}" data-field="attributes">
        <legend>${u.t('field.attributes')}</legend>
        <p class="hint muted">${u.t('customer.attributesHint')}</p>
        ${rows.map(
          ([key, value], i) =>
            html`<div class="attribute-row">
              <input
                name="attrKey"
                value="${key}"
                maxlength="100"
                aria-label="${u.t('customer.attributeKey', { n: i + 1 })}"
                placeholder="${u.t('customer.attributeKeyHint')}"
              />
              <input
                name="attrValue"
                value="${value}"
                maxlength="2000"
                aria-label="${u.t('customer.attributeValue', { n: i + 1 })}"
                placeholder="${u.t('customer.attributeValueHint')}"
              />
            </div>`,
        )}
        ${attributeProblems ? html`<p class="field-error" data-test="error-attributes">${attributeProblems.join('; ')}</p>` : null}
      </fieldset>
      ${errors.get('(body)') ? html`<p class="field-error">${errors.get('(body)')!.join('; ')}</p>` : null}
      <button type="submit">${u.t('common.save')}</button>
    </form>`;
}

/** The company a person belongs to, chosen by name among the company cards (the current one always offered). */
function companySelect(u: Ui, view: CustomerCardView, problems: string[] | undefined): SafeHtml {
  const chosen = view.form.fields.companyId ?? '';
  const companies = [...view.companies];
  const current = view.customer.company;
  if (current && !companies.some((co) => co.id === current.id)) companies.unshift(current);
  const known = chosen === '' || companies.some((co) => String(co.id) === chosen);
  return html`<div class="field${problems ? ' invalid' : ''}" data-field="companyId">
    <label for="f-companyId">${u.t('field.companyId')}</label>
    <select
      id="f-companyId"
      name="companyId"
      aria-invalid="${problems ? 'true' : null}"
      aria-describedby="${problems ? 'f-companyId-error' : null}"
    >
      <option value="">${u.t('customer.noCompany')}</option>
      ${companies.map(
        (co) =>
          html`<option value="${co.id}" ${String(co.id) === chosen ? html`selected` : null}>${co.companyName ?? `№${co.id}`}</option>`,
      )}
      ${known ? null : html`<option value="${chosen}" selected>№${chosen}</option>`}
    </select>
    ${problems ? html`<p class="field-error" id="f-companyId-error" data-test="error-companyId">${problems.join('; ')}</p>` : null}
  </div>`;
}

function consentSection(session: AdminSession, u: Ui, view: CustomerCardView): SafeHtml {
  const c = view.customer;
  const channels = (['email', 'sms'] as const).filter((ch) => (ch === 'email' ? c.email : c.phone));
  const typed = view.consentTyped;
  const option = (value: string, label: string, selected: boolean) =>
    html`<option value="${value}" ${selected ? html`selected` : null}>${label}</option>`;
  return html`<h2>${u.t('customers.consent')}</h2>
    ${table(
      [u.t('col.channel'), u.t('col.status'), u.t('col.source'), u.t('customer.consentWhen'), u.t('customer.proof')],
      (['email', 'sms'] as const).map((channel) => {
        const consent = c.consents.find((x) => x.channel === channel);
        return [
          cell(u.word('channel', channel)),
          consent
            ? html`<span class="badge consent-${consent.status}" data-test="consent-${channel}"
                >${u.word('consentStatus', consent.status)}</span
              >`
            : html`<span class="muted" data-test="consent-${channel}">${u.t('customer.noConsentYet')}</span>`,
          cell(consent?.source),
          cell(consent?.at, u),
          consent ? proofOf(u, consent) : cell(null),
        ];
      }),
      u.t('customers.noConsent'),
    )}
    ${
      !canDo(session, 'marketer')
        ? null
        : channels.length === 0
          ? html`<p class="muted">${u.t('customer.noAddress')}</p>`
          : html`<form method="post" action="/admin/customers/${c.id}/consent" class="stack" data-test="consent-form">
              ${csrfField(session)}
              <label for="consent-channel">${u.t('col.channel')}</label>
              <select id="consent-channel" name="channel">
                ${channels.map((ch) => option(ch, u.word('channel', ch), typed?.channel === ch))}
              </select>
              <label for="consent-status">${u.t('customer.consentChange')}</label>
              <select id="consent-status" name="status">
                ${option('opted_in', u.t('customer.optIn'), typed?.status === 'opted_in')}
                ${option('opted_out', u.t('customer.optOut'), typed?.status === 'opted_out')}
              </select>
              <label for="consent-proof">${u.t('customer.proofForm')}</label>
              <input id="consent-proof" name="proof" maxlength="500" value="${typed?.proof ?? ''}" aria-describedby="consent-proof-hint" />
              <p class="hint muted" id="consent-proof-hint">${u.t('customer.proofHint', { who: session.user.email })}</p>
              <button type="submit">${u.t('customer.consentSave')}</button>
            </form>`
    }`;
}

function proofOf(u: Ui, consent: Consent): SafeHtml {
  const parts = [
    consent.proofIp ? u.t('customer.proofIp', { ip: consent.proofIp }) : null,
    consent.proofForm ? u.t('customer.proofFormIs', { form: consent.proofForm }) : null,
    consent.proofFile ? u.t('customer.proofFile', { file: consent.proofFile }) : null,
  ].filter((p): p is string => p !== null);
  return parts.length ? html`${parts.join('; ')}` : cell(null);
}

function contactsSection(u: Ui, c: CustomerCard): SafeHtml {
  return html`<h2>${u.t('customer.contacts')}</h2>
    ${table(
      [u.t('customer.person'), u.t('field.position'), u.t('col.email'), u.t('col.phone')],
      c.contacts.map((p) => [
        html`<a href="/admin/customers/${p.id}" data-test="contact-link"
          >${[p.firstName, p.patronymic, p.lastName].filter(Boolean).join(' ') || `№${p.id}`}</a
        >`,
        cell(p.position),
        cell(p.email),
        cell(p.phone ? phoneForDisplay(p.phone) : null),
      ]),
      u.t('customer.noContacts'),
    )}`;
}

function ordersSection(u: Ui, c: CustomerCard, orders: CustomerCardView['orders']): SafeHtml {
  const scored = c.scoredAt !== null;
  // The stored sum adds the orders' totals as they are: shown in the currency the customer buys in.
  const currency = orders[0]?.currency ?? 'RUB';
  const cellParts = c.rfmRecency !== null && c.rfmFrequency !== null && c.rfmMonetary !== null;
  return html`<h2>${u.t('customer.orders')}</h2>
    <div class="stats">
      ${stat(u.t('customer.orderCount'), c.orderCount, 'order-count', u)}
      ${stat(u.t('customer.orderSum'), money(u, c.orderSum.toString(), currency), 'order-sum')}
      ${stat(u.t('customer.lastOrder'), c.lastOrderAt ? u.f.date(c.lastOrderAt) : '—')}
    </div>
    ${
      scored || c.rating || c.rfmGroup || c.abcClass || c.xyzClass
        ? html`<dl class="facts" data-test="scoring">
            <dt>${u.t('customer.rating')}</dt>
            <dd data-test="rating">
              ${c.rating ? u.t('customer.ratingIs', { rating: c.rating, meaning: u.word('rating', c.rating) }) : u.t('customer.notScored')}
            </dd>
            <dt>${u.t('customer.rfm')}</dt>
            <dd data-test="rfm">
              ${c.rfmGroup ? u.word('rfmGroup', c.rfmGroup) : u.t('customer.notScored')}
              ${
                cellParts
                  ? html`<span class="muted"
                      >(${u.t('customer.rfmCell', { r: c.rfmRecency!, f: c.rfmFrequency!, m: c.rfmMonetary!, cell: c.rfmCell ?? '' })})</span
                    >`
                  : null
              }
            </dd>
            <dt>${u.t('customer.abc')}</dt>
            <dd data-test="abc">
              ${c.abcClass ? u.t('customer.classIs', { code: c.abcClass, meaning: u.word('abcClass', c.abcClass) }) : u.t('customer.notScored')}
            </dd>
            <dt>${u.t('customer.xyz')}</dt>
            <dd data-test="xyz">
              ${c.xyzClass ? u.t('customer.classIs', { code: c.xyzClass, meaning: u.word('xyzClass', c.xyzClass) }) : u.t('customer.notScored')}
            </dd>
            ${
              scored
                ? html`<dt>${u.t('customer.scoredAt')}</dt>
                    <dd>${u.f.dateTime(c.scoredAt!)}</dd>`
                : null
            }
          </dl>`
        : html`<p class="muted" data-test="scoring">${u.t('customer.neverScored')}</p>`
    }
    ${table(
      [u.t('customer.orderNumber'), u.t('customer.orderDate'), u.t('customer.orderTotal'), u.t('col.status')],
      orders.map((o) => [
        cell(o.externalId ?? `№${o.id}`),
        cell(o.orderedAt, u),
        html`<span class="num">${money(u, o.total.toString(), o.currency)}</span>`,
        cell(u.word('orderStatus', o.status)),
      ]),
      u.t('customer.noOrders'),
    )}
    ${
      orders.length && c.orderCount > orders.length
        ? html`<p class="muted">${u.t('customer.recentOrders', { n: orders.length, total: c.orderCount })}</p>`
        : null
    }`;
}

function timelineSection(u: Ui, id: number, timeline: CustomerCardView['timeline']): SafeHtml {
  return html`<h2>${u.t('customers.timeline')}</h2>
    ${
      timeline.items.length
        ? html`<ol class="timeline" data-test="timeline">
            ${timeline.items.map(
              (item) =>
                html`<li data-type="${item.type}">
                  <time datetime="${item.at.toISOString()}">${u.f.dateTime(item.at)}</time> —
                  <span data-test="timeline-${item.type}">${timelineSentence(u, item)}</span>
                </li>`,
            )}
          </ol>`
        : html`<p class="muted">${u.t('customers.noTimeline')}</p>`
    }
    ${
      timeline.next
        ? html`<p><a href="/admin/customers/${id}?before=${encodeURIComponent(timeline.next)}">${u.t('common.older')}</a></p>`
        : null
    }`;
}

function dataSection(session: AdminSession, u: Ui, c: CustomerCard): SafeHtml | null {
  if (!canDo(session, 'marketer')) return null;
  return html`<h2>${u.t('customer.personalData')}</h2>
    <p class="muted">${u.t('customer.personalDataAbout')}</p>
    <p class="action-row">
      <a class="button secondary" href="/admin/customers/${c.id}/export" download data-test="export">${u.t('customer.export')}</a>
      ${
        canDo(session, 'admin')
          ? actionButton(session, `/admin/customers/${c.id}/erase`, u.t('customer.erase'), {
              confirm: u.t('customer.eraseConfirm', { name: fullNameOf(c) }),
            })
          : null
      }
    </p>`;
}

/** A birthday (a calendar date, stored as midnight UTC) in the user's language: «12 марта 1985 г.». */
function birthdayText(u: Ui, birthday: Date): string {
  return new Intl.DateTimeFormat(u.locale === 'ru' ? 'ru-RU' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(birthday);
}

/** An amount in the user's locale with its currency; whole amounts without kopecks («5 400 ₽»). */
export function money(u: Ui, amount: string, currency: string): string {
  const value = Number(amount);
  if (!Number.isFinite(value)) return amount;
  if (!Number.isInteger(value)) return u.f.money(amount, currency);
  try {
    return new Intl.NumberFormat(u.locale === 'ru' ? 'ru-RU' : 'en-GB', { style: 'currency', currency, maximumFractionDigits: 0 }).format(
      value,
    );
  } catch {
    return u.f.money(amount, currency);
  }
}

const str = (value: unknown): string => (value === null || value === undefined ? '' : String(value));

/** «Осенняя распродажа» as a link to its campaign, a transactional template's name, or nothing. */
function messageName(item: TimelineItem): SafeHtml | null {
  const name = str(item.campaignName) || str(item.templateName);
  if (!name) return item.campaignId ? html`№${str(item.campaignId)}` : null;
  return item.campaignId ? html`<a href="/admin/campaigns/${str(item.campaignId)}">«${name}»</a>` : html`«${name}»`;
}

/**
 * One timeline entry as a sentence: «Письмо «Осенняя распродажа» доставлено», «Заказ №A-1042 на
 * 5 400 ₽: оплачен», «Согласие на SMS: отозвано (источник: …)». An entry of a kind this page does
 * not know is still said plainly, with its details as «name: value».
 */
export function timelineSentence(u: Ui, item: TimelineItem): SafeHtml {
  const name = messageName(item);
  const bot = item.isBot ? html` <span class="muted">(${u.t('tl.bot')})</span>` : null;
  const sms = item.channel === 'sms';
  switch (item.type) {
    case 'message': {
      const status = u.word('messageStatus', str(item.status));
      return name
        ? splitAround(u.t(sms ? 'tl.smsNamed' : 'tl.emailNamed', { status }), name)
        : html`${u.t(sms ? 'tl.sms' : 'tl.email', { status })}`;
    }
    case 'open':
      return html`${name ? splitAround(u.t('tl.openNamed'), name) : u.t('tl.open')}${bot}`;
    case 'click':
      return html`${splitAround(u.t(name ? 'tl.clickNamed' : 'tl.click', { url: str(item.url) }), name)}${bot}`;
    case 'unsubscribe':
      return html`${name ? splitAround(u.t('tl.unsubscribeNamed'), name) : u.t('tl.unsubscribe')}`;
    case 'bounce':
      return html`${splitAround(
        u.t(name ? 'tl.bounceNamed' : 'tl.bounce', {
          reason: u.word('bounceReason', str(item.reason)),
          kind: u.t(item.hard ? 'tl.hard' : 'tl.soft'),
        }),
        name,
      )}`;
    case 'complaint':
      return html`${u.t('tl.complaint', { kind: u.word('complaintKind', str(item.kind)) })}`;
    case 'reply':
      return html`${u.t(item.kind === 'autoreply' ? 'tl.autoreply' : 'tl.reply', { subject: str(item.subject) || '—' })}`;
    case 'order': {
      const total = item.total ? money(u, str(item.total), str(item.currency) || 'RUB') : '—';
      const status = u.word('orderStatus', str(item.status));
      return html`${item.externalId ? u.t('tl.order', { id: str(item.externalId), total, status }) : u.t('tl.orderNoId', { total, status })}`;
    }
    case 'consent': {
      const proof = [str(item.proofIp), str(item.proofForm), str(item.proofFile)].filter(Boolean).join(', ');
      const said = {
        channel: u.word('consentOn', str(item.channel)),
        status: u.word('consentChange', str(item.status)),
        source: str(item.source) || '—',
        proof,
      };
      return html`${u.t(proof ? 'tl.consentProof' : 'tl.consent', said)}`;
    }
    case 'event':
      return html`${u.t('timeline.event', { name: str(item.name) })}`;
    default: {
      const details = Object.entries(item)
        .filter(([key, value]) => !['at', 'type', 'id'].includes(key) && value !== null && value !== undefined && value !== '')
        .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
        .join(', ');
      return html`${u.t('tl.other', { type: item.type })}${details ? html` <span class="muted">(${details})</span>` : null}`;
    }
  }
}

/** A sentence with `{name}` in it, the name (a link, maybe) put in its place, the rest escaped. */
function splitAround(sentence: string, name: SafeHtml | null): SafeHtml {
  const at = sentence.indexOf('{name}');
  if (at < 0 || !name) return html`${sentence.replace('{name}', '').replace(/\s+/g, ' ').trim()}`;
  return html`${sentence.slice(0, at)}${name}${sentence.slice(at + '{name}'.length)}`;
}

const REASON_TABLES: Record<string, Record<string, string>> = {
  email: EMAIL_REASONS,
  phone: PHONE_REASONS,
  birthday: BIRTHDAY_REASONS,
  timeZone: TIME_ZONE_REASONS,
  locale: LOCALE_REASONS,
};

/** A problem of the customer form in the user's words: the field's label, then why. */
export function customerIssueText(u: Ui, issue: FieldIssue): string {
  const head = issue.path.split('.')[0];
  let message = issue.message;
  const table = REASON_TABLES[head];
  const reason = table ? Object.keys(table).find((code) => table[code] === issue.message) : undefined;
  const taken = /^already used by customer (\d+)$/.exec(issue.message);
  const missing = /^customer (\d+) does not exist$/.exec(issue.message);
  const person = /^customer (\d+) is a person, not a company$/.exec(issue.message);
  const tooLong = /^Too big: expected string to have <=(\d+) characters$/.exec(issue.message);
  const reasonKey = `customerIssue.${head}.${reason ?? ''}`;
  if (reason && hasKey(reasonKey)) message = u.t(reasonKey);
  else if (taken) message = u.t('customerIssue.taken', { id: taken[1] });
  else if (missing) message = u.t('customerIssue.noCompany', { id: missing[1] });
  else if (person) message = u.t('customerIssue.notCompany', { id: person[1] });
  else if (tooLong) message = u.t('form.tooLong', { max: Number(tooLong[1]) });
  else if (issue.message === 'expected the number of a company card') message = u.t('customerIssue.companyNumber');
  else if (issue.message === 'a company cannot belong to another company') message = u.t('customerIssue.companyInCompany');
  else if (issue.message === 'a customer cannot be its own company') message = u.t('customerIssue.ownCompany');
  else if (issue.message === 'a value needs a name') message = u.t('customerIssue.attributeName');
  else if (issue.message === 'named twice') message = u.t('customerIssue.attributeTwice');
  return issueText(u, { path: head === 'tags' ? 'tags' : issue.path, message });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
