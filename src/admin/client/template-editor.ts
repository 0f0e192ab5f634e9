// The template form's helpers on a template's page: a variable menu («Вставить переменную») next
// to the subject, the preheader and the source that inserts the chosen token at the field's
// cursor (from the JSON in #template-variables, the data fields following the declaration as it
// is typed); a guard against leaving with unsaved changes; and a refused save's line marks,
// which select their line in the field when clicked. Every word comes from the page.

interface Variable {
  group: string;
  label: string;
  insert: string;
}

type Field = HTMLInputElement | HTMLTextAreaElement;

const form = document.getElementById('template-form') as HTMLFormElement | null;

function readVariables(): Variable[] {
  const node = document.getElementById('template-variables');
  try {
    const parsed: unknown = JSON.parse(node?.textContent ?? '[]');
    return Array.isArray(parsed) ? (parsed as Variable[]) : [];
  } catch {
    return [];
  }
}

/** Inserts text at the field's cursor (replacing a selection), as typing would, and says so with an `input` event. */
export function insertAtCursor(field: Field, token: string): void {
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? start;
  field.value = field.value.slice(0, start) + token + field.value.slice(end);
  const caret = start + token.length;
  field.focus();
  field.setSelectionRange(caret, caret);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

/** The data fields the declaration textarea names now: `month: text! …` → month. */
function declaredNames(text: string): string[] {
  const names: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const name = line
      .split(':')[0]
      .trim()
      .replace(/^data\./, '');
    if (/^[A-Za-z_]\w*$/.test(name) && !names.includes(name)) names.push(name);
  }
  return names;
}

function fillMenu(select: HTMLSelectElement, placeholder: string, variables: Variable[]): void {
  select.replaceChildren();
  const first = document.createElement('option');
  first.value = '';
  first.textContent = placeholder;
  select.append(first);
  const groups = new Map<string, HTMLOptGroupElement>();
  for (const v of variables) {
    let group = groups.get(v.group);
    if (!group) {
      group = document.createElement('optgroup');
      group.label = v.group;
      groups.set(v.group, group);
      select.append(group);
    }
    const option = document.createElement('option');
    option.value = v.insert;
    option.textContent = `${v.label} — ${v.insert}`;
    group.append(option);
  }
}

function setUpMenus(): void {
  const base = readVariables();
  const dataGroup = document.getElementById('template-editor-words')?.dataset.dataGroup ?? '';
  const declaration = document.getElementById('dataFields') as HTMLTextAreaElement | null;
  const menus: Array<{ select: HTMLSelectElement; placeholder: string }> = [];

  /** The JSON's variables with the data group following the declaration as typed. */
  const current = (): Variable[] => {
    if (!declaration || !dataGroup) return base;
    const declared = declaredNames(declaration.value);
    const known = new Map(base.filter((v) => v.group === dataGroup).map((v) => [v.insert, v]));
    const data = declared.map(
      (name) => known.get(`{{data.${name}}}`) ?? { group: dataGroup, label: `data.${name}`, insert: `{{data.${name}}}` },
    );
    return [...base.filter((v) => v.group !== dataGroup), ...data];
  };

  for (const holder of document.querySelectorAll<HTMLElement>('[data-variable-menu]')) {
    const field = document.getElementById(holder.dataset.variableMenu ?? '') as Field | null;
    if (!field) continue;
    const select = document.createElement('select');
    const placeholder = holder.dataset.label ?? '';
    select.setAttribute('aria-label', holder.dataset.title ?? placeholder);
    select.dataset.test = `variable-menu-${field.id}`;
    fillMenu(select, placeholder, current());
    select.addEventListener('change', () => {
      if (!select.value) return;
      insertAtCursor(field, select.value);
      select.selectedIndex = 0;
    });
    holder.append(select);
    menus.push({ select, placeholder });
  }
  declaration?.addEventListener('input', () => {
    for (const m of menus) fillMenu(m.select, m.placeholder, current());
  });
}

// ---- unsaved changes --------------------------------------------------------------------

function snapshot(f: HTMLFormElement): string {
  const out: string[] = [];
  for (const [name, value] of new FormData(f)) if (name !== '_csrf') out.push(`${name}=${String(value)}`);
  return out.join('\u0000');
}

function setUpGuard(f: HTMLFormElement): void {
  const loaded = snapshot(f);
  let submitting = false;
  f.addEventListener('submit', () => {
    submitting = true;
  });
  // A refused save shows what was typed, not what is stored: that is unsaved too.
  const refused = document.querySelector('.field-errors') !== null;
  window.addEventListener('beforeunload', (event) => {
    if (submitting || (!refused && snapshot(f) === loaded)) return;
    event.preventDefault();
    event.returnValue = document.getElementById('template-editor-words')?.dataset.leave ?? '';
  });
}

// ---- line marks ---------------------------------------------------------------------------

/** Offsets of a 1-based line of a text: from its first character to its end (without the newline). */
export function lineRange(text: string, line: number): [number, number] {
  let start = 0;
  for (let n = 1; n < line; n++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return [text.length, text.length];
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return [start, end < 0 ? text.length : end];
}

function setUpLineMarks(): void {
  for (const mark of document.querySelectorAll<HTMLAnchorElement>('a.line-mark')) {
    mark.addEventListener('click', (event) => {
      const field = document.getElementById(mark.dataset.field ?? '') as Field | null;
      if (!field) return;
      event.preventDefault();
      const line = Number(mark.dataset.line ?? '1');
      const [start, end] = field instanceof HTMLTextAreaElement ? lineRange(field.value, line) : [0, field.value.length];
      field.focus();
      field.setSelectionRange(start, end);
      if (field instanceof HTMLTextAreaElement) {
        const lineHeight = parseFloat(getComputedStyle(field).lineHeight) || 18;
        field.scrollTop = Math.max(0, (line - 3) * lineHeight);
      }
    });
  }
}

if (form) {
  setUpMenus();
  setUpGuard(form);
  setUpLineMarks();
}
