// The reports: bounces, complaints, the leads inbox, and the base-cleanup log with its Undo and
// Apply buttons and the address changes waiting for a decision.
import type { AddressChangesService } from '../../feedback/address-changes.service';
import type { ReportsService } from '../../reports/reports.service';
import type { AdminSession } from '../admin-auth.service';
import { html, type SafeHtml } from '../html';
import type { MessageKey } from '../i18n/t';
import { lineChart } from '../svg-chart';
import { bucketLabel } from './campaigns';
import { actionButton, canDo, cell, layout, stat, table, ui, type Notice, type Ui } from './layout';

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

function range(u: Ui, from: Date, to: Date): SafeHtml {
  return html`<p class="muted">${u.t('reports.range', { from: u.f.date(from), to: u.f.date(to) })}</p>`;
}

function campaignLink(u: Ui, id: number | null, name: string | null | undefined): SafeHtml {
  return id ? html`<a href="/admin/campaigns/${id}">${name ?? u.t('timeline.campaign', { id })}</a>` : cell(null);
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
  const u = ui(session);
  const points = report.trend.points;
  return layout(
    session,
    u.t('bounces.title'),
    html`${range(u, report.from, report.to)}
      <div class="stats">
        ${stat(u.t('bounces.total'), report.summary.total, 'bounces-total', u)}${stat(u.t('bounces.hard'), report.summary.hard, 'bounces-hard', u)}${stat(
          u.t('bounces.soft'),
          report.summary.soft,
          undefined,
          u,
        )}${stat(u.t('bounces.addresses'), report.summary.addresses, undefined, u)}
      </div>
      ${
        points.length
          ? lineChart(
              u.t('bounces.chart', { interval: u.word('interval', report.trend.interval) }),
              points.map((p) => bucketLabel(u, p.bucket, report.trend.interval)),
              [
                { name: u.t('bounces.hard'), color: '#dc2626', values: points.map((p) => p.hard) },
                { name: u.t('bounces.soft'), color: '#d97706', values: points.map((p) => p.soft) },
              ],
            )
          : null
      }
      <h2>${u.t('bounces.byReason')}</h2>
      ${table(
        [u.t('col.reason'), u.t('col.kind'), u.t('col.count')],
        report.byReason.map((r) => [
          html`<span title="${r.reason}">${u.word('bounceReason', r.reason)}</span>`,
          cell(r.hard ? u.t('bounces.hardOne') : u.t('bounces.softOne')),
          cell(r.count, u),
        ]),
        u.t('bounces.empty'),
      )}
      <h2>${u.t('bounces.latest')}</h2>
      ${table(
        [u.t('col.when'), u.t('col.address'), u.t('col.kind'), u.t('col.reason'), u.t('col.why')],
        report.recent.map((b) => [
          cell(b.at, u),
          cell(b.address),
          cell(b.hard ? u.t('bounces.hardOne') : u.t('bounces.softOne')),
          html`<span title="${b.reason}">${u.word('bounceReason', b.reason)}</span>`,
          bounceWhy(b.evidence),
        ]),
        u.t('bounces.empty'),
      )}
      <h2>${u.t('bounces.byDomain')}</h2>
      ${table(
        [u.t('col.domain'), u.t('col.count'), u.t('bounces.hard'), u.t('bounces.soft')],
        report.byDomain.map((r) => [cell(r.domain), cell(r.count, u), cell(r.hard, u), cell(r.soft, u)]),
        u.t('bounces.empty'),
      )}
      ${
        report.byCampaign
          ? html`<h2>${u.t('bounces.byCampaign')}</h2>
              ${table(
                [u.t('col.campaign'), u.t('col.count'), u.t('bounces.hard'), u.t('bounces.soft')],
                report.byCampaign.map((r) => [
                  r.campaignId ? campaignLink(u, r.campaignId, r.name) : cell(u.t('bounces.noCampaign')),
                  cell(r.count, u),
                  cell(r.hard, u),
                  cell(r.soft, u),
                ]),
                u.t('bounces.empty'),
              )}`
          : null
      }`,
  );
}

export function complaintsPage(session: AdminSession, report: Complaints): SafeHtml {
  const u = ui(session);
  const s = report.summary;
  return layout(
    session,
    u.t('complaints.title'),
    html`${range(u, report.from, report.to)}
      <div class="stats">
        ${stat(u.t('complaints.feedbackLoop'), s.feedbackLoop, undefined, u)}${stat(u.t('complaints.reclamations'), s.reclamations, undefined, u)}${stat(
          u.t('complaints.open'),
          s.open,
          undefined,
          u,
        )}${stat(u.t('complaints.resolved'), s.resolved, undefined, u)}
      </div>
      ${table(
        [u.t('col.when'), u.t('col.kind'), u.t('col.status'), u.t('col.customer'), u.t('col.campaign'), u.t('complaints.text')],
        report.items.map((i) => [
          cell(i.createdAt, u),
          cell(`${u.word('complaintKind', i.kind)}${i.kind === 'feedback_loop' && i.feedbackType ? ` (${i.feedbackType})` : ''}`),
          cell(u.word('complaintStatus', i.status)),
          person(i.customer),
          campaignLink(u, i.campaignId, i.campaignName),
          html`${i.text ? html`<div data-test="complaint-text">${i.text}</div>` : null}${i.inboundMessage ? html`<div class="muted">${u.t('reports.inbound', { subject: i.inboundMessage.subject ?? '', from: i.inboundMessage.fromAddress ?? '?', id: String(i.inboundMessageId) })}</div>` : null}`,
        ]),
        u.t('complaints.empty'),
      )}`,
  );
}

/** The feedback loop's reasons it writes in English sentences, said in the user's language. */
const REASONS = new Map<string, MessageKey>([
  ['uncorrelated: the report does not prove it is about a message we sent', 'cleanupReason.uncorrelatedReport'],
  ['uncorrelated: the reply does not quote a message we sent', 'cleanupReason.uncorrelatedReply'],
  ['the report names an address that is not the recipient of the message it is about', 'cleanupReason.notRecipientReport'],
  ['the reply does not come from the recipient of the message it quotes', 'cleanupReason.notRecipientReply'],
]);

/** A cleanup entry's reason: a known sentence or bounce reason as words, anything else as written. */
export function cleanupReason(u: Ui, reason: string): string {
  const sentence = REASONS.get(reason);
  if (sentence) return u.t(sentence);
  return /^[a-z_]+$/.test(reason) ? u.word('bounceReason', reason) : reason;
}

const UNDOABLE = new Set(['invalidated', 'suppressed', 'unsubscribed', 'retired', 'contact_created']);

export function cleanupPage(session: AdminSession, report: Cleanup, proposals: AddressChanges, notice: Notice | null): SafeHtml {
  const u = ui(session);
  const admin = canDo(session, 'admin');
  return layout(
    session,
    u.t('cleanup.title'),
    html`${range(u, report.from, report.to)}
      <div class="stats">
        ${report.summary.map((r) =>
          stat(
            `${u.word('cleanupAction', r.action)}${r.undone ? ` (${u.t('cleanup.undoneCount', { n: r.undone })})` : ''}`,
            r.count,
            undefined,
            u,
          ),
        )}
      </div>
      ${table(
        ['#', u.t('col.when'), u.t('col.action'), u.t('col.customer'), u.t('col.address'), u.t('col.why'), u.t('col.evidence'), ''],
        report.items.map((i) => [
          cell(i.id),
          cell(i.createdAt, u),
          html`<span class="badge" title="${i.action}">${u.word('cleanupAction', i.action)}</span>`,
          person(i.customer),
          cell(i.address),
          i.reason ? html`<span title="${i.reason}">${cleanupReason(u, i.reason)}</span>` : cell(null),
          i.inboundMessage
            ? html`${u.word('inboundKind', i.inboundMessage.kind)}: ${i.inboundMessage.subject ?? ''}
                <span class="muted"
                  >${u.t('reports.from', { from: i.inboundMessage.fromAddress ?? '?', id: String(i.inboundMessageId) })}</span
                >`
            : cell(null),
          i.undoneAt
            ? html`<span class="muted" data-test="undone-${i.id}"
                >${u.t('cleanup.undone', { when: u.f.dateTime(i.undoneAt), who: i.undoneBy ?? '?' })}</span
              >`
            : i.appliedAt
              ? html`<span class="muted" data-test="applied-${i.id}"
                  >${u.t('cleanup.applied', { when: u.f.dateTime(i.appliedAt), who: i.appliedBy ?? '?' })}</span
                >`
              : i.action === 'withheld' && admin
                ? html`<span data-test="apply-${i.id}"
                    >${actionButton(session, `/admin/reports/cleanup/${i.id}/apply`, u.t('cleanup.apply'))}</span
                  >`
                : UNDOABLE.has(i.action) && admin
                  ? html`<span data-test="undo-${i.id}"
                      >${actionButton(session, `/admin/reports/cleanup/${i.id}/undo`, u.t('cleanup.undo'), {
                        confirm: u.t('cleanup.undoConfirm', { action: u.word('cleanupAction', i.action), address: i.address ?? '—' }),
                      })}</span
                    >`
                  : null,
        ]),
        u.t('cleanup.empty'),
      )}
      <h2>${u.t('cleanup.proposals')}</h2>
      <p class="muted">${u.t('cleanup.proposalsAbout')}</p>
      ${table(
        [
          '#',
          u.t('col.when'),
          u.t('col.customer'),
          u.t('cleanup.oldAddress'),
          u.t('cleanup.newAddress'),
          u.t('cleanup.proof'),
          u.t('col.evidence'),
          '',
        ],
        proposals.map((p) => [
          cell(p.id),
          cell(p.createdAt, u),
          html`<a href="/admin/customers/${p.customerId}">#${p.customerId}</a>`,
          cell(p.oldAddress),
          cell(p.newAddress),
          html`<span data-test="proof-${p.id}" data-proven="${p.proven ? 'yes' : 'no'}"
            >${p.proven ? u.t('cleanup.proven') : u.t('cleanup.unproven')}</span
          >`,
          p.inboundMessageId === null ? cell(null) : cell(u.t('reports.inboundId', { id: String(p.inboundMessageId) })),
          admin
            ? html`<span data-test="address-change-${p.id}"
                >${actionButton(session, `/admin/reports/address-changes/${p.id}/accept`, u.t('cleanup.accept'))}
                ${actionButton(session, `/admin/reports/address-changes/${p.id}/reject`, u.t('cleanup.reject'), {
                  confirm: u.t('cleanup.rejectConfirm', { address: p.newAddress }),
                })}</span
              >`
            : null,
        ]),
        u.t('cleanup.noProposals'),
      )}`,
    notice,
  );
}

type Leads = Awaited<ReturnType<ReportsService['leads']>>;

export function leadsPage(session: AdminSession, report: Leads): SafeHtml {
  const u = ui(session);
  return layout(
    session,
    u.t('leads.title'),
    html`<div class="stats">
        ${Object.entries(report.summary).map(([status, count]) => stat(u.word('leadStatus', status), count, undefined, u))}
      </div>
      ${table(
        [u.t('col.when'), u.t('col.status'), u.t('col.from'), u.t('col.customer'), u.t('col.campaign'), u.t('leads.text')],
        report.items.map((l) => [
          cell(l.createdAt, u),
          cell(u.word('leadStatus', l.status)),
          cell(l.fromAddress),
          person(l.customer),
          campaignLink(u, l.campaignId, l.campaignName),
          html`<strong>${l.subject ?? ''}</strong>
            <div data-test="lead-text">${l.text ?? ''}</div>`,
        ]),
        u.t('leads.empty'),
      )}`,
  );
}
