// The campaign wizard (views/campaign-wizard.ts): shows only what the chosen channel, template
// and schedule use, and refreshes the template preview and the segment's reachable count as the
// form changes. The words come from the server (the JSON answers and the rendered page).
const form = document.querySelector<HTMLFormElement>('form.wizard');
if (form) setUp(form);

function setUp(form: HTMLFormElement): void {
  const csrf = (form.elements.namedItem('_csrf') as HTMLInputElement | null)?.value ?? '';
  const value = (name: string): string => {
    const field = form.elements.namedItem(name);
    if (field instanceof RadioNodeList) return field.value;
    return field instanceof HTMLInputElement || field instanceof HTMLSelectElement ? field.value : '';
  };
  const checked = (name: string): boolean => (form.elements.namedItem(name) as HTMLInputElement | null)?.checked ?? false;

  /** Hides options of the other channel; a select left on a hidden option moves to the first shown. */
  const filterOptions = (select: HTMLSelectElement, channel: string) => {
    let firstShown: HTMLOptionElement | null = null;
    for (const option of Array.from(select.options)) {
      const own = option.dataset.channel;
      option.hidden = own !== undefined && own !== channel;
      if (!option.hidden && option.value && !firstShown) firstShown = option;
    }
    const current = select.selectedOptions[0];
    if (current?.hidden) select.value = select.id === 'templateId' && firstShown ? firstShown.value : '';
  };

  const toggle = () => {
    const channel = value('channel') || 'email';
    const kind = value('scheduleKind') || 'now';
    for (const select of form.querySelectorAll<HTMLSelectElement>('#senderId, #templateId, select[data-variant]'))
      filterOptions(select, channel);
    for (const el of form.querySelectorAll<HTMLElement>('[data-when-channel]')) el.hidden = el.dataset.whenChannel !== channel;
    for (const el of form.querySelectorAll<HTMLElement>('[data-when-kind]'))
      el.hidden = !(el.dataset.whenKind ?? '').split(' ').includes(kind);
    for (const el of form.querySelectorAll<HTMLElement>('[data-when-check]')) el.hidden = !checked(el.dataset.whenCheck ?? '');
    const templates = new Set([value('templateId')]);
    if (checked('useAb'))
      for (const select of form.querySelectorAll<HTMLSelectElement>('select[data-variant]')) templates.add(select.value);
    let anyField = false;
    for (const row of form.querySelectorAll<HTMLElement>('[data-templates]')) {
      row.hidden = !(row.dataset.templates ?? '').split(' ').some((id) => templates.has(id));
      anyField ||= !row.hidden;
    }
    const none = form.querySelector<HTMLElement>('[data-no-data]');
    if (none) none.hidden = anyField;
  };

  const reach = async () => {
    const out = document.getElementById('reach');
    const segmentId = value('segmentId');
    if (!out || !segmentId) return;
    const url = `${form.dataset.reachUrl ?? ''}?${new URLSearchParams({ segmentId, channel: value('channel') || 'email' }).toString()}`;
    try {
      const answer = await fetch(url, { credentials: 'same-origin' });
      out.textContent = answer.ok ? ((await answer.json()) as { text: string }).text : '';
    } catch {
      out.textContent = '';
    }
  };

  let previewing = 0;
  // Once the form is sent nothing reloads the preview frame: a frame navigation started while the
  // form's own navigation is pending was seen to swallow the submission.
  let submitting = false;
  const preview = async () => {
    const box = document.getElementById('preview');
    if (!box || submitting) return;
    const mine = ++previewing;
    const posted = new URLSearchParams();
    for (const [name, entry] of new FormData(form)) if (typeof entry === 'string') posted.append(name, entry);
    try {
      const answer = await fetch(form.dataset.previewUrl ?? '', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': csrf },
        body: posted,
        credentials: 'same-origin',
      });
      if (!answer.ok || mine !== previewing || submitting) return;
      const shown = (await answer.json()) as { subject?: string; html?: string; text?: string };
      const subject = box.querySelector<HTMLElement>('[data-test=preview-subject]');
      if (subject && shown.subject !== undefined) subject.textContent = shown.subject;
      const frame = box.querySelector('iframe');
      if (frame && shown.html !== undefined) {
        // The frame loads the email as its own page (a srcdoc set from script showed nothing),
        // from the form's values without the CSRF token: a GET query ends up in logs.
        const query = new URLSearchParams(posted);
        query.delete('_csrf');
        frame.removeAttribute('srcdoc');
        frame.src = `${form.dataset.frameUrl ?? ''}?${query.toString()}`;
      }
      const text = box.querySelector<HTMLElement>('[data-test=preview-text]');
      if (text && shown.text !== undefined && shown.html === undefined) text.textContent = shown.text;
    } catch {
      // the preview keeps what it showed
    }
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void preview(), 400);
  };

  form.addEventListener('submit', (event) => {
    if (event.defaultPrevented) return;
    submitting = true;
    clearTimeout(timer);
    // A later listener (a confirmation answered "no") may still cancel it.
    setTimeout(() => (submitting &&= !event.defaultPrevented));
  });
  // Back from the browser's page cache after a submission: the preview works again.
  window.addEventListener('pageshow', () => (submitting = false));
  form.addEventListener('change', (event) => {
    const name = (event.target as HTMLInputElement | null)?.name ?? '';
    toggle();
    if (name === 'segmentId' || name === 'channel') void reach();
    if (name === 'templateId' || name === 'channel' || name.startsWith('data.')) later();
  });
  form.addEventListener('input', (event) => {
    if (((event.target as HTMLInputElement | null)?.name ?? '').startsWith('data.')) later();
  });
  toggle();
}
