import type { AdminSession } from '../admin-auth.service';
import { html, type SafeHtml } from '../html';
import { cell, layout, table } from './layout';

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
  return layout(
    session,
    'Customers',
    html`<form method="get" action="/admin/customers" data-test="customer-search">
        <input name="q" value="${query}" placeholder="name, email, phone…" aria-label="Search" /> <button type="submit">Search</button>
      </form>
      ${table(
        ['#', 'Name', 'Kind', 'Email', 'Phone', 'Tags'],
        rows.map((c) => [
          cell(c.id),
          html`<a href="/admin/customers/${c.id}">${nameOf(c)}</a>`,
          cell(c.kind),
          cell(c.email),
          cell(c.phone),
          cell(c.tags.join(', ')),
        ]),
        query ? 'No customer matches.' : 'No customers yet.',
      )}
      ${next ? html`<p><a href="/admin/customers?q=${encodeURIComponent(query)}&after=${next}">Next page</a></p>` : null}`,
  );
}

export function customerPage(
  session: AdminSession,
  customer: CustomerRow & {
    suppressed: { email: string | null; sms: string | null };
    consents?: Array<{ channel: string; status: string; at: Date }>;
  },
  timeline: { items: Array<Record<string, unknown> & { at: Date; type: string }>; next: string | null },
): SafeHtml {
  return layout(
    session,
    `Customer: ${nameOf(customer)}`,
    html`<p>
        ${customer.kind} · email ${customer.email ?? '—'}
        ${customer.suppressed.email ? html`<span class="badge">suppressed: ${customer.suppressed.email}</span>` : null} · phone
        ${customer.phone ?? '—'} ${customer.suppressed.sms ? html`<span class="badge">suppressed: ${customer.suppressed.sms}</span>` : null}
        · tags ${customer.tags.join(', ') || '—'}
      </p>
      ${
        customer.consents
          ? html`<h2>Consent</h2>
              ${table(
                ['Channel', 'Status', 'Since'],
                customer.consents.map((c) => [cell(c.channel), cell(c.status), cell(c.at)]),
              )}`
          : null
      }
      <h2>Timeline</h2>
      ${table(
        ['When', 'What', 'Details'],
        timeline.items.map(({ at, type, id: _id, ...details }) => [
          cell(at),
          html`<span class="badge">${type}</span>`,
          html`<code>${JSON.stringify(details, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}</code>`,
        ]),
        'Nothing happened yet.',
      )}
      ${timeline.next ? html`<p><a href="/admin/customers/${customer.id}?before=${encodeURIComponent(timeline.next)}">Older</a></p>` : null}`,
  );
}
