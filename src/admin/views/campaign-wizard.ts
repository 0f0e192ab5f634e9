// The campaign wizard's first step: one form in sections (campaign, template with its preview,
// recipients with the reachable count, the template's data fields, attachments, schedule, A/B
// test). Without script every section shows; campaign-wizard.js hides what the chosen channel,
// template and schedule do not use, and refreshes the preview and the count.
import type { AdminSession } from '../admin-auth.service';
import { many, one, EXTRA_VARIANTS, type FormValues } from '../campaign-form';
import type { FieldIssue } from '../../common/domain-error';
import type { DataField } from '../../templates/render/data-fields';
import { html, type SafeHtml } from '../html';
import { hasKey, type MessageKey } from '../i18n/t';
import { segmentName } from './base';
import { csrfField, layout, ui, type Notice, type Ui } from './layout';

export interface WizardView {
  campaignId: number | null;
  campaignName?: string;
  values: FormValues;
  issues: FieldIssue[];
  templates: Array<{ id: number; key: string; name: string; channel: string }>;
  declarations: Map<number, DataField[]>;
  segments: Array<{ id: number; name: string; key: string | null; builtIn: boolean; description: null }>;
  senders: Array<{ id: number; name: string; channel: string; fromAddress: string; fromName: string | null; active: boolean }>;
  documents: Array<{ id: number; name: string; filename: string; latestVersion: number; size: number }>;
  /** the selected segment's reachable count, said in words */
  reach: string | null;
  preview: { subject?: string; html?: string; text?: string; segments?: number } | null;
  /** a data field's default as it would be filled now (`{{run.month}}` expanded) */
  defaultShown: (field: DataField) => string | null;
  zones: string[];
}

/** The form slot an issue belongs to, so it is shown beside its field. */
export function slotOf(path: string): string {
  if (path.startsWith('data.')) return path.split('[')[0];
  if (path === 'schedule.timeZone') return 'timeZone';
  if (path === 'schedule.at' || path === 'at') return 'at';
  if (path.startsWith('schedule.cron') || path === 'schedule') return 'cron';
  if (path.startsWith('attachment')) return 'attach';
  if (path.startsWith('sendingWindow')) return 'window';
  if (path.startsWith('abTest')) return 'ab';
  return path.split(/[.[]/)[0];
}

/** What a field's error says: the API's English turned into the user's language where it is known. */
const SAID: Array<[RegExp, (u: Ui, m: RegExpExecArray) => string]> = [
  [/^is required$|^required\b.*give a value$/, (u) => u.t('form.required')],
  [/is not a date and time$/, (u) => u.t('form.notDate')],
  [/^must be at most (\d+) characters$/, (u, m) => u.t('form.tooLong', { max: Number(m[1]) })],
  [/^expected an IANA time zone/, (u) => u.t('form.notTimeZone')],
  [/^expected a local time HH:MM/, (u) => u.t('wizardIssue.time')],
  [/^expected a day of the month/, (u) => u.t('wizardIssue.monthDay')],
  [/^expected an http\(s\) URL/, (u) => u.t('wizardIssue.url')],
  [/^expected a number$|expected number, received NaN/, (u) => u.t('wizardIssue.number')],
  [/^expected an amount/, (u) => u.t('wizardIssue.money')],
  [/^expected an ISO date/, (u) => u.t('wizardIssue.date')],
  [/^expected a list|^expected one item per line/, (u) => u.t('wizardIssue.list')],
  [/^expected text$/, (u) => u.t('wizardIssue.text')],
  [/^choose the template of variant B/, (u) => u.t('wizardIssue.variantB')],
  [/^expected a time after "from"/, (u) => u.t('wizardIssue.windowOrder')],
  [/^expected five fields/, (u) => u.t('wizardIssue.cronFields')],
  [/^Too small: expected \w+ to be >=?(\d+)/, (u, m) => u.t('wizardIssue.min', { n: Number(m[1]) })],
  [/^Too big: expected \w+ to be <=?(\d+)/, (u, m) => u.t('wizardIssue.max', { n: Number(m[1]) })],
  [/^an A\/B test cannot be combined with local-time/, (u) => u.t('wizardIssue.abLocal')],
  [/^template \d+ is an \w+ template, the campaign sends/, (u) => u.t('wizardIssue.otherChannel')],
  [/^(template|segment|sender|document) \d+ not found/, (u) => u.t('wizardIssue.notFound')],
  [/^not an email address/, (u) => u.t('wizardIssue.notEmail')],
  [/^not a phone number|^give the phone number/, (u) => u.t('wizardIssue.notPhone')],
  [/^the segment has no reachable recipient/, (u) => u.t('wizardIssue.noRecipient')],
];

export function issueMessage(u: Ui, issue: FieldIssue): string {
  for (const [pattern, say] of SAID) {
    const m = pattern.exec(issue.message);
    if (m) return say(u, m);
  }
  if (slotOf(issue.path) === 'cron') return u.t('wizardIssue.cron', { detail: issue.message });
  return issue.message;
}

/** The field's name for an issue: a data field by its declared label, the rest from the catalogue. */
export function issueLabel(u: Ui, path: string, fields: readonly DataField[]): string {
  const slot = slotOf(path);
  if (slot.startsWith('data.')) {
    const name = slot.slice(5);
    return fields.find((f) => f.name === name)?.label ?? name;
  }
  for (const key of [`wizardField.${slot}`, `field.${slot}`]) if (hasKey(key)) return u.t(key);
  return path;
}

/** The notice above a refused form: every issue, by field. */
export function issuesNotice(u: Ui, issues: FieldIssue[], fields: readonly DataField[]): Notice {
  return {
    kind: 'error',
    text: `${u.t('wizard.fix')} ${issues.map((i) => u.t('form.issue', { field: issueLabel(u, i.path, fields), message: issueMessage(u, i) })).join('; ')}`,
  };
}

export function wizardPage(session: AdminSession, view: WizardView, notice: Notice | null): SafeHtml {
  const u = ui(session);
  const v = view.values;
  const channel = one(v, 'channel') === 'sms' ? 'sms' : 'email';
  const kind = one(v, 'scheduleKind') || 'now';
  const templateIds = new Set([one(v, 'templateId'), ...(one(v, 'useAb') ? EXTRA_VARIANTS.map((k) => one(v, `abTemplate.${k}`)) : [])]);
  const errors = new Map<string, string[]>();
  for (const issue of view.issues) {
    const slot = slotOf(issue.path);
    errors.set(slot, [...(errors.get(slot) ?? []), issueMessage(u, issue)]);
  }
  const error = (slot: string) =>
    errors.has(slot) ? html`<p class="field-error" id="err-${slot}" data-test="error-${slot}">${errors.get(slot)!.join('; ')}</p>` : null;
  const invalid = (slot: string) => (errors.has(slot) ? html`aria-invalid="true" aria-describedby="err-${slot}"` : null);
  const hiddenUnless = (shown: boolean) => (shown ? null : html`hidden`);
  const checked = (on: boolean) => (on ? html`checked` : null);
  const selected = (on: boolean) => (on ? html`selected` : null);
  const action = view.campaignId === null ? '/admin/campaigns' : `/admin/campaigns/${view.campaignId}`;
  const title = view.campaignId === null ? u.t('wizard.newTitle') : u.t('wizard.editTitle', { name: view.campaignName ?? '' });

  // ── the template's declared data fields: one row per field name over every template ──
  const fieldRows = new Map<string, { field: DataField; templates: number[] }>();
  for (const [templateId, fields] of view.declarations)
    for (const field of fields) {
      const row = fieldRows.get(field.name);
      if (row) row.templates.push(templateId);
      else fieldRows.set(field.name, { field, templates: [templateId] });
    }
  const dataRows = [...fieldRows.values()].map(({ field, templates }) => {
    const id = `data.${field.name}`;
    const shown = templates.some((t) => templateIds.has(String(t)));
    const raw = v[id];
    const value = typeof raw === 'string' ? raw : '';
    const fallback = view.defaultShown(field);
    const input =
      field.type === 'list'
        ? html`<textarea id="${id}" name="${id}" rows="3" ${invalid(id)}>${value}</textarea>`
        : html`<input
            id="${id}"
            name="${id}"
            type="${field.type === 'url' ? 'url' : field.type === 'number' ? 'number' : field.type === 'date' ? 'date' : 'text'}"
            ${field.type === 'number' ? html`step="any"` : null}
            ${field.type === 'money' ? html`inputmode="decimal"` : null}
            value="${value}"
            ${invalid(id)}
          />`;
    return html`<div class="field" data-templates="${templates.join(' ')}" ${hiddenUnless(shown)}>
      <label for="${id}"
        >${field.label ?? field.name}${field.required ? html` <span class="req">(${u.t('wizard.required')})</span>` : null}</label
      >
      ${input}${field.type === 'list' ? html`<p class="hint">${u.t('wizard.listHint')}</p>` : null}
      ${fallback ? html`<p class="hint">${u.t('wizard.defaultValue', { value: fallback })}</p>` : null} ${error(id)}
    </div>`;
  });
  const anyData = [...fieldRows.values()].some(({ templates }) => templates.some((t) => templateIds.has(String(t))));

  const templateOptions = (name: string, chosen: string, withNone: boolean) =>
    html`${withNone ? html`<option value="">${u.t('wizard.abNone')}</option>` : null}${view.templates.map(
      (t) =>
        html`<option
          value="${t.id}"
          data-channel="${t.channel}"
          ${selected(chosen === String(t.id))}
          ${hiddenUnless(t.channel === channel)}
        >
          ${t.name}
        </option>`,
    )}`;

  const preview = view.preview;
  const days = [1, 2, 3, 4, 5, 6, 7];
  const weekdayBoxes = (name: string, chosen: string[]) =>
    html`<span class="checks"
      >${days.map(
        (d) =>
          html`<label class="check"
            ><input type="checkbox" name="${name}" value="${d}" ${checked(chosen.includes(String(d)))} />
            ${u.t(`weekday.${d}` as MessageKey)}</label
          >`,
      )}</span
    >`;

  return layout(
    session,
    title,
    html`<nav class="steps" aria-label="${u.t('wizard.steps')}">
        <span aria-current="step">${u.t('wizard.step1')}</span>
        ${
          view.campaignId === null
            ? html`<span>${u.t('wizard.step2')}</span>`
            : html`<a href="/admin/campaigns/${view.campaignId}/review">${u.t('wizard.step2')}</a>`
        }
      </nav>
      <form
        method="post"
        action="${action}"
        class="stack wide wizard"
        data-test="campaign-form"
        novalidate
        data-reach-url="/admin/campaigns/reach"
        data-preview-url="/admin/campaigns/preview"
        data-frame-url="/admin/campaigns/preview-frame"
      >
        ${csrfField(session)}
        <fieldset>
          <legend>${u.t('wizard.basics')}</legend>
          <label for="name">${u.t('wizard.name')}</label
          ><input id="name" name="name" maxlength="200" value="${one(v, 'name')}" ${invalid('name')} />${error('name')}
          <span class="label" id="channel-label">${u.t('wizard.channel')}</span>
          <span class="checks" role="radiogroup" aria-labelledby="channel-label">
            ${['email', 'sms'].map(
              (c) =>
                html`<label class="check"
                  ><input type="radio" name="channel" value="${c}" ${checked(channel === c)} /> ${u.word('channel', c)}</label
                >`,
            )} </span
          >${error('channel')}
          <label for="senderId">${u.t('wizard.sender')}</label>
          <select id="senderId" name="senderId" ${invalid('senderId')}>
            <option value="">${u.t('wizard.defaultSender')}</option>
            ${view.senders
              .filter((s) => s.active || one(v, 'senderId') === String(s.id))
              .map(
                (s) =>
                  html`<option
                    value="${s.id}"
                    data-channel="${s.channel}"
                    ${selected(one(v, 'senderId') === String(s.id))}
                    ${hiddenUnless(s.channel === channel)}
                  >
                    ${s.name} —
                    ${s.fromName ? `${s.fromName} <${s.fromAddress}>` : s.fromAddress}${s.active ? '' : ` (${u.t('wizard.senderOff')})`}
                  </option>`,
              )}
          </select>
          ${error('senderId')}
        </fieldset>

        <fieldset>
          <legend>${u.t('wizard.template')}</legend>
          <label for="templateId">${u.t('wizard.template')}</label>
          <select id="templateId" name="templateId" ${invalid('templateId')}>
            ${templateOptions('templateId', one(v, 'templateId'), false)}
          </select>
          ${error('templateId')}
          <div
            class="preview-box"
            id="preview"
            data-test="preview"
            aria-live="polite"
            data-subject-label="${u.t('wizard.previewHint')}"
            data-frame-title="${u.t('wizard.previewFrame')}"
          >
            <span class="label">${u.t('wizard.preview')}</span>
            ${
              preview
                ? html`${
                    preview.subject !== undefined
                      ? html`<p class="muted">
                          ${u.t('wizard.previewHint')} <strong data-test="preview-subject">${preview.subject}</strong>
                        </p>`
                      : null
                  }
                  ${
                    preview.html !== undefined
                      ? html`<iframe class="preview" sandbox="" srcdoc="${preview.html}" title="${u.t('wizard.previewFrame')}"></iframe>`
                      : html`<pre data-test="preview-text">${preview.text ?? ''}</pre>
                          ${preview.segments ? html`<p class="muted">${u.t('wizard.smsParts', { n: preview.segments })}</p>` : null}`
                  }`
                : html`<p class="muted">${u.t('wizard.previewNone')}</p>`
            }
          </div>
        </fieldset>

        <fieldset>
          <legend>${u.t('wizard.audience')}</legend>
          <label for="segmentId">${u.t('wizard.segment')}</label>
          <select id="segmentId" name="segmentId" ${invalid('segmentId')}>
            ${view.segments.map((s) => html`<option value="${s.id}" ${selected(one(v, 'segmentId') === String(s.id))}>${segmentName(u, s)}</option>`)}
          </select>
          ${error('segmentId')}
          <p class="reach" id="reach" data-test="reach" aria-live="polite">${view.reach ?? ''}</p>
          <p class="hint">${u.t('wizard.reachHint')}</p>
        </fieldset>

        <fieldset data-test="data-fields">
          <legend>${u.t('wizard.data')}</legend>
          ${dataRows}
          <p class="muted" data-no-data ${hiddenUnless(!anyData)}>${u.t('wizard.noData')}</p>
        </fieldset>

        <fieldset data-when-channel="email" ${hiddenUnless(channel === 'email')}>
          <legend>${u.t('wizard.documents')}</legend>
          ${
            view.documents.length
              ? html`<p class="hint">${u.t('wizard.documentsHint')}</p>
                  ${view.documents.map((d) => {
                    const policy = one(v, `ifUnchanged.${d.id}`) || 'send';
                    return html`<div class="document">
                      <label class="check"
                        ><input type="checkbox" name="attach" value="${d.id}" ${checked(many(v, 'attach').includes(String(d.id)))} />
                        ${u.t('wizard.document', { name: d.name, filename: d.filename, version: d.latestVersion, size: fileSize(u, d.size) })}</label
                      >
                      <label for="ifUnchanged.${d.id}" class="sub">${u.t('wizard.ifUnchanged')}</label>
                      <select id="ifUnchanged.${d.id}" name="ifUnchanged.${d.id}">
                        ${['send', 'warn', 'wait'].map(
                          (p) => html`<option value="${p}" ${selected(policy === p)}>${u.t(`wizard.policy.${p}` as MessageKey)}</option>`,
                        )}
                      </select>
                    </div>`;
                  })}`
              : html`<p class="muted">${u.t('wizard.noDocuments')}</p>`
          }
          ${error('attach')}
        </fieldset>

        <fieldset>
          <legend>${u.t('wizard.schedule')}</legend>
          <span class="checks column" role="radiogroup" aria-label="${u.t('wizard.schedule')}">
            ${(['now', 'at', 'monthly', 'weekly', 'cron'] as const).map(
              (k) =>
                html`<label class="check"
                  ><input type="radio" name="scheduleKind" value="${k}" ${checked(kind === k)} /> ${u.t(`wizard.kind.${k}`)}</label
                >`,
            )}
          </span>
          <div data-when-kind="at" ${hiddenUnless(kind === 'at')}>
            <label for="at">${u.t('wizard.at')}</label
            ><input id="at" name="at" type="datetime-local" value="${one(v, 'at')}" ${invalid('at')} />${error('at')}
          </div>
          <div data-when-kind="monthly" ${hiddenUnless(kind === 'monthly')}>
            <label for="monthDay">${u.t('wizard.monthDay')}</label>
            <select id="monthDay" name="monthDay" ${invalid('monthDay')}>
              ${Array.from({ length: 28 }, (_, i) => i + 1).map(
                (d) => html`<option value="${d}" ${selected((one(v, 'monthDay') || '1') === String(d))}>${d}</option>`,
              )}
            </select>
            ${error('monthDay')}
          </div>
          <div data-when-kind="weekly" ${hiddenUnless(kind === 'weekly')}>
            <span class="label">${u.t('wizard.weekdays')}</span>${weekdayBoxes('weekday', many(v, 'weekday'))}${error('weekday')}
          </div>
          <div data-when-kind="monthly weekly" ${hiddenUnless(kind === 'monthly' || kind === 'weekly')}>
            <label for="time">${u.t('wizard.time')}</label
            ><input id="time" name="time" type="time" value="${one(v, 'time') || '10:00'}" ${invalid('time')} />${error('time')}
          </div>
          <div data-when-kind="cron" ${hiddenUnless(kind === 'cron')}>
            <label for="cron">${u.t('wizard.cron')}</label
            ><input id="cron" name="cron" value="${one(v, 'cron')}" spellcheck="false" ${invalid('cron')} />${error('cron')}
          </div>
          <label for="timeZone">${u.t('wizard.timeZone')}</label
          ><input id="timeZone" name="timeZone" list="zones" value="${one(v, 'timeZone')}" ${invalid('timeZone')} />
          <datalist id="zones">${view.zones.map((z) => html`<option value="${z}"></option>`)}</datalist>
          ${error('timeZone')}
          <label class="check"
            ><input type="checkbox" name="useLocalTime" value="1" ${checked(!!one(v, 'useLocalTime'))} />
            ${u.t('wizard.useLocalTime')}</label
          >
          <div data-when-check="useLocalTime" ${hiddenUnless(!!one(v, 'useLocalTime'))}>
            <label for="localTime">${u.t('wizard.localTime')}</label
            ><input id="localTime" name="localTime" type="time" value="${one(v, 'localTime') || '10:00'}" ${invalid('localTime')} />
          </div>
          ${error('localTime')}
          <label class="check"
            ><input type="checkbox" name="useWindow" value="1" ${checked(!!one(v, 'useWindow'))} /> ${u.t('wizard.useWindow')}</label
          >
          <div data-when-check="useWindow" ${hiddenUnless(!!one(v, 'useWindow'))}>
            <span class="label">${u.t('wizard.windowDays')}</span
            >${weekdayBoxes('windowDay', one(v, 'useWindow') ? many(v, 'windowDay') : ['1', '2', '3', '4', '5'])}
            <span class="pair"
              ><span
                ><label for="windowFrom">${u.t('wizard.windowFrom')}</label
                ><input id="windowFrom" name="windowFrom" type="time" value="${one(v, 'windowFrom') || '09:00'}" /></span
              ><span
                ><label for="windowTo">${u.t('wizard.windowTo')}</label
                ><input id="windowTo" name="windowTo" type="time" value="${one(v, 'windowTo') || '19:00'}" /></span
            ></span>
          </div>
          ${error('window')}
        </fieldset>

        <fieldset>
          <legend>${u.t('wizard.ab')}</legend>
          <label class="check"><input type="checkbox" name="useAb" value="1" ${checked(!!one(v, 'useAb'))} /> ${u.t('wizard.useAb')}</label>
          <div data-when-check="useAb" ${hiddenUnless(!!one(v, 'useAb'))}>
            <p class="hint">${u.t('wizard.abHint')}</p>
            ${EXTRA_VARIANTS.map(
              (key) =>
                html`<label for="abTemplate.${key}">${u.t('wizard.abVariant', { key })}</label>
                  <select id="abTemplate.${key}" name="abTemplate.${key}" data-variant>
                    ${templateOptions(`abTemplate.${key}`, one(v, `abTemplate.${key}`), true)}
                  </select>`,
            )}
            <label for="abPercent">${u.t('wizard.abPercent')}</label
            ><input id="abPercent" name="abPercent" type="number" min="1" max="50" value="${one(v, 'abPercent') || '20'}" />
            <label for="abMetric">${u.t('wizard.abMetric')}</label>
            <select id="abMetric" name="abMetric">
              ${['open', 'click'].map((m) => html`<option value="${m}" ${selected((one(v, 'abMetric') || 'open') === m)}>${u.t(`wizard.abMetric.${m}` as MessageKey)}</option>`)}
            </select>
            <label for="abHours">${u.t('wizard.abHours')}</label
            ><input id="abHours" name="abHours" type="number" min="1" step="any" value="${one(v, 'abHours') || '4'}" />
          </div>
          ${error('ab')}
        </fieldset>
        <button type="submit">${u.t('wizard.save')}</button>
      </form>`,
    notice,
    ['campaign-wizard'],
  );
}

function fileSize(u: Ui, bytes: number): string {
  return bytes >= 1024 * 1024
    ? u.t('wizard.mb', { n: Math.round((bytes / 1024 / 1024) * 10) / 10 })
    : u.t('wizard.kb', { n: Math.ceil(bytes / 1024) });
}
