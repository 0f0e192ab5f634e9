// The campaign wizard's last step: what will go out, a test send to a typed address, the
// pre-flight report in words (each problem with its field and the sample recipient), and the
// confirmation naming the audience size. A campaign whose pre-flight finds an error gets no
// confirm button: the page says why.
import type { AdminSession } from '../admin-auth.service';
import type { FieldIssue } from '../../common/domain-error';
import type { PreflightProblem, PreflightReport } from '../../campaigns/preflight';
import type { DataField } from '../../templates/render/data-fields';
import { html, type SafeHtml } from '../html';
import type { MessageKey } from '../i18n/t';
import { issueMessage } from './campaign-wizard';
import { csrfField, layout, ui, type Notice, type Ui } from './layout';

export interface ReviewView {
  campaign: {
    id: number;
    name: string;
    channel: string;
    status: string;
    scheduleKind: string;
    attachments: Array<{ attachment: { name: string; filename: string; latestVersion: number } }>;
    abTest: unknown;
    localTime: string | null;
    sendingWindow: unknown;
    data: unknown;
  };
  template: string;
  segment: string;
  sender: string;
  schedule: string;
  firstRun: Date | null;
  reach: number;
  declaration: DataField[];
  templateNames: Map<number, string>;
  preflight: PreflightReport;
  testTo: string;
  testIssues: FieldIssue[];
}

export function reviewPage(session: AdminSession, view: ReviewView, notice: Notice | null): SafeHtml {
  const u = ui(session);
  const c = view.campaign;
  const data = c.data && typeof c.data === 'object' ? (c.data as Record<string, unknown>) : {};
  const errors = view.preflight.problems.filter((p) => p.severity === 'error');
  const ab = c.abTest as {
    variants: Array<{ key: string; templateId: number }>;
    samplePercent: number;
    metric: string;
    decideAfterMinutes: number;
  } | null;
  const window = c.sendingWindow as { days: number[]; from: string; to: string } | null;
  const testError = view.testIssues.map((i) => issueMessage(u, i)).join('; ');
  const later = c.scheduleKind !== 'now';
  const fact = (label: string, value: SafeHtml | string, test?: string) =>
    html`<dt>${label}</dt>
      <dd data-test="${test ?? null}">${value}</dd>`;
  return layout(
    session,
    u.t('review.title', { name: c.name }),
    html`<nav class="steps" aria-label="${u.t('wizard.steps')}">
        ${c.status === 'draft' ? html`<a href="/admin/campaigns/${c.id}/edit">${u.t('wizard.step1')}</a>` : html`<span>${u.t('wizard.step1')}</span>`}
        <span aria-current="step">${u.t('wizard.step2')}</span>
      </nav>
      <h2>${u.t('review.summary')}</h2>
      <dl class="facts" data-test="summary">
        ${fact(u.t('wizard.channel'), u.word('channel', c.channel))} ${fact(u.t('wizard.sender'), view.sender)}
        ${fact(u.t('wizard.template'), view.template)}
        ${fact(u.t('wizard.segment'), `${view.segment} · ${u.t('review.reachNow', { n: view.reach })}`, 'reach')}
        ${
          view.declaration.length
            ? fact(
                u.t('wizard.data'),
                html`${view.declaration.map(
                  (f) =>
                    html`<span class="datum">${f.label ?? f.name}: <strong>${shown(data[f.name]) || u.t('review.none')}</strong></span>`,
                )}`,
                'data',
              )
            : null
        }
        ${
          c.channel === 'email'
            ? fact(
                u.t('wizard.documents'),
                c.attachments.length
                  ? c.attachments.map((a) => `${a.attachment.name} (${a.attachment.filename}, v${a.attachment.latestVersion})`).join(', ')
                  : u.t('review.none'),
                'documents',
              )
            : null
        }
        ${fact(
          u.t('wizard.schedule'),
          html`${view.schedule}${c.localTime ? html`; ${u.t('review.localTime', { time: c.localTime })}` : null}${
            window
              ? html`;
                ${u.t('review.window', { days: window.days.map((d) => u.t(`weekday.${d}` as MessageKey)).join(', '), from: window.from, to: window.to })}`
              : null
          }`,
          'schedule',
        )}
        ${
          ab
            ? fact(
                u.t('wizard.ab'),
                u.t('review.abSummary', {
                  variants: ab.variants.map((v) => `${v.key} — ${view.templateNames.get(v.templateId) ?? v.templateId}`).join(', '),
                  percent: ab.samplePercent,
                  metric: u.t(`wizard.abMetric.${ab.metric}` as MessageKey),
                  hours: Math.round((ab.decideAfterMinutes / 60) * 100) / 100,
                }),
              )
            : null
        }
      </dl>
      ${c.status === 'draft' ? html`<p><a href="/admin/campaigns/${c.id}/edit" data-test="edit">${u.t('review.edit')}</a></p>` : null}

      <h2>${u.t('review.test')}</h2>
      <form method="post" action="/admin/campaigns/${c.id}/test-send" class="stack" data-test="test-form" novalidate>
        ${csrfField(session)}
        <p class="hint">${u.t('review.testHint')}</p>
        <label for="to">${u.t('review.testTo')}</label
        ><input
          id="to"
          name="to"
          type="${c.channel === 'email' ? 'email' : 'tel'}"
          value="${view.testTo}"
          ${testError ? html`aria-invalid="true" aria-describedby="err-to"` : null}
        />
        ${testError ? html`<p class="field-error" id="err-to" data-test="error-to">${testError}</p>` : null}
        <button type="submit" class="secondary">${u.t('review.testSend')}</button>
      </form>

      <h2>${u.t('review.preflight')}</h2>
      ${
        view.preflight.problems.length
          ? html`<ul class="problems" data-test="preflight">
              ${view.preflight.problems.map((p) => problemItem(u, p, view.declaration))}
            </ul>`
          : null
      }
      ${
        errors.length === 0
          ? html`<p class="notice ok" data-test="preflight-ok">${u.t('review.preflightOk', { n: view.preflight.samples.length })}</p>`
          : null
      }

      <h2>${u.t('review.confirm')}</h2>
      <section class="confirm" data-test="confirm">
        ${
          c.status !== 'draft'
            ? html`<p>${u.t('review.notDraft', { status: u.word('campaignStatus', c.status) })}</p>`
            : errors.length
              ? html`<p class="notice error" data-test="blocked">${u.t('review.blocked')}</p>
                  <p><a href="/admin/campaigns/${c.id}/edit" class="button">${u.t('review.edit')}</a></p>`
              : html`<p class="question" data-test="question">${u.t(later ? 'review.sendLater' : 'review.sendNow', { n: view.reach })}</p>
                  ${view.firstRun && later ? html`<p>${u.t('review.firstRun', { when: u.f.dateTime(view.firstRun) })}</p>` : null}
                  <p class="hint">${u.t('review.recountNote')}</p>
                  <form method="post" action="/admin/campaigns/${c.id}/schedule" class="inline">
                    ${csrfField(session)}<input type="hidden" name="back" value="/admin/campaigns/${c.id}" />
                    <button type="submit" data-test="confirm-button">${u.t(later ? 'review.yesLater' : 'review.yesNow')}</button>
                  </form>`
        }
      </section>`,
    notice,
  );
}

/** One pre-flight problem as a sentence, with its field and the recipient whose message shows it. */
export function problemItem(u: Ui, p: PreflightProblem, declaration: readonly DataField[]): SafeHtml {
  return html`<li class="problem ${p.severity}" data-test="problem" data-code="${p.code}">
    <span class="badge ${p.severity === 'error' ? 'status-failed' : 'status-paused'}"
      >${u.t(p.severity === 'error' ? 'review.error' : 'review.warning')}</span
    >
    ${problemText(u, p, declaration)}
    <span class="muted">
      ${p.field ? html`${u.t('review.field', { field: fieldName(u, p.field, declaration) })}.` : null}
      ${
        p.recipient
          ? p.recipient.customerId === null
            ? u.t('review.recipientNone')
            : html`<a href="/admin/customers/${p.recipient.customerId}"
                >${u.t('review.recipient', { id: p.recipient.customerId, sample: u.word('sample', p.recipient.sample) })}</a
              >`
          : null
      }
    </span>
  </li>`;
}

export function problemText(u: Ui, p: PreflightProblem, declaration: readonly DataField[]): string {
  const d = p.detail ?? {};
  const field = p.field ?? '';
  switch (p.code) {
    case 'data_missing':
      return u.t('preflight.data_missing', { label: String(d.label ?? fieldName(u, field, declaration)) });
    case 'link_invalid':
      return p.severity === 'warning' ? u.t('preflight.link_empty') : u.t('preflight.link_invalid', { href: String(d.href ?? '') });
    case 'brand_unset': {
      const name = fieldName(u, field, declaration);
      if (p.severity === 'error') return u.t('preflight.brand_unset', { field: name });
      return d.shown !== undefined
        ? u.t('preflight.brand_fallback', { field: name, shown: String(d.shown) })
        : u.t('preflight.brand_guarded', { field: name });
    }
    case 'attachment_missing':
      return u.t('preflight.attachment_missing', { word: String(d.word ?? '') });
    case 'unknown_variable':
      return u.t('preflight.unknown_variable', { field });
    case 'sms_too_long':
      return u.t('preflight.sms_too_long', { segments: Number(d.segments ?? 0), max: Number(d.max ?? 0) });
    default:
      return u.t(`preflight.${p.code}` as MessageKey);
  }
}

/** A problem's field in words: a data field by its label, a brand setting by name, the rest as written. */
function fieldName(u: Ui, field: string, declaration: readonly DataField[]): string {
  if (field.startsWith('data.')) return declaration.find((f) => `data.${f.name}` === field)?.label ?? field.slice(5);
  if (field.startsWith('brand.')) return u.word('brandField', field.slice(6));
  if (field === 'attachmentIds') return u.t('wizard.documents');
  if (field === 'subject') return u.t('field.subject');
  if (field === 'segmentId') return u.t('wizard.segment');
  if (field === 'href') return u.t('review.fieldHref');
  if (field === 'text') return u.t('review.fieldText');
  return field;
}

function shown(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join('; ');
  return String(value);
}
