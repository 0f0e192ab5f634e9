import type { AddressChangesService } from '../../feedback/address-changes.service';
import type { ReportsService } from '../../reports/reports.service';
import type { AdminSession } from '../admin-auth.service';
import { html, type SafeHtml } from '../html';
import { lineChart } from '../svg-chart';
import { actionButton, canDo, cell, layout, stat, table, type Notice } from './layout';

type Bounces = Awaited<ReturnType<ReportsService['bounces']>>;
type Complaints = Awaited<ReturnType<ReportsService['complaints']>>;
type Cleanup = Awaited<ReturnType<ReportsService['cleanup']>>;
type AddressChanges = Awaited<ReturnType<AddressChangesService['list']>>;

interface Person {
  id: number;
  firstName: string | null;
  lastName: string | null;
  companyName: string | null;
  email: string | null;
  phone: string | null;
}

function person(p: Person | null): SafeHtml {
  if (!p) return cell(null);
  const name = [p.firstName, p.lastName].filter(Boolean).join(' ') || p.companyName || p.email || p.phone || `#${p.id}`;
  return html`<a href="/admin/customers/${p.id}">${name}</a>`;
}

function range(from: Date, to: Date): SafeHtml {
  return html`<p class="muted">From ${cell(from)} to ${cell(to)} (last 30 days).</p>`;
}

/** The classifier's evidence for a bounce: rule, status and the line it matched (escaped by `html`). */
export function bounceWhy(evidence: unknown): SafeHtml {
  if (!evidence || typeof evidence !== 'object') return cell(null);
  const e = evidence as { rule?: unknown; status?: unknown; matchedLine?: unknown };
  const rule = typeof e.rule === 'string' ? e.rule : '?';
  const status = typeof e.status === 'string' ? e.status : null;
  const line = typeof e.matchedLine === 'string' ? e.matchedLine.slice(0, 300) : null;
  return html`<span data-test="bounce-why" title="${line ?? rule}"><code>${rule}</code>${status ? html` · ${status}` : null}</span>${
      line ? html`<div class="muted" data-test="bounce-why-line">${line}</div>` : null
    }`;
}

export function bouncesPage(session: AdminSession, report: Bounces): SafeHtml {
  const points = report.trend.points;
  return layout(
    session,
    'Bounce report',
    html`${range(report.from, report.to)}
      <div class="stats">
        ${stat('bounces', report.summary.total, 'bounces-total')}${stat('hard', report.summary.hard, 'bounces-hard')}${stat('soft', report.summary.soft)}${stat('addresses', report.summary.addresses)}
      </div>
      ${
        points.length
          ? lineChart(
              `Bounces per ${report.trend.interval}`,
              points.map((p) => p.bucket.slice(0, 10)),
              [
                { name: 'hard', color: '#dc2626', values: points.map((p) => p.hard) },
                { name: 'soft', color: '#d97706', values: points.map((p) => p.soft) },
              ],
            )
          : null
      }
      <h2>By reason</h2>
      ${table(
        ['Reason', 'Kind', 'Count'],
        report.byReason.map((r) => [cell(r.reason), cell(r.hard ? 'hard' : 'soft'), cell(r.count)]),
        'No bounces.',
      )}
      <h2>Latest bounces</h2>
      ${table(
        ['When', 'Address', 'Kind', 'Reason', 'Why'],
        report.recent.map((b) => [cell(b.at), cell(b.address), cell(b.hard ? 'hard' : 'soft'), cell(b.reason), bounceWhy(b.evidence)]),
        'No bounces.',
      )}
      <h2>By domain</h2>
      ${table(
        ['Domain', 'Count', 'Hard', 'Soft'],
        report.byDomain.map((r) => [cell(r.domain), cell(r.count), cell(r.hard), cell(r.soft)]),
        'No bounces.',
      )}
      ${
        report.byCampaign
          ? html`<h2>By campaign</h2>
              ${table(
                ['Campaign', 'Count', 'Hard', 'Soft'],
                report.byCampaign.map((r) => [
                  r.campaignId ? html`<a href="/admin/campaigns/${r.campaignId}">${r.name ?? r.campaignId}</a>` : cell('no campaign'),
                  cell(r.count),
                  cell(r.hard),
                  cell(r.soft),
                ]),
                'No bounces.',
              )}`
          : null
      }`,
  );
}

export function complaintsPage(session: AdminSession, report: Complaints): SafeHtml {
  const s = report.summary;
  return layout(
    session,
    'Complaint report',
    html`${range(report.from, report.to)}
      <div class="stats">
        ${stat('feedback-loop complaints', s.feedbackLoop)}${stat('reclamations', s.reclamations)}${stat('open', s.open)}${stat('resolved', s.resolved)}
      </div>
      ${table(
        ['When', 'Kind', 'Status', 'Customer', 'Campaign', 'Text / evidence'],
        report.items.map((i) => [
          cell(i.createdAt),
          cell(i.kind === 'feedback_loop' ? `feedback loop${i.feedbackType ? ` (${i.feedbackType})` : ''}` : 'reclamation'),
          cell(i.status),
          person(i.customer),
          i.campaignId ? html`<a href="/admin/campaigns/${i.campaignId}">${i.campaignName ?? i.campaignId}</a>` : cell(null),
          html`${i.text ? html`<div data-test="complaint-text">${i.text}</div>` : null}${i.inboundMessage ? html`<div class="muted">${i.inboundMessage.subject ?? ''} — from ${i.inboundMessage.fromAddress ?? '?'}, inbound #${String(i.inboundMessageId)}</div>` : null}`,
        ]),
        'No complaints in this period.',
      )}`,
  );
}

export function cleanupPage(session: AdminSession, report: Cleanup, proposals: AddressChanges, notice: Notice | null): SafeHtml {
  const undoable = new Set(['invalidated', 'suppressed', 'unsubscribed', 'retired', 'contact_created']);
  return layout(
    session,
    'Base cleanup log',
    html`${range(report.from, report.to)}
      <div class="stats">${report.summary.map((r) => stat(`${r.action}${r.undone ? ` (${r.undone} undone)` : ''}`, r.count))}</div>
      ${table(
        ['#', 'When', 'Action', 'Customer', 'Address', 'Why', 'Evidence', ''],
        report.items.map((i) => [
          cell(i.id),
          cell(i.createdAt),
          html`<span class="badge">${i.action}</span>`,
          person(i.customer),
          cell(i.address),
          cell(i.reason),
          i.inboundMessage
            ? html`${i.inboundMessage.kind}: ${i.inboundMessage.subject ?? ''}
                <span class="muted">from ${i.inboundMessage.fromAddress ?? '?'} (inbound #${String(i.inboundMessageId)})</span>`
            : cell(null),
          i.undoneAt
            ? html`<span class="muted" data-test="undone-${i.id}">undone ${cell(i.undoneAt)} by ${i.undoneBy ?? '?'}</span>`
            : i.appliedAt
              ? html`<span class="muted" data-test="applied-${i.id}">applied ${cell(i.appliedAt)} by ${i.appliedBy ?? '?'}</span>`
              : i.action === 'withheld' && canDo(session, 'admin')
                ? html`<span data-test="apply-${i.id}">${actionButton(session, `/admin/reports/cleanup/${i.id}/apply`, 'Apply')}</span>`
                : undoable.has(i.action) && canDo(session, 'admin')
                  ? html`<span data-test="undo-${i.id}">${actionButton(session, `/admin/reports/cleanup/${i.id}/undo`, 'Undo')}</span>`
                  : null,
        ]),
        'Nothing was cleaned in this period.',
      )}
      <h2>Address changes waiting for a decision</h2>
      <p class="muted">
        «Пишите на X» replies change nothing until the new address confirms its link (sent only when the reply proved it came from the
        recipient of our message) or an admin accepts.
      </p>
      ${table(
        ['#', 'When', 'Customer', 'Old address', 'New address', 'Proof', 'Evidence', ''],
        proposals.map((p) => [
          cell(p.id),
          cell(p.createdAt),
          html`<a href="/admin/customers/${p.customerId}">#${p.customerId}</a>`,
          cell(p.oldAddress),
          cell(p.newAddress),
          html`<span data-test="proof-${p.id}">${p.proven ? 'proven: confirmation link sent' : 'unproven: an admin decides'}</span>`,
          p.inboundMessageId === null ? cell(null) : cell(`inbound #${String(p.inboundMessageId)}`),
          canDo(session, 'admin')
            ? html`<span data-test="address-change-${p.id}"
                >${actionButton(session, `/admin/reports/address-changes/${p.id}/accept`, 'Accept')}
                ${actionButton(session, `/admin/reports/address-changes/${p.id}/reject`, 'Reject')}</span
              >`
            : null,
        ]),
        'No address change is waiting.',
      )}`,
    notice,
  );
}

type Leads = Awaited<ReturnType<ReportsService['leads']>>;

export function leadsPage(session: AdminSession, report: Leads): SafeHtml {
  return layout(
    session,
    'Leads inbox',
    html`<div class="stats">${Object.entries(report.summary).map(([status, count]) => stat(status, count))}</div>
      ${table(
        ['When', 'Status', 'From', 'Customer', 'Campaign', 'Subject and text'],
        report.items.map((l) => [
          cell(l.createdAt),
          cell(l.status),
          cell(l.fromAddress),
          person(l.customer),
          l.campaignId ? html`<a href="/admin/campaigns/${l.campaignId}">${l.campaignName ?? l.campaignId}</a>` : cell(null),
          html`<strong>${l.subject ?? ''}</strong>
            <div data-test="lead-text">${l.text ?? ''}</div>`,
        ]),
        'No leads yet.',
      )}`,
  );
}
