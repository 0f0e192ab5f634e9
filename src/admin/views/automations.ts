// Automations (triggers): the list with each one's firings of the last 7 days, the choice of a
// type, the form of each type (create and edit), and an automation's page with its settings and
// recent firings: who, when, by which channel, and what became of the message (or why none was made).
import type { TriggersService } from '../../triggers/triggers.service';
import { NO_CHANNEL_REASON } from '../../triggers/firing.sql';
import { ORDER_STATUSES, TRIGGER_TYPES, type TriggerTypeName } from '../../triggers/dto/trigger.dto';
import type { AdminSession } from '../admin-auth.service';
import { TYPE_OPTIONS } from '../automation-forms';
import { html, type SafeHtml } from '../html';
import type { MessageKey } from '../i18n/t';
import { segmentName } from './base';
import { actionButton, canDo, cell, csrfField, layout, table, ui, type Notice, type Ui } from './layout';

export type TriggerView = Awaited<ReturnType<TriggersService['get']>>;
export type Firing = Awaited<ReturnType<TriggersService['recentFirings']>>[number];

/** A template key with the channels it exists for (a trigger names a key; each channel needs one). */
export interface TemplateChoice {
  key: string;
  name: string;
  channels: string[];
  /** The template of each channel, for links. */
  ids: Record<string, number>;
}

export interface SegmentChoice {
  id: number;
  name: string;
  key: string | null;
  builtIn: boolean;
  description: string | null;
}

export interface AutomationChoices {
  templates: TemplateChoice[];
  segments: SegmentChoice[];
}

const CHANNELS = ['email', 'sms'] as const;

function typeWord(u: Ui, type: string): string {
  return u.word('triggerType', type);
}

function channelsText(u: Ui, channels: readonly string[]): string {
  return channels.map((c) => u.word('channel', c)).join(' → ');
}

function stateBadge(u: Ui, active: boolean, testId: string): SafeHtml {
  return html`<span class="badge status-${active ? 'running' : 'paused'}" data-test="${testId}" data-active="${String(active)}"
    >${u.t(active ? 'automations.active' : 'automations.paused')}</span
  >`;
}

/** Pause or resume (a POST each), and delete behind a question, for marketers. */
function automationActions(session: AdminSession, a: { id: number; name: string; active: boolean }, back: string, withDelete: boolean) {
  if (!canDo(session, 'marketer')) return null;
  const u = ui(session);
  const extra = html`<input type="hidden" name="back" value="${back}" />`;
  return html`<span class="actions"
    >${
      a.active
        ? actionButton(session, `/admin/automations/${a.id}/pause`, u.t('automations.pause'), { extra })
        : actionButton(session, `/admin/automations/${a.id}/resume`, u.t('automations.resume'), { extra })
    }${
      withDelete
        ? actionButton(session, `/admin/automations/${a.id}/delete`, u.t('automations.delete'), {
            confirm: u.t('automations.deleteConfirm', { name: a.name }),
          })
        : null
    }</span
  >`;
}

export function automationsPage(session: AdminSession, rows: TriggerView[], fired: Map<number, number>, notice: Notice | null): SafeHtml {
  const u = ui(session);
  return layout(
    session,
    u.t('automations.title'),
    html`<p class="muted">${u.t('automations.about')}</p>
      ${canDo(session, 'marketer') ? html`<p><a href="/admin/automations/new" class="button" data-test="new-automation">${u.t('automations.new')}</a></p>` : null}
      ${table(
        [
          '#',
          u.t('col.name'),
          u.t('automations.col.type'),
          u.t('automations.col.channels'),
          u.t('automations.col.template'),
          u.t('col.status'),
          u.t('automations.col.fired7d'),
          '',
        ],
        rows.map((a) => [
          cell(a.id),
          html`<a href="/admin/automations/${a.id}" data-test="automation-${a.id}">${a.name}</a>`,
          html`<span data-test="type-${a.id}">${typeWord(u, a.type)}</span>`,
          cell(channelsText(u, a.channels)),
          html`<code>${a.template}</code>`,
          stateBadge(u, a.active, `state-${a.id}`),
          html`<span data-test="fired-${a.id}">${u.f.number(fired.get(a.id) ?? 0)}</span>`,
          automationActions(session, a, '/admin/automations', false),
        ]),
        u.t('automations.empty'),
      )}`,
    notice,
  );
}

/** The first step of a new automation: which type (each a link to its own form; no script needed). */
export function automationTypesPage(session: AdminSession): SafeHtml {
  const u = ui(session);
  return layout(
    session,
    u.t('automations.new'),
    html`<h2>${u.t('automations.chooseType')}</h2>
      <ul class="choices" data-test="automation-types">
        ${TRIGGER_TYPES.map(
          (type) =>
            html`<li>
              <a href="/admin/automations/new?type=${type}" data-test="type-${type}">${typeWord(u, type)}</a>
              <span class="muted">— ${u.t(`triggerTypeAbout.${type}`)}</span>
            </li>`,
        )}
      </ul>`,
  );
}

export interface AutomationFormView {
  /** null: a new automation. */
  id: number | null;
  name?: string;
  type: TriggerTypeName;
  values: Record<string, string>;
  /** A message per form field, shown beside it. */
  errors: Record<string, string>;
  choices: AutomationChoices;
}

function option(value: string, label: string, chosen: string | undefined): SafeHtml {
  return html`<option value="${value}" ${chosen === value ? html`selected` : null}>${label}</option>`;
}

/** A labelled control with its hint and its error beside it (aria-invalid, aria-describedby). */
function control(
  name: string,
  label: string,
  input: (attrs: SafeHtml) => SafeHtml,
  options: { error?: string; hint?: string | null } = {},
): SafeHtml {
  const id = `f-${name}`;
  const described = [options.hint ? `${id}-hint` : null, options.error ? `${id}-error` : null].filter(Boolean).join(' ');
  const attrs = html`id="${id}" name="${name}" ${options.error ? html`aria-invalid="true"` : null}
  ${described ? html`aria-describedby="${described}"` : null}`;
  return html`<div class="field" data-field="${name}">
    <label for="${id}">${label}</label>${input(attrs)}
    ${options.hint ? html`<p class="muted hint" id="${id}-hint">${options.hint}</p>` : null}
    ${options.error ? html`<p class="notice error field-error" id="${id}-error" data-test="error-${name}">${options.error}</p>` : null}
  </div>`;
}

export function automationFormPage(session: AdminSession, view: AutomationFormView, notice: Notice | null): SafeHtml {
  const u = ui(session);
  const v = view.values;
  const e = view.errors;
  const creating = view.id === null;
  const label = (name: string) => u.t(`automationField.${name}` as MessageKey);
  const text = (name: string, hint?: string | null, attrs: SafeHtml | null = null) =>
    control(name, label(name), (a) => html`<input ${a} value="${v[name] ?? ''}" ${attrs} />`, { error: e[name], hint });
  const number = (name: string, labelText: string, min: number, max: number, hint?: string | null) =>
    control(
      name,
      labelText,
      (a) => html`<input ${a} type="number" inputmode="numeric" min="${min}" max="${max}" value="${v[name] ?? ''}" />`,
      {
        error: e[name],
        hint,
      },
    );
  const templateSelect = (name: string, empty: string, hint: string) =>
    control(
      name,
      label(name),
      (a) =>
        html`<select ${a}>
          ${option('', empty, v[name] ?? '')}
          ${view.choices.templates.map((t) =>
            option(t.key, `${t.name} (${t.key}; ${t.channels.map((c) => u.word('channel', c)).join(', ')})`, v[name]),
          )}
        </select>`,
      { error: e[name], hint },
    );

  const typeFields: Record<string, () => SafeHtml> = {
    daysBefore: () => number('daysBefore', label('daysBefore'), 0, 60),
    localHour: () =>
      number(
        'localHour',
        label('localHour'),
        0,
        23,
        u.t(view.type === 'birthday' ? 'automations.hint.localHour.birthday' : 'automations.hint.localHour.daily'),
      ),
    promoCode: () => text('promoCode', u.t('automations.hint.promoCode')),
    discountPercent: () => number('discountPercent', label('discountPercent'), 0, 100),
    promoValidDays: () => number('promoValidDays', label('promoValidDays'), 0, 365),
    orderStatus: () =>
      control(
        'orderStatus',
        label('orderStatus'),
        (a) =>
          html`<select ${a}>
            ${option('', u.t('automations.choose'), v.orderStatus ?? '')}
            ${ORDER_STATUSES.map((s) => option(s, u.word('orderStatus', s), v.orderStatus))}
          </select>`,
        { error: e.orderStatus },
      ),
    secondTemplate: () => templateSelect('secondTemplate', u.t('automations.noSecondTemplate'), u.t('automations.hint.secondTemplate')),
    secondStepDays: () => number('secondStepDays', label('secondStepDays'), 1, 365),
    days: () => number('days', u.t(view.type === 'win_back' ? 'automations.days.win_back' : 'automations.days.re_engagement'), 1, 3650),
    eventName: () => text('eventName', u.t('automations.hint.event')),
  };
  const defaultRule = view.type === 'order_status' ? 'not_opted_out' : 'opted_in';
  const action = creating ? '/admin/automations' : `/admin/automations/${view.id}`;
  return layout(
    session,
    creating ? u.t('automations.newOf', { type: typeWord(u, view.type) }) : u.t('automations.editOf', { name: view.name ?? '' }),
    html`<form method="post" action="${action}" class="stack" data-test="automation-form" novalidate>
      ${csrfField(session)}<input type="hidden" name="type" value="${view.type}" />
      ${creating ? null : html`<p class="muted">${u.t('automations.typeFixed', { type: typeWord(u, view.type) })}</p>`}
      <fieldset>
        <legend>${u.t('automations.general')}</legend>
        ${text('name', null, html`maxlength="200"`)}
        ${control(
          'channel1',
          label('channel1'),
          (a) =>
            html`<select ${a}>
              ${CHANNELS.map((c) => option(c, u.word('channel', c), v.channel1 ?? 'email'))}
            </select>`,
          { error: e.channels ?? e.channel1, hint: u.t('automations.hint.channels') },
        )}
        ${control(
          'channel2',
          label('channel2'),
          (a) =>
            html`<select ${a}>
              ${option('', u.t('automations.noSecondChannel'), v.channel2 ?? '')}${CHANNELS.map((c) => option(c, u.word('channel', c), v.channel2))}
            </select>`,
          { error: e.channel2 },
        )}
        ${templateSelect('template', u.t('automations.choose'), u.t('automations.hint.template'))}
      </fieldset>
      <fieldset>
        <legend>${u.t('automations.typeSettings')}</legend>
        ${view.type === 'welcome' && creating ? html`<p class="muted">${u.t('automations.hint.welcome')}</p>` : null}
        ${TYPE_OPTIONS[view.type].map((name) => typeFields[name]())}
        ${control(
          'segmentId',
          label('segmentId'),
          (a) =>
            html`<select ${a}>
              ${option('', u.t('automations.noSegment'), v.segmentId ?? '')}
              ${view.choices.segments.map((s) => option(String(s.id), segmentName(u, s), v.segmentId))}
            </select>`,
          { error: e.segmentId, hint: u.t('automations.hint.segment') },
        )}
        ${number('delayMinutes', label('delayMinutes'), 0, 60 * 24 * 90, u.t('automations.hint.delay'))}
      </fieldset>
      <fieldset>
        <legend>${u.t('automations.more')}</legend>
        ${control(
          'consent',
          label('consent'),
          (a) =>
            html`<select ${a}>
              ${option('', u.t('automations.consentDefault', { rule: u.t(`consentRule.${defaultRule}`) }), v.consent ?? '')}
              ${(['opted_in', 'not_opted_out'] as const).map((c) => option(c, u.t(`consentRule.${c}`), v.consent))}
            </select>`,
          { error: e.consent },
        )}
        <label class="check"
          ><input type="checkbox" name="quietHours" value="1" ${v.quietHours ? html`checked` : null} /> ${label('quietHours')}</label
        >
        ${control('data', label('data'), (a) => html`<textarea ${a} rows="3">${v.data ?? ''}</textarea>`, {
          error: e.data,
          hint: u.t('automations.hint.data'),
        })}
        ${
          creating
            ? html`<label class="check"
                ><input type="checkbox" name="active" value="1" ${v.active ? html`checked` : null} /> ${u.t('automations.activeNow')}</label
              >`
            : null
        }
      </fieldset>
      <button type="submit">${creating ? u.t('automations.create') : u.t('common.save')}</button>
    </form>`,
    notice,
  );
}

/** Why a message waits or was not sent, as the delivery module records it, in the user's words; unknown reasons as they are. */
export function messageReason(u: Ui, reason: string): string {
  const fixed: Record<string, MessageKey> = {
    'quiet hours': 'messageReason.quietHours',
    'trigger delay': 'messageReason.triggerDelay',
    'customer erased': 'messageReason.erased',
    'no email address': 'messageReason.noEmail',
    'no phone number': 'messageReason.noPhone',
    'invalid email address': 'messageReason.badEmail',
    'invalid phone number': 'messageReason.badPhone',
    'no consent': 'messageReason.noConsent',
    'outside the sending window': 'messageReason.window',
    'no longer reachable when its time came': 'messageReason.unreachable',
    [NO_CHANNEL_REASON]: 'automation.reason.noChannel',
  };
  if (Object.hasOwn(fixed, reason)) return u.t(fixed[reason]);
  let m = /^consent (\w+)$/.exec(reason);
  if (m) return u.t('messageReason.consent', { status: u.word('consentStatus', m[1]) });
  m = /^suppressed: (\w+)$/.exec(reason);
  if (m) return u.t('messageReason.suppressed', { reason: u.word('suppressionReason', m[1]) });
  if (reason.startsWith('frequency cap')) return u.t('messageReason.frequencyCap');
  return reason;
}

/** A firing's occurrence key as words: the birthday, the order and its status, the event… */
export function occasion(u: Ui, key: string): string {
  let m = /^(\d{4}-\d\d-\d\d)$/.exec(key);
  if (m) return u.t('occasion.birthday', { date: u.f.day(m[1]) });
  m = /^order:(\d+):(\w+)$/.exec(key);
  if (m) return u.t('occasion.order', { id: m[1], status: u.word('orderStatus', m[2]) });
  if (key === 'welcome:1') return u.t('occasion.welcome1');
  if (key === 'welcome:2') return u.t('occasion.welcome2');
  m = /^last-order:(\d{4}-\d\d-\d\d)/.exec(key);
  if (m) return u.t('occasion.lastOrder', { date: u.f.day(m[1]) });
  if (key.startsWith('period:')) return u.t('occasion.period');
  m = /^event:(.+):[^:]+$/.exec(key);
  if (m) return u.t('occasion.event', { name: m[1] });
  return key;
}

function customerLink(c: Firing['customer']): SafeHtml {
  const name = [c.firstName, c.lastName].filter(Boolean).join(' ') || c.companyName || c.email || c.phone || `#${c.id}`;
  return html`<a href="/admin/customers/${c.id}">${name}</a>`;
}

/** What became of a firing: its message's status (and why it waits or was skipped), or why no message was made. */
function firingOutcome(u: Ui, f: Firing): SafeHtml {
  if (!f.message)
    return html`<span class="muted" data-test="outcome"
      >${u.t('automation.noMessage', { reason: messageReason(u, f.reason ?? NO_CHANNEL_REASON) })}</span
    >`;
  const status = u.word('messageStatus', f.message.status);
  const shown = f.message.statusReason
    ? u.t('automation.messageBecause', { status, reason: messageReason(u, f.message.statusReason) })
    : status;
  return html`<span data-test="outcome" data-status="${f.message.status}">${shown}</span>${
      f.message.status === 'held' && f.message.scheduledFor ? html` · ${cell(f.message.scheduledFor, u)}` : null
    }`;
}

function optionFacts(u: Ui, a: TriggerView, templateLink: (key: string) => SafeHtml): Array<[string, SafeHtml]> {
  const o = (a.options ?? {}) as Record<string, unknown>;
  const label = (name: string) => u.t(`automationField.${name}` as MessageKey);
  const facts: Array<[string, SafeHtml]> = [];
  for (const name of TYPE_OPTIONS[a.type]) {
    const value = o[name];
    if (value === undefined || value === null || value === '') continue;
    let shown: SafeHtml;
    if (name === 'orderStatus') shown = html`${u.word('orderStatus', String(value))}`;
    else if (name === 'secondTemplate') shown = templateLink(String(value));
    else if (name === 'localHour') shown = html`${u.t('automation.hour', { hour: String(value).padStart(2, '0') })}`;
    else if (name === 'daysBefore' || name === 'days' || name === 'promoValidDays' || name === 'secondStepDays')
      shown = html`${u.t('automation.daysValue', { n: Number(value) })}`;
    else shown = html`${String(value)}`;
    const title =
      name === 'days'
        ? u.t(a.type === 'win_back' ? 'automations.days.win_back' : 'automations.days.re_engagement')
        : name === 'daysBefore'
          ? u.t('automation.fact.daysBefore')
          : name === 'localHour'
            ? u.t('automation.fact.localHour')
            : label(name);
    facts.push([title, html`<span data-test="option-${name}">${shown}</span>`]);
  }
  const consent = typeof o.consent === 'string' ? o.consent : a.type === 'order_status' ? 'not_opted_out' : 'opted_in';
  facts.push([label('consent'), html`${u.t(`consentRule.${consent === 'not_opted_out' ? 'not_opted_out' : 'opted_in'}`)}`]);
  if (a.channels.includes('sms')) facts.push([label('quietHours'), html`${u.t(o.quietHours === false ? 'common.no' : 'common.yes')}`]);
  if (o.data && typeof o.data === 'object' && Object.keys(o.data).length)
    facts.push([label('data'), html`<code>${JSON.stringify(o.data)}</code>`]);
  return facts;
}

export function automationPage(
  session: AdminSession,
  a: TriggerView,
  firings: Firing[],
  context: { segment: SegmentChoice | null; templates: TemplateChoice[]; limit: number },
  notice: Notice | null,
): SafeHtml {
  const u = ui(session);
  const templateLink = (key: string) => {
    const choice = context.templates.find((t) => t.key === key);
    const id = choice ? (choice.ids.email ?? choice.ids.sms) : undefined;
    return id ? html`<a href="/admin/templates/${id}"><code>${key}</code></a>` : html`<code>${key}</code>`;
  };
  const facts: Array<[string, SafeHtml]> = [
    [u.t('automationField.type'), html`<span data-test="automation-type">${typeWord(u, a.type)}</span>`],
    [u.t('col.status'), stateBadge(u, a.active, 'automation-state')],
    [u.t('automationField.channels'), html`${channelsText(u, a.channels)}`],
    [u.t('automationField.template'), templateLink(a.template)],
    [
      u.t('automationField.segmentId'),
      context.segment
        ? html`<a href="/admin/segments/${context.segment.id}">${segmentName(u, context.segment)}</a>`
        : html`${u.t('automations.allCustomers')}`,
    ],
    [
      u.t('automation.fact.delay'),
      html`${a.delayMinutes ? u.t('automation.delay', { n: a.delayMinutes }) : u.t('automation.immediately')}`,
    ],
    ...optionFacts(u, a, templateLink),
  ];
  return layout(
    session,
    u.t('automation.title', { name: a.name }),
    html`<div class="action-row">
        ${canDo(session, 'marketer') ? html`<a class="button" href="/admin/automations/${a.id}/edit" data-test="edit">${u.t('automations.edit')}</a>` : null}
        ${automationActions(session, a, `/admin/automations/${a.id}`, true)}
      </div>
      <h2>${u.t('automation.settings')}</h2>
      <dl class="facts" data-test="settings">
        ${facts.map(
          ([k, value]) =>
            html`<dt>${k}</dt>
              <dd>${value}</dd>`,
        )}
      </dl>
      <h2>${u.t('automation.firings')}</h2>
      ${firings.length ? html`<p class="muted">${u.t('automation.firingsShown', { n: context.limit })}</p>` : null}
      <div data-test="firings">
        ${table(
          [u.t('col.customer'), u.t('col.when'), u.t('automation.col.occasion'), u.t('col.channel'), u.t('automation.col.message')],
          firings.map((f) => [
            customerLink(f.customer),
            cell(f.firedAt, u),
            cell(occasion(u, f.occurrenceKey)),
            cell(f.channel ? u.word('channel', f.channel) : null),
            firingOutcome(u, f),
          ]),
          u.t('automation.noFirings'),
        )}
      </div>`,
    notice,
  );
}
