// The segment builder on a segment's page: the rules as rows of field / operator / value in
// AND/OR groups (a top group and its sub-groups), drawn from the JSON in the form's `rules`
// textarea and written back to it on every change, so the form posts exactly the rule JSON the
// API stores. The textarea stays reachable behind «Расширенный режим»; rules the rows cannot
// show stay editable there. A live count (total, reachable by email and SMS, the first
// customers) follows the rules, debounced. Every word comes from the page (data-catalogue).
import {
  ATTRIBUTE,
  emptyValue,
  fieldOf,
  incomplete,
  kindOf,
  newRow,
  nodeAt,
  toRules,
  topOf,
  type FieldInfo,
  type Group,
  type Node,
  type Row,
  type ValueKind,
} from './_segment-rows';

interface Catalogue {
  fields: FieldInfo[];
  groups: Array<{ key: string; label: string }>;
  channels: Array<{ value: string; label: string }>;
  words: Record<string, string>;
}

interface Preview {
  shown: { total: string; reachableEmail: string; reachableSms: string };
  sample: Array<{ id: number; name: string | null; contact: string | null; company: string | null }>;
}

const DEBOUNCE_MS = 350;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string>> = {},
  children: Array<Node_ | string | null> = [],
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) if (v !== undefined) e.setAttribute(k, v);
  for (const c of children) if (c !== null) e.append(c);
  return e;
}
type Node_ = globalThis.Node;

function start(): void {
  const root = document.getElementById('segment-builder');
  const textarea = document.getElementById('rules') as HTMLTextAreaElement | null;
  const jsonBox = document.querySelector<HTMLElement>('[data-segb-json]');
  const live = document.querySelector<HTMLElement>('[data-segb-live]');
  const form = root?.closest('form');
  if (!root || !textarea || !jsonBox || !live || !form) return;
  const catalogue = JSON.parse(root.dataset.catalogue ?? '{}') as Catalogue;
  const serverIssues = JSON.parse(root.dataset.issues ?? '[]') as Array<{ path: string; message: string }>;
  const w = catalogue.words;
  const fields = catalogue.fields;
  const csrf = (form.elements.namedItem('_csrf') as HTMLInputElement | null)?.value ?? '';
  const previewUrl = root.dataset.previewUrl ?? '';

  let top: Group | null = null;
  const issues = new Map<Node, string[]>();

  // ── the advanced (JSON) mode ──
  const toggleId = 'segb-advanced';
  const toggle = el('input', { type: 'checkbox', id: toggleId, 'data-test': 'advanced' });
  const toggleLabel = el('label', { for: toggleId, class: 'check segb-toggle' }, [toggle, ` ${w.advanced}`]);
  const message = el('p', { class: 'notice error', 'data-test': 'builder-message', hidden: '' });
  const rowsBox = el('div', { class: 'segb-rows' });
  root.append(rowsBox, message, toggleLabel);
  jsonBox.hidden = true;
  live.hidden = false;

  const setAdvanced = (on: boolean) => {
    toggle.checked = on;
    jsonBox.hidden = !on;
  };
  toggle.addEventListener('change', () => {
    if (!toggle.checked && top === null) {
      setAdvanced(true); // the rows cannot show these rules: JSON is the only editor
      return;
    }
    setAdvanced(toggle.checked);
  });

  /** Reads the textarea into rows; false when they cannot show it (the JSON editor then stays open). */
  const load = (): boolean => {
    let json: unknown;
    try {
      json = JSON.parse(textarea.value);
    } catch {
      top = null;
      say(w.badJson);
      return false;
    }
    top = topOf(json, fields);
    if (!top) {
      say(w.notRows);
      return false;
    }
    say(null);
    draw();
    return true;
  };

  const say = (text: string | null) => {
    message.hidden = text === null;
    message.textContent = text ?? '';
    rowsBox.hidden = text !== null;
  };

  /** The rows changed: write the JSON back and count again. */
  const changed = () => {
    if (!top) return;
    textarea.value = JSON.stringify(toRules(top), null, 2);
    schedule();
  };

  textarea.addEventListener('input', () => {
    if (load()) issues.clear();
    schedule();
  });

  // ── drawing ──
  const draw = () => {
    if (!top) return;
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.focus : undefined;
    const box = drawGroup(top, null, 'r');
    if (root.dataset.editable !== 'true') box.setAttribute('disabled', '');
    rowsBox.replaceChildren(box);
    if (focused) refocus(rowsBox, focused);
  };

  /** Focus back on the control that had it before a redraw (controls are named by their place in the tree). */
  const refocus = (within: HTMLElement, key: string) => {
    const target = within.querySelector<HTMLElement>(`[data-focus="${key}"]`);
    target?.focus();
    if (target instanceof HTMLInputElement && target.type === 'text') target.setSelectionRange(target.value.length, target.value.length);
  };

  const drawGroup = (group: Group, parent: Group | null, path: string): HTMLElement => {
    const box = el('fieldset', {
      class: parent ? 'segb-group segb-sub' : 'segb-group segb-top',
      'data-test': parent ? 'subgroup' : 'top-group',
    });
    const head = el('div', { class: 'segb-head' });
    const matchId = `segb-${path}-match`;
    const match = el('select', { id: matchId, 'data-test': 'match', 'data-focus': matchId }, [
      el('option', { value: 'all' }, [w['match.all']]),
      el('option', { value: 'any' }, [w['match.any']]),
    ]);
    match.value = group.match;
    match.addEventListener('change', () => {
      group.match = match.value === 'any' ? 'any' : 'all';
      issues.delete(group);
      draw();
      changed();
    });
    head.append(el('label', { for: matchId }, [parent ? w.groupMatch : w.topMatch]), match, notBox(group, path));
    if (parent) {
      const remove = el('button', { type: 'button', class: 'secondary segb-remove', 'data-test': 'remove-group' }, [w.removeGroup]);
      remove.addEventListener('click', () => {
        parent.items.splice(parent.items.indexOf(group), 1);
        draw();
        changed();
      });
      head.append(remove);
    }
    box.append(head);
    const list = el('div', { class: 'segb-items' });
    const joiner = group.match === 'any' ? w['joiner.any'] : w['joiner.all'];
    group.items.forEach((item, i) => {
      if (i > 0) list.append(el('div', { class: 'segb-joiner', 'aria-hidden': 'true' }, [joiner]));
      list.append(item.t === 'group' ? drawGroup(item, group, `${path}-${i}`) : drawRow(item, group, `${path}-${i}`));
    });
    if (!group.items.length && !parent) list.append(el('p', { class: 'muted segb-empty' }, [w.empty]));
    box.append(list, issueList(group));
    const actions = el('div', { class: 'segb-actions' });
    const add = el('button', { type: 'button', class: 'secondary', 'data-test': 'add-condition' }, [w.addCondition]);
    add.addEventListener('click', () => {
      group.items.push(newRow(fields[0]));
      draw();
      changed();
      box.querySelector<HTMLElement>(':scope > .segb-items > .segb-row:last-child select')?.focus();
    });
    actions.append(add);
    if (!parent) {
      const addGroup = el('button', { type: 'button', class: 'secondary', 'data-test': 'add-group' }, [w.addGroup]);
      addGroup.addEventListener('click', () => {
        const sub: Group = { t: 'group', not: false, match: group.match === 'all' ? 'any' : 'all', items: [newRow(fields[0])] };
        group.items.push(sub);
        draw();
        changed();
      });
      actions.append(addGroup);
    }
    box.append(actions);
    return box;
  };

  const notBox = (node: Node, path: string): HTMLElement => {
    const id = `segb-${path}-not`;
    const box = el('input', { type: 'checkbox', id, 'data-test': 'not', 'data-focus': id });
    box.checked = node.not;
    box.addEventListener('change', () => {
      node.not = box.checked;
      changed();
    });
    return el('label', { for: id, class: 'check segb-not', title: w.notTitle }, [box, ` ${w.not}`]);
  };

  const issueList = (node: Node): HTMLElement | string => {
    const list = issues.get(node);
    if (!list?.length) return '';
    return el(
      'ul',
      { class: 'field-error segb-issue', 'data-test': 'row-error' },
      list.map((m) => el('li', {}, [m])),
    );
  };

  const drawRow = (row: Row, group: Group, path: string): HTMLElement => {
    const box = el('div', { class: `segb-row${issues.has(row) ? ' invalid' : ''}`, 'data-test': 'row' });
    const redraw = () => {
      const fresh = drawRow(row, group, path);
      box.replaceWith(fresh);
      return fresh;
    };
    const info = fieldOf(fields, row.field === ATTRIBUTE ? `attributes.${row.key}` : row.field)?.info ?? fields[0];

    // field
    const field = el('select', { 'aria-label': w.field, 'data-test': 'field', 'data-focus': `${path}-field` });
    for (const g of catalogue.groups) {
      const members = fields.filter((f) => f.group === g.key);
      if (members.length)
        field.append(
          el(
            'optgroup',
            { label: g.label },
            members.map((f) => el('option', { value: f.field }, [f.label])),
          ),
        );
    }
    field.value = info.field;
    field.addEventListener('change', () => {
      const next = fields.find((f) => f.field === field.value) ?? fields[0];
      Object.assign(row, newRow(next), { not: row.not });
      issues.delete(row);
      redraw().querySelector<HTMLElement>('[data-test=op]')?.focus();
      changed();
    });
    box.append(field);

    if (info.field === ATTRIBUTE) {
      const key = el('input', {
        type: 'text',
        'aria-label': w.attributeKey,
        placeholder: w.attributeKey,
        class: 'segb-key',
        'data-test': 'attribute-key',
        'data-focus': `${path}-key`,
      });
      key.value = row.key;
      key.addEventListener('input', () => {
        row.key = key.value.trim();
        changed();
      });
      box.append(key);
    }

    // operator
    const op = el('select', { 'aria-label': w.op, 'data-test': 'op', 'data-focus': `${path}-op` });
    for (const o of info.ops) op.append(el('option', { value: o.op }, [o.label]));
    op.value = row.op;
    op.addEventListener('change', () => {
      const before = kindOf(info, row.op);
      row.op = op.value;
      const after = kindOf(info, row.op)!;
      if (before !== after) row.value = emptyValue(info, after);
      issues.delete(row);
      const fresh = redraw();
      (fresh.querySelector<HTMLElement>('[data-value]') ?? fresh.querySelector<HTMLElement>('[data-test=op]'))?.focus();
      changed();
    });
    box.append(op);

    // value, then the condition's options (days, channel, campaign)
    box.append(...valueInputs(row, info, kindOf(info, row.op) ?? 'none', path));
    for (const option of info.options ?? []) box.append(optionInput(row, option, path));

    box.append(notBox(row, path));
    const remove = el(
      'button',
      { type: 'button', class: 'secondary segb-remove', 'aria-label': w.removeCondition, title: w.removeCondition, 'data-test': 'remove' },
      ['×'],
    );
    remove.addEventListener('click', () => {
      group.items.splice(group.items.indexOf(row), 1);
      draw();
      changed();
    });
    box.append(remove, issueList(row));
    return box;
  };

  const numberInput = (value: unknown, label: string, set: (v: number | null) => void, attrs: Record<string, string> = {}) => {
    const input = el('input', { type: 'number', step: 'any', inputmode: 'decimal', 'aria-label': label, 'data-value': '', ...attrs });
    input.value = typeof value === 'number' ? String(value) : '';
    input.addEventListener('input', () => {
      set(input.value === '' || Number.isNaN(input.valueAsNumber) ? null : input.valueAsNumber);
      changed();
    });
    return input;
  };

  const valueInputs = (row: Row, info: FieldInfo, kind: ValueKind, path: string): Array<HTMLElement | string> => {
    const focus = (name: string) => ({ 'data-focus': `${path}-${name}` });
    const unit = (text: string | undefined) => (text ? el('span', { class: 'segb-unit' }, [text]) : '');
    switch (kind) {
      case 'none':
        return [];
      case 'number':
        return [
          numberInput(row.value, w.value, (v) => (row.value = v ?? undefined), { 'data-test': 'value', ...focus('value') }),
          unit(info.unit),
        ];
      case 'days':
        return [
          numberInput(row.value, w.value, (v) => (row.value = v ?? undefined), {
            'data-test': 'value',
            min: '0',
            step: '1',
            inputmode: 'numeric',
            class: 'segb-days',
            ...focus('value'),
          }),
          unit(w.days),
        ];
      case 'numberRange':
      case 'dateRange': {
        const pair = Array.isArray(row.value) ? [...(row.value as unknown[])] : [null, null];
        row.value = pair;
        const one = (i: number, label: string) => {
          if (kind === 'numberRange')
            return numberInput(pair[i], label, (v) => (pair[i] = v), {
              'data-test': i === 0 ? 'value-from' : 'value-to',
              ...focus(`v${i}`),
            });
          const input = el('input', {
            type: 'date',
            'aria-label': label,
            'data-value': '',
            'data-test': i === 0 ? 'value-from' : 'value-to',
            ...focus(`v${i}`),
          });
          input.value = typeof pair[i] === 'string' ? pair[i] : '';
          input.addEventListener('input', () => {
            pair[i] = input.value || null;
            changed();
          });
          return input;
        };
        return [unit(w.from), one(0, w.from), unit(w.to), one(1, w.to), kind === 'numberRange' ? unit(info.unit) : ''];
      }
      case 'date': {
        const input = el('input', { type: 'date', 'aria-label': w.value, 'data-value': '', 'data-test': 'value', ...focus('value') });
        input.value = typeof row.value === 'string' ? row.value : '';
        input.addEventListener('input', () => {
          row.value = input.value || undefined;
          changed();
        });
        return [input];
      }
      case 'enum': {
        const select = el('select', { 'aria-label': w.value, 'data-value': '', 'data-test': 'value', ...focus('value') });
        for (const v of info.values ?? []) select.append(el('option', { value: v.value }, [v.label]));
        select.value = typeof row.value === 'string' ? row.value : '';
        select.addEventListener('change', () => {
          row.value = select.value;
          changed();
        });
        return [select];
      }
      case 'enumList': {
        const chosen = new Set(Array.isArray(row.value) ? (row.value as string[]) : []);
        const box = el('span', { class: 'segb-choices', 'data-value': '', 'data-test': 'value' });
        for (const v of info.values ?? []) {
          const id = `segb-${path}-c-${v.value}`;
          const check = el('input', { type: 'checkbox', id, value: v.value, 'data-focus': id });
          check.checked = chosen.has(v.value);
          check.addEventListener('change', () => {
            if (check.checked) chosen.add(v.value);
            else chosen.delete(v.value);
            row.value = (info.values ?? []).map((x) => x.value).filter((x) => chosen.has(x));
            changed();
          });
          box.append(el('label', { for: id, class: 'check' }, [check, ` ${v.label}`]));
        }
        return [box];
      }
      case 'textList': {
        const input = el('input', {
          type: 'text',
          'aria-label': `${w.value} (${w.listHint})`,
          placeholder: w.listHint,
          'data-value': '',
          'data-test': 'value',
          ...focus('value'),
        });
        input.value = Array.isArray(row.value) ? (row.value as string[]).join(', ') : '';
        input.addEventListener('input', () => {
          row.value = input.value
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== '');
          changed();
        });
        return [input];
      }
      case 'text': {
        const input = el('input', { type: 'text', 'aria-label': w.value, 'data-value': '', 'data-test': 'value', ...focus('value') });
        input.value = typeof row.value === 'string' ? row.value : '';
        input.addEventListener('input', () => {
          row.value = input.value;
          changed();
        });
        return [input];
      }
    }
  };

  const optionInput = (row: Row, option: string, path: string): HTMLElement => {
    if (option === 'channel') {
      const select = el('select', { 'aria-label': w['option.channel'], 'data-test': 'option-channel' }, [
        el('option', { value: '' }, [`${w['option.channel']}: ${w.anyChannel}`]),
      ]);
      for (const c of catalogue.channels) select.append(el('option', { value: c.value }, [`${w['option.channel']}: ${c.label}`]));
      select.value = row.channel ?? '';
      select.addEventListener('change', () => {
        row.channel = select.value || undefined;
        changed();
      });
      return select;
    }
    const key = option === 'days' ? 'days' : 'campaignId';
    const label = option === 'days' ? w['option.days'] : w['option.campaignId'];
    const input = numberInput(row[key], label, (v) => (row[key] = v ?? undefined), {
      placeholder: label,
      min: option === 'days' ? '0' : '1',
      step: '1',
      class: 'segb-option',
      'data-test': `option-${option}`,
      'data-focus': `${path}-${option}`,
    });
    delete input.dataset.value;
    return input;
  };

  // ── the live count ──
  const stats = {
    total: live.querySelector<HTMLElement>('[data-test=count-total]')!,
    reachableEmail: live.querySelector<HTMLElement>('[data-test=count-email]')!,
    reachableSms: live.querySelector<HTMLElement>('[data-test=count-sms]')!,
  };
  const status = live.querySelector<HTMLElement>('[data-segb-status]')!;
  const sampleBody = live.querySelector<HTMLElement>('[data-segb-sample]')!;
  const sampleTable = sampleBody.closest<HTMLElement>('.table-wrap') ?? sampleBody;
  let timer: number | undefined;
  let sequence = 0;
  let inFlight: AbortController | null = null;

  const schedule = () => {
    window.clearTimeout(timer);
    live.dataset.state = 'pending';
    timer = window.setTimeout(() => void count(), DEBOUNCE_MS);
  };

  const blank = (text: string, error = false) => {
    for (const s of Object.values(stats)) s.textContent = '—';
    sampleBody.replaceChildren();
    sampleTable.hidden = true;
    status.textContent = text;
    status.className = error ? 'notice error' : 'muted';
  };

  const count = async () => {
    const mine = ++sequence;
    inFlight?.abort();
    if (top && incomplete(top, fields)) {
      blank(w.incomplete);
      live.dataset.state = 'incomplete';
      return;
    }
    inFlight = new AbortController();
    status.textContent = w.counting;
    status.className = 'muted';
    try {
      const response = await fetch(previewUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': csrf, accept: 'application/json' },
        body: new URLSearchParams({ rules: textarea.value }),
        credentials: 'same-origin',
        signal: inFlight.signal,
      });
      const body = (await response.json()) as Preview & { error?: string; issues?: Array<{ path: string; message: string }> };
      if (mine !== sequence) return;
      if (!response.ok) {
        blank(w.failed.replace('{error}', body.error ?? String(response.status)), true);
        showIssues(body.issues ?? []);
        live.dataset.state = 'error';
        return;
      }
      showIssues([]);
      stats.total.textContent = body.shown.total;
      stats.reachableEmail.textContent = body.shown.reachableEmail;
      stats.reachableSms.textContent = body.shown.reachableSms;
      status.textContent = body.sample.length ? '' : w.sampleEmpty;
      status.className = 'muted';
      sampleTable.hidden = !body.sample.length;
      sampleBody.replaceChildren(
        ...body.sample.map((c) =>
          el('tr', {}, [
            el('td', {}, [el('a', { href: `/admin/customers/${c.id}` }, [c.name ?? w.noName])]),
            el('td', {}, [c.contact ?? '—']),
            el('td', {}, [c.company ?? '—']),
          ]),
        ),
      );
      live.dataset.state = 'done';
    } catch (error) {
      if (mine !== sequence || (error instanceof DOMException && error.name === 'AbortError')) return;
      blank(w.failed.replace('{error}', String(error)), true);
      live.dataset.state = 'error';
    }
  };

  /** Issues by path (`rules.all[1].value`) shown at their rows. */
  const showIssues = (list: Array<{ path: string; message: string }>) => {
    if (!list.length && !issues.size) return; // nothing shown, nothing to show: no redraw under the typing hand
    issues.clear();
    if (top)
      for (const issue of list) {
        const node = nodeAt(top, issue.path);
        issues.set(node, [...(issues.get(node) ?? []), issue.message]);
      }
    draw();
  };

  if (load()) {
    if (serverIssues.length) showIssues(serverIssues);
  } else setAdvanced(true);
  void count();
}

start();
