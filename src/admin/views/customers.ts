// Customers: the search list and the card with consent and the timeline written as sentences.
import type { AdminSession } from '../admin-auth.service';
import { html, type SafeHtml } from '../html';
import { cell, layout, table, ui, type Ui } from './layout';

interface CustomerRow {
  id: number;
  kind: string;
  firstName: string | null;
  lastName: string | null;
  companyName: string | null;
  email: string | null;
  phone: string | null;
  tags: string[];
}

function nameOf(c: CustomerRow): string {
  return [c.firstName, c.lastName].filter(Boolean).join(' ') || c.companyName || `#${c.id}`;
}

export function customersPage(session: AdminSession, query: string, rows: CustomerRow[], next: string | null): SafeHtml {
  const u = ui(session);
  return layout(
    session,
    u.t('customers.title'),
    html`<form method="get" action="/admin/customers" data-test="customer-search" class="search">
        <input
          name="q"
          type="search"
          value="${query}"
          placeholder="${u.t('customers.searchHint')}"
          aria-label="${u.t('customers.search')}"
        />
        <button type="submit">${u.t('customers.find')}</button>
      </form>
      ${table(
        ['#', u.t('col.name'), u.t('col.kind'), u.t('col.email'), u.t('col.phone'), u.t('col.tags')],
        rows.map((c) => [
          cell(c.id),
          html`<a href="/admin/customers/${c.id}">${nameOf(c)}</a>`,
          cell(u.word('customerKind', c.kind)),
          cell(c.email),
          cell(c.phone),
          cell(c.tags.join(', ')),
        ]),
        query ? u.t('customers.noMatch') : u.t('customers.empty'),
      )}
      ${next ? html`<p><a href="/admin/customers?q=${encodeURIComponent(query)}&after=${next}">${u.t('common.nextPage')}</a></p>` : null}`,
  );
}

type TimelineItem = Record<string, unknown> & { at: Date; type: string };

export function customerPage(
  session: AdminSession,
  customer: CustomerRow & {
    suppressed: { email: string | null; sms: string | null };
    consents?: Array<{ channel: string; status: string; at: Date }>;
  },
  timeline: { items: TimelineItem[]; next: string | null },
): SafeHtml {
  const u = ui(session);
  const suppressed = (reason: string | null) =>
    reason ? html` <span class="badge">${u.t('customers.suppressed', { reason: u.word('suppressionReason', reason) })}</span>` : null;
  return layout(
    session,
    u.t('customers.card', { name: nameOf(customer) }),
    html`<dl class="facts">
        <dt>${u.t('col.kind')}</dt>
        <dd>${u.word('customerKind', customer.kind)}</dd>
        <dt>${u.t('col.email')}</dt>
        <dd>${customer.email ?? '—'}${suppressed(customer.suppressed.email)}</dd>
        <dt>${u.t('col.phone')}</dt>
        <dd>${customer.phone ?? '—'}${suppressed(customer.suppressed.sms)}</dd>
        <dt>${u.t('col.tags')}</dt>
        <dd>${customer.tags.join(', ') || '—'}</dd>
      </dl>
      ${
        customer.consents
          ? html`<h2>${u.t('customers.consent')}</h2>
              ${table(
                [u.t('col.channel'), u.t('col.status'), u.t('col.since')],
                customer.consents.map((c) => [cell(u.word('channel', c.channel)), cell(u.word('consentStatus', c.status)), cell(c.at, u)]),
                u.t('customers.noConsent'),
              )}`
          : null
      }
      <h2>${u.t('customers.timeline')}</h2>
      ${table(
        [u.t('col.when'), u.t('col.what')],
        timeline.items.map((item) => [cell(item.at, u), html`<span data-test="timeline-${item.type}">${timelineSentence(u, item)}</span>`]),
        u.t('customers.noTimeline'),
      )}
      ${timeline.next ? html`<p><a href="/admin/customers/${customer.id}?before=${encodeURIComponent(timeline.next)}">${u.t('common.older')}</a></p>` : null}`,
  );
}

const str = (value: unknown): string => (value === null || value === undefined ? '' : String(value));

/** One timeline entry as a sentence («Письмо: отправлено», «Заказ 1042 на 5 000 ₽: оплачен»). */
export function timelineSentence(u: Ui, item: TimelineItem): SafeHtml {
  const campaign = item.campaignId
    ? html` · <a href="/admin/campaigns/${str(item.campaignId)}">${u.t('timeline.campaign', { id: str(item.campaignId) })}</a>`
    : null;
  switch (item.type) {
    case 'message':
      return html`${u.t(item.channel === 'sms' ? 'timeline.sms' : 'timeline.email', { status: u.word('messageStatus', str(item.status)) })}${campaign}`;
    case 'open':
      return html`${u.t('timeline.open')}${item.isBot ? html` <span class="muted">(${u.t('timeline.bot')})</span>` : null}${campaign}`;
    case 'click':
      return html`${u.t('timeline.click', { url: str(item.url) })}${item.isBot ? html` <span class="muted">(${u.t('timeline.bot')})</span>` : null}${campaign}`;
    case 'unsubscribe':
      return html`${u.t('timeline.unsubscribe')}${campaign}`;
    case 'bounce':
      return html`${u.t(item.hard ? 'timeline.hardBounce' : 'timeline.softBounce', { reason: u.word('bounceReason', str(item.reason)) })}${campaign}`;
    case 'complaint':
      return html`${u.t('timeline.complaint', { kind: u.word('complaintKind', str(item.kind)) })}${campaign}`;
    case 'reply':
      return html`${u.t(item.kind === 'autoreply' ? 'timeline.autoreply' : 'timeline.reply', { subject: str(item.subject) || '—' })}${campaign}`;
    case 'order':
      return html`${u.t('timeline.order', {
        id: str(item.externalId) || '—',
        total: item.total ? u.f.money(str(item.total), str(item.currency) || 'RUB') : '—',
        status: u.word('orderStatus', str(item.status)),
      })}`;
    case 'consent':
      return html`${u.t('timeline.consent', {
        channel: u.word('channel', str(item.channel)),
        status: u.word('consentStatus', str(item.status)),
        source: str(item.source) || '—',
      })}`;
    case 'event':
      return html`${u.t('timeline.event', { name: str(item.name) })}`;
    default:
      return html`${item.type}`;
  }
}
