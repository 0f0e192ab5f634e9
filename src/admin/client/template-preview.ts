// The template editor's preview, filling `<section id="template-preview">`: the draft as typed
// (the form `#template-form`: subject, preheader, body) rendered for a customer picked by search
// or for the sample, in a sandboxed frame whose document is the server's answer to a hidden form
// posted into it (so the email gets the frame's own policy, not the admin page's), at desktop or
// 390 px width, with a dark-mode hint; the subject, preheader, plain-text part and warnings from
// the JSON preview; a test send to a typed address. Re-rendered, debounced, on every `input` of
// the form's fields. For an SMS template, the body's encoding, length and segment count are
// counted live in the browser with the server's own code (templates/render/sms-length.ts).
// Every word comes from the i18n area files bundled here, picked by the page's language.
import { smsLength, type SmsLengthReport } from '../../templates/render/sms-length';
import { enTemplatePreview } from '../i18n/en-template-preview';
import { ruTemplatePreview } from '../i18n/ru-template-preview';

type Key = keyof typeof ruTemplatePreview;

interface PreviewAnswer {
  locale: string;
  variant: string;
  customerId: number | null;
  subject: string | null;
  preheader: string | null;
  text: string;
  sms?: { encoding: string; length: number; segments: number; perSegment: number; maxSegments: number; nonGsmCharacters: string[] };
  warnings: Array<{ path: string; message: string; line?: number }>;
}

interface Picked {
  id: number;
  name: string;
  email: string | null;
  locale: string;
}

const DEBOUNCE_MS = 400;
const SEARCH_DEBOUNCE_MS = 250;

const lang = document.documentElement.lang === 'en' ? 'en' : 'ru';
const numbers = new Intl.NumberFormat(lang);

function w(key: Key, params: Record<string, string | number> = {}): string {
  const message = (lang === 'en' ? enTemplatePreview : ruTemplatePreview)[key];
  const text = typeof message === 'string' ? message : message.other;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? numbers.format(value) : value;
  });
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, string | undefined> = {},
  children: Array<Node | string | null> = [],
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) if (v !== undefined) e.setAttribute(k, v);
  for (const c of children) if (c !== null) e.append(c);
  return e;
}

function debounce(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

function field(form: HTMLFormElement | null, name: string): HTMLInputElement | HTMLTextAreaElement | null {
  const found = form?.elements.namedItem(name);
  return found instanceof HTMLInputElement || found instanceof HTMLTextAreaElement ? found : null;
}

/** «GSM-7, 70 симв., 1 SMS (до 70 симв. в каждой)» for a length report. */
function smsLine(
  key: 'tpv.smsTyped' | 'tpv.smsRendered',
  report: { encoding: string; length: number; segments: number; perSegment: number },
) {
  return w(key, { encoding: report.encoding, length: report.length, segments: report.segments, perSegment: report.perSegment });
}

/** The live counter under an SMS body: the typed text as written (Handlebars expressions counted as typed). */
function smsCounter(body: HTMLTextAreaElement): void {
  const live = el('p', { class: 'sms-live', 'data-test': 'sms-live', 'aria-live': 'polite' });
  const note = el('p', { class: 'tpv-note', 'data-test': 'sms-approx' }, [w('tpv.smsApprox')]);
  body.after(live, note);
  const update = () => {
    const report: SmsLengthReport = smsLength(body.value);
    live.dataset.encoding = report.encoding;
    live.dataset.length = String(report.units);
    live.dataset.segments = String(report.segments);
    live.dataset.perSegment = String(report.perSegment);
    live.replaceChildren();
    if (report.units === 0) {
      live.append(w('tpv.smsEmpty'));
      return;
    }
    const [head, ...rest] = smsLine('tpv.smsTyped', { ...report, length: report.units }).split(report.encoding);
    live.append(head, el('span', { class: 'sms-enc' }, [report.encoding]), rest.join(report.encoding));
    if (report.nonGsmCharacters.length) live.append(' · ', w('tpv.smsWhyUcs2', { chars: report.nonGsmCharacters.slice(0, 8).join(' ') }));
  };
  body.addEventListener('input', update);
  update();
}

function start(): void {
  const root = document.getElementById('template-preview');
  if (!root) return;
  const templateId = root.dataset.templateId ?? '';
  const locale = root.dataset.locale ?? '';
  const email = root.dataset.channel !== 'sms';
  const form = document.getElementById('template-form') as HTMLFormElement | null;
  const csrf = document.querySelector<HTMLInputElement>('input[name=_csrf]')?.value ?? '';
  const base = `/admin/templates/${encodeURIComponent(templateId)}`;
  const body = field(form, 'body');
  if (!email && body instanceof HTMLTextAreaElement) smsCounter(body);

  let customer: Picked | null = null;
  root.classList.add('tpv');

  // ── who the preview is for ──
  const search = el('input', {
    type: 'search',
    id: 'tpv-search',
    'data-test': 'tpv-search',
    placeholder: w('tpv.search'),
    autocomplete: 'off',
  });
  const searchLabel = el('label', { for: 'tpv-search' }, [w('tpv.customer')]);
  const sampleButton = el('button', { type: 'button', class: 'secondary', 'data-test': 'tpv-sample', title: w('tpv.sampleTitle') }, [
    w('tpv.sample'),
  ]);
  const results = el('ul', { class: 'tpv-results', 'data-test': 'tpv-results' });
  const forLine = el('p', { class: 'tpv-for', 'data-test': 'tpv-for' });
  const variantNote = el('p', { class: 'tpv-note tpv-warn', 'data-test': 'tpv-variant', hidden: '' });
  root.append(
    el('div', { class: 'tpv-bar' }, [searchLabel, el('span', { class: 'tpv-search' }, [search]), sampleButton]),
    results,
    forLine,
    variantNote,
  );

  // ── width and dark mode (email) ──
  const frameName = `tpv-frame-${templateId}`;
  const frame = el('iframe', {
    name: frameName,
    sandbox: '',
    class: 'tpv-frame',
    title: w(email ? 'tpv.frameTitle' : 'tpv.smsFrameTitle'),
    'data-test': 'tpv-frame',
  });
  const darkNote = el('p', { class: 'tpv-note', 'data-test': 'tpv-dark-note', hidden: '' }, [w('tpv.darkNote')]);
  if (email) {
    const widths = (['desktop', 'phone'] as const).map((width) => {
      const input = el('input', { type: 'radio', name: 'tpv-width', value: width, 'data-test': `tpv-width-${width}` });
      input.checked = width === 'desktop';
      input.addEventListener('change', () => frame.classList.toggle('phone', width === 'phone'));
      return el('label', {}, [input, w(width === 'desktop' ? 'tpv.desktop' : 'tpv.phone')]);
    });
    const dark = el('input', { type: 'checkbox', 'data-test': 'tpv-dark' });
    dark.addEventListener('change', () => {
      frame.classList.toggle('dark', dark.checked);
      darkNote.hidden = !dark.checked;
    });
    root.append(
      el('div', { class: 'tpv-bar', role: 'group', 'aria-label': w('tpv.width') }, [
        el('span', {}, [`${w('tpv.width')}:`]),
        ...widths,
        el('label', {}, [dark, w('tpv.dark')]),
      ]),
      darkNote,
    );
  }

  // ── what the JSON preview shows ──
  const status = el('p', { class: 'tpv-note', 'data-test': 'tpv-status', 'aria-live': 'polite' });
  const subjectLine = el('span', { 'data-test': 'preview-subject' });
  const preheaderLine = el('span', { 'data-test': 'preview-preheader' });
  const heads = email
    ? el('div', {}, [
        el('p', {}, [el('strong', {}, [`${w('tpv.subject')}: `]), subjectLine]),
        el('p', { class: 'muted' }, [el('strong', {}, [`${w('tpv.preheader')}: `]), preheaderLine]),
      ])
    : null;
  const smsRendered = el('p', { class: 'sms-live', 'data-test': 'sms-rendered', hidden: '' });
  const warnings = el('ul', { class: 'notice error', 'data-test': 'tpv-warnings', hidden: '' });
  const textPart = el('pre', { 'data-test': 'tpv-text' });
  root.append(status);
  if (heads) root.append(heads);
  if (email) root.append(frame);
  root.append(smsRendered, warnings);
  if (email) root.append(el('h3', {}, [w('tpv.textPart')]));
  root.append(textPart);

  // ── the hidden form posted into the frame ──
  const names = ['_csrf', 'locale', 'subject', 'preheader', 'body', 'customerId'] as const;
  const hidden = Object.fromEntries(names.map((name) => [name, el('input', { type: 'hidden', name })])) as Record<
    (typeof names)[number],
    HTMLInputElement
  >;
  const frameForm = el(
    'form',
    { method: 'post', action: `${base}/preview-frame`, target: frameName, hidden: '', 'data-test': 'tpv-frame-form' },
    [...Object.values(hidden)],
  );
  root.append(frameForm);

  /** The posted fields: the draft when the page has the edit form (a viewer's page shows the saved version). */
  const fields = (): Record<string, string> => {
    const out: Record<string, string> = { locale, customerId: customer ? String(customer.id) : '' };
    if (form && body) {
      out.body = body.value;
      const subject = field(form, 'subject');
      const preheader = field(form, 'preheader');
      if (subject) out.subject = subject.value;
      if (preheader) out.preheader = preheader.value;
    }
    return out;
  };

  let sequence = 0;
  const render = async () => {
    const mine = ++sequence;
    const values = fields();
    forLine.textContent = customer ? w('tpv.previewFor', { name: customer.name }) : w('tpv.previewForSample');
    if (email) {
      hidden._csrf.value = csrf;
      for (const name of names) if (name !== '_csrf') hidden[name].value = values[name] ?? '';
      // no body field: the saved version (the server takes an absent body so)
      hidden.body.disabled = values.body === undefined;
      hidden.subject.disabled = values.subject === undefined;
      hidden.preheader.disabled = values.preheader === undefined;
      frameForm.submit();
    }
    status.textContent = w('tpv.updating');
    try {
      const response = await fetch(`${base}/preview`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': csrf, accept: 'application/json' },
        body: new URLSearchParams(values).toString(),
        credentials: 'same-origin',
      });
      const answer = (await response.json()) as PreviewAnswer & { error?: string };
      if (mine !== sequence) return;
      if (!response.ok) {
        status.textContent = w('tpv.failed', { error: answer.error ?? String(response.status) });
        root.dataset.state = 'failed';
        return;
      }
      show(answer);
      status.textContent = '';
      root.dataset.state = 'ready';
      root.dataset.rendered = String(mine);
    } catch (error) {
      if (mine !== sequence) return;
      status.textContent = w('tpv.failed', { error: error instanceof Error ? error.message : String(error) });
      root.dataset.state = 'failed';
    }
  };

  const show = (answer: PreviewAnswer) => {
    subjectLine.textContent = answer.subject ?? '';
    preheaderLine.textContent = answer.preheader ?? '';
    textPart.textContent = answer.text;
    variantNote.hidden = !customer || answer.variant === answer.locale;
    variantNote.textContent = w('tpv.variant', { variant: answer.variant, locale: answer.locale });
    warnings.replaceChildren(...answer.warnings.map((x) => el('li', {}, [`${x.path}${x.line ? `:${x.line}` : ''}: ${x.message}`])));
    warnings.hidden = answer.warnings.length === 0;
    if (answer.sms) {
      smsRendered.hidden = false;
      smsRendered.dataset.encoding = answer.sms.encoding;
      smsRendered.dataset.segments = String(answer.sms.segments);
      smsRendered.textContent = smsLine('tpv.smsRendered', answer.sms);
      if (answer.sms.segments > answer.sms.maxSegments) smsRendered.append(' · ', w('tpv.smsLimit', { max: answer.sms.maxSegments }));
    }
  };

  const later = debounce(() => void render(), DEBOUNCE_MS);
  for (const name of ['subject', 'preheader', 'body']) field(form, name)?.addEventListener('input', later);

  // ── the customer search ──
  let searchSequence = 0;
  const searchNow = async () => {
    const mine = ++searchSequence;
    const q = search.value.trim();
    if (!q) {
      results.replaceChildren();
      return;
    }
    const response = await fetch(`/admin/customers/pick?q=${encodeURIComponent(q)}`, { headers: { accept: 'application/json' } });
    if (mine !== searchSequence || !response.ok) return;
    const { items } = (await response.json()) as { items: Picked[] };
    results.replaceChildren(
      ...(items.length
        ? items.map((c) => {
            const choose = el('button', { type: 'button', class: 'secondary', 'data-test': 'tpv-pick', 'data-customer-id': String(c.id) }, [
              `${c.name}${c.email ? ` — ${c.email}` : ''} (${c.locale})`,
            ]);
            choose.addEventListener('click', () => {
              customer = c;
              results.replaceChildren();
              void render();
            });
            return el('li', {}, [choose]);
          })
        : [el('li', { class: 'muted' }, [w('tpv.noResults')])]),
    );
  };
  const runSearch = debounce(() => void searchNow(), SEARCH_DEBOUNCE_MS);
  search.addEventListener('input', runSearch);
  search.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') event.preventDefault();
  });
  sampleButton.addEventListener('click', () => {
    customer = null;
    results.replaceChildren();
    void render();
  });

  // ── the test send (only where the draft can be edited: a marketer's page) ──
  if (form) {
    const to = el('input', { type: email ? 'email' : 'tel', id: 'tpv-to', 'data-test': 'tpv-to', required: '', autocomplete: 'off' });
    const send = el('button', { type: 'submit', 'data-test': 'tpv-test-send' }, [w('tpv.testSend')]);
    const result = el('p', { class: 'tpv-note', 'data-test': 'tpv-test-result', 'aria-live': 'polite' });
    const testForm = el('form', { class: 'tpv-bar', 'data-test': 'tpv-test' }, [
      el('label', { for: 'tpv-to' }, [w(email ? 'tpv.testToEmail' : 'tpv.testToPhone')]),
      to,
      send,
    ]);
    const sendTest = async () => {
      send.disabled = true;
      result.dataset.state = 'sending';
      result.textContent = w('tpv.testSending');
      try {
        const response = await fetch(`${base}/test-send`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': csrf, accept: 'application/json' },
          body: new URLSearchParams({ ...fields(), to: to.value }).toString(),
          credentials: 'same-origin',
        });
        const answer = (await response.json()) as { ok?: boolean; to?: string; error?: string };
        result.dataset.state = answer.ok ? 'sent' : 'failed';
        result.textContent = answer.ok
          ? w('tpv.testSent', { to: answer.to ?? to.value })
          : w('tpv.testFailed', { error: answer.error ?? '' });
      } catch (error) {
        result.dataset.state = 'failed';
        result.textContent = w('tpv.testFailed', { error: error instanceof Error ? error.message : String(error) });
      } finally {
        send.disabled = false;
      }
    };
    testForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void sendTest();
    });
    root.append(el('h3', {}, [w('tpv.testTitle')]), testForm, result);
  }

  void render();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
