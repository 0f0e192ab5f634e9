// The visual MJML builder of the template page: GrapesJS with its MJML preset (grapesjs-mjml),
// bundled from npm by scripts/build-client.js and served by Otklik, never from a CDN. It edits
// the same `textarea#body` the form posts: every change in the builder is written back to the
// textarea as MJML + Handlebars (and an `input` event fired, so the preview and the leave guard
// follow), and switching to the source view and back loads the textarea's text again. A source
// the builder cannot carry without losing something (see templates/render/builder-source.ts)
// stays in the source view, with the reason shown. Personalisation is inserted from a menu in
// the text toolbar, built from the page's `#template-variables` list; images are uploaded to
// `POST /admin/images` and picked from the ones already uploaded.
import grapesjs, { type Editor } from 'grapesjs';
import grapesjsMjml from 'grapesjs-mjml';
import ruCore from 'grapesjs/locale/ru.mjs';
import 'grapesjs/dist/css/grapes.min.css';
import { fromBuilder, structureDifference, toBuilder } from '../../templates/render/builder-source';

interface Variable {
  group: string;
  label: string;
  insert: string;
}

interface Words {
  visual: string;
  source: string;
  cannot: string;
  insertVariable: string;
  uploadFailed: string;
  buttons: Record<string, string>;
  starters: Record<string, string>;
  traits: Record<string, string>;
  styles: Record<string, string>;
  unit: string;
  field: string;
  colorCode: string;
  mjml: Record<string, unknown>;
}

const BLOCKS = [
  'mj-1-column',
  'mj-2-columns',
  'mj-3-columns',
  'mj-text',
  'mj-image',
  'mj-button',
  'mj-divider',
  'mj-spacer',
  'mj-social-group',
  'mj-social-element',
  'mj-raw',
];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function readJson<T>(id: string, fallback: T): T {
  const text = document.getElementById(id)?.textContent;
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function start(): void {
  const root = document.getElementById('template-builder');
  const textarea = document.querySelector<HTMLTextAreaElement>('textarea#body[data-channel="email"]');
  const form = textarea?.form;
  if (!root || !textarea || !form) return;
  const words = JSON.parse(root.dataset.words ?? '{}') as Words;
  const variables = readJson<Variable[]>('template-variables', []);
  const csrf = (form.elements.namedItem('_csrf') as HTMLInputElement | null)?.value ?? '';
  const uploadUrl = root.dataset.upload ?? '/admin/images';

  const bar = document.createElement('div');
  bar.className = 'builder-modes';
  bar.setAttribute('role', 'group');
  const visualButton = modeButton(words.visual, 'visual');
  const sourceButton = modeButton(words.source, 'source');
  bar.append(visualButton, sourceButton);
  const note = document.createElement('p');
  note.className = 'notice error';
  note.dataset.test = 'builder-note';
  note.hidden = true;
  const canvas = document.createElement('div');
  canvas.className = 'builder-canvas';
  root.append(bar, note, canvas);

  let editor: Editor | undefined;
  let mode: 'visual' | 'source' = 'source';

  function modeButton(label: string, value: string): HTMLButtonElement {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = label;
    button.dataset.mode = value;
    button.className = 'secondary';
    button.addEventListener('click', () => {
      remember(value);
      if (value === 'visual') showVisual();
      else showSource();
    });
    return button;
  }

  const bodyMenu = document.querySelector<HTMLElement>('[data-variable-menu="body"]');
  function setMode(next: 'visual' | 'source'): void {
    mode = next;
    if (bodyMenu) bodyMenu.hidden = next === 'visual'; // the builder's text toolbar has its own menu
    visualButton.setAttribute('aria-pressed', String(next === 'visual'));
    sourceButton.setAttribute('aria-pressed', String(next === 'source'));
    canvas.hidden = next !== 'visual';
    textarea!.hidden = next === 'visual';
    root!.dataset.mode = next;
  }

  function refuse(reason: string): void {
    note.textContent = `${words.cannot} ${reason}`;
    note.hidden = false;
    setMode('source');
  }

  function exported(): string {
    return fromBuilder(editor!.getHtml());
  }

  function sync(): void {
    // Only a change the user made is written back: the builder's own first render is not one,
    // and a source merely opened must stay byte for byte as it was (the leave guard compares).
    if (!editor || mode !== 'visual' || !editor.getDirtyCount()) return;
    const source = exported();
    if (source === textarea!.value) return;
    textarea!.value = source;
    textarea!.dispatchEvent(new Event('input', { bubbles: true }));
  }

  function showVisual(): void {
    const source = textarea!.value;
    const prepared = toBuilder(source);
    if (!prepared.mjml) return refuse(prepared.problem ?? '');
    if (!editor) editor = createEditor(prepared.mjml);
    else editor.setComponents(prepared.mjml);
    editor.clearDirtyCount();
    // What the builder would store must keep every expression and element of the source.
    const difference = structureDifference(source, exported());
    if (difference) return refuse(difference);
    note.hidden = true;
    setMode('visual');
    editor.refresh();
  }

  function showSource(): void {
    if (editor && mode === 'visual') sync();
    setMode('source');
  }

  function createEditor(mjml: string): Editor {
    const created = grapesjs.init({
      container: canvas,
      height: '70vh',
      fromElement: false,
      storageManager: false,
      telemetry: false, // GrapesJS reports usage to its vendor unless told not to
      cssIcons: '', // the default loads Font Awesome from a CDN
      components: mjml,
      i18n: {
        locale: document.documentElement.lang === 'en' ? 'en' : 'ru',
        detectLocale: false,
        messages: { ru: ruCore, en: {}, ...traitLabels(document.documentElement.lang === 'en' ? 'en' : 'ru') },
      },
      blockManager: { appendOnClick: (block: { get(key: string): unknown }, target: Editor) => appendBlock(block, target) },
      assetManager: {
        upload: false,
        assets: [],
        uploadFile: (event: DragEvent | Event) => void upload(event),
      },
      plugins: [grapesjsMjml],
      pluginsOpts: {
        [grapesjsMjml as unknown as string]: {
          blocks: BLOCKS,
          // Blocks start with words in the user's language instead of the preset's English.
          block: (id: string) => (words.starters[id] ? { content: words.starters[id] } : {}),
          i18n: { ru: { 'grapesjs-mjml': words.mjml } },
          fonts: {},
          imagePlaceholderSrc: '',
        },
      },
    });
    created.on('load', () => {
      labelPanels(created);
      created.Panels.getButton('views', 'open-blocks')?.set('active', true);
    });
    // Every field of the builder's panels gets a name a screen reader can say, as it appears.
    // (The colour picker's panels are added to the page's body, outside the builder.)
    const labelAll = () => {
      labelControls(canvas);
      for (const picker of document.querySelectorAll<HTMLElement>('body > .sp-container')) labelControls(picker, words.colorCode);
    };
    labelAll();
    new MutationObserver(labelAll).observe(canvas, { childList: true, subtree: true });
    new MutationObserver(labelAll).observe(document.body, { childList: true });
    created.on('update', sync);
    created.on('component:update', sync);
    created.on('asset:open', () => void loadImages(created));
    addVariableMenu(created);
    return created;
  }

  /**
   * A click on a block (or Enter on it) adds it without dragging: a layout block after the
   * selected section (or at the end), any other block into the selected column (or the last one).
   */
  function appendBlock(block: { get(key: string): unknown }, target: Editor): void {
    const content = block.get('content') as string;
    const body = target.getWrapper()?.findType('mj-body')[0];
    if (!body) return;
    const layout = /^\s*<mj-(section|wrapper|hero)\b/.test(content);
    let selected = target.getSelected();
    const up = (type: string) => {
      let at = selected;
      while (at && at.get('type') !== type) at = at.parent();
      return at;
    };
    let added;
    if (layout) {
      const section = up('mj-section');
      const at = section ? section.index() + 1 : undefined;
      added = body.append(content, at === undefined ? {} : { at })[0];
    } else {
      const columns = body.findType('mj-column');
      const column = up('mj-column') ?? columns[columns.length - 1];
      if (!column) {
        selected = body.append('<mj-section><mj-column></mj-column></mj-section>')[0];
        added = selected.findType('mj-column')[0].append(content)[0];
      } else {
        const child = selected && selected.parent() === column ? selected.index() + 1 : undefined;
        added = column.append(content, child === undefined ? {} : { at: child })[0];
      }
    }
    if (!added) return;
    target.select(added);
    if (added.get('type') === 'mj-image') target.runCommand('open-assets', { target: added, types: ['image'], accept: 'image/*' });
  }

  /** Names the builder's unlabelled fields after the property or setting they belong to. */
  function labelControls(scope: HTMLElement, fallback = words.field): void {
    for (const control of scope.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input:not([type=hidden]), select, textarea')) {
      if (control.hasAttribute('aria-label') || control.labels?.length) continue;
      const holder = control.closest('.gjs-sm-property, .gjs-trt-trait, .gjs-field');
      const name =
        holder?.querySelector('.gjs-sm-label, .gjs-label')?.textContent?.trim() || control.getAttribute('placeholder') || fallback;
      control.setAttribute('aria-label', control.classList.contains('gjs-input-unit') ? `${name}: ${words.unit}` : name);
    }
  }

  /** The panels' buttons get words instead of Font Awesome icons (loaded from a CDN otherwise). */
  function labelPanels(target: Editor): void {
    for (const panel of target.Panels.getPanels().models) {
      for (const button of panel.get('buttons')?.models ?? []) {
        const id = button.get('id') as string;
        const label = words.buttons[id];
        if (!label) continue;
        button.set('label', `<span class="builder-button">${escapeHtml(label)}</span>`);
        button.set('className', '');
        button.set('attributes', { ...(button.get('attributes') ?? {}), title: label, 'data-test': `builder-${id}` });
      }
    }
  }

  /** The settings panel's field names (GrapesJS shows `href` as «Href» otherwise). */
  function traitLabels(locale: string): Record<string, unknown> {
    const core = (locale === 'ru' ? ruCore : {}) as {
      traitManager?: { traits?: Record<string, unknown> };
      styleManager?: { properties?: Record<string, unknown> };
    };
    return {
      [locale]: {
        ...core,
        traitManager: { ...core.traitManager, traits: { ...core.traitManager?.traits, labels: words.traits } },
        styleManager: { ...core.styleManager, properties: { ...core.styleManager?.properties, ...words.styles } },
      },
    };
  }

  async function loadImages(target: Editor): Promise<void> {
    const response = await fetch(uploadUrl, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
    if (!response.ok) return;
    const body = (await response.json()) as { images: Array<{ url: string; filename?: string; width?: number; height?: number }> };
    for (const image of body.images)
      target.AssetManager.add({ src: image.url, name: image.filename, width: image.width, height: image.height });
  }

  async function upload(event: DragEvent | Event): Promise<void> {
    const files = (event as DragEvent).dataTransfer?.files ?? (event.target as HTMLInputElement | null)?.files;
    if (!files || !editor) return;
    for (const file of Array.from(files)) {
      const data = new FormData();
      data.append('file', file, file.name);
      const response = await fetch(uploadUrl, {
        method: 'POST',
        body: data,
        headers: { 'x-csrf-token': csrf, accept: 'application/json' },
        credentials: 'same-origin',
      });
      const body = (await response.json().catch(() => ({}))) as { url?: string; error?: string; width?: number; height?: number };
      if (!response.ok || !body.url) {
        uploadError(`${words.uploadFailed} ${body.error ?? response.statusText}`);
        continue;
      }
      editor.AssetManager.add({ src: body.url, name: file.name, width: body.width, height: body.height });
    }
  }

  function uploadError(text: string): void {
    const modal = document.querySelector('.gjs-am-assets-header') ?? canvas;
    let box = modal.querySelector<HTMLElement>('[data-test="upload-error"]');
    if (!box) {
      box = document.createElement('p');
      box.className = 'notice error';
      box.dataset.test = 'upload-error';
      box.setAttribute('role', 'alert');
      modal.prepend(box);
    }
    box.textContent = text;
  }

  function addVariableMenu(target: Editor): void {
    if (!variables.length) return;
    const groups = new Map<string, Variable[]>();
    for (const v of variables) groups.set(v.group, [...(groups.get(v.group) ?? []), v]);
    const options = [...groups]
      .map(
        ([group, list]) =>
          `<optgroup label="${escapeHtml(group)}">${list.map((v) => `<option value="${escapeHtml(v.insert)}">${escapeHtml(v.label)}</option>`).join('')}</optgroup>`,
      )
      .join('');
    target.RichTextEditor.add('otklik-variable', {
      icon: `<select class="gjs-field" data-test="builder-variable" aria-label="${escapeHtml(words.insertVariable)}"><option value="">${escapeHtml(words.insertVariable)}</option>${options}</select>`,
      event: 'change',
      result: (rte, action) => {
        const select = (action as unknown as { btn: HTMLElement }).btn.querySelector('select');
        if (!select?.value) return;
        // As typed text at the caret: the builder reads the edited text back when editing ends.
        const doc = target.Canvas.getDocument();
        target.Canvas.getWindow().focus();
        if (!doc?.execCommand('insertText', false, select.value)) rte.insertHTML(escapeHtml(select.value));
      },
      update: (_rte, action) => {
        const select = (action as unknown as { btn: HTMLElement }).btn.querySelector('select');
        if (select) select.value = '';
        return 0; // a menu, never "active"
      },
    });
  }

  // An error's line mark (template-editor.ts selects the line) needs the source view.
  document.addEventListener(
    'click',
    (event) => {
      if ((event.target as Element | null)?.closest?.('a.line-mark[data-field="body"]')) showSource();
    },
    true,
  );

  // Start in the builder, unless the user last chose the source view, a refused save has errors
  // to show at their lines in it, or the screen is a phone's (the builder's panels need room;
  // «Конструктор» still opens it there).
  setMode('source');
  const errorsInSource = document.querySelector('[data-test="errors-body"]') !== null;
  const narrow = window.matchMedia('(max-width: 48rem)').matches;
  const chosen = remembered();
  if (!errorsInSource && (chosen === 'visual' || (chosen === null && !narrow))) showVisual();
}

const MODE_KEY = 'otklik.templateView';
function remember(mode: string): void {
  try {
    localStorage.setItem(MODE_KEY, mode);
  } catch {
    // storage refused (private mode): the choice lasts for this page only
  }
}
function remembered(): string | null {
  try {
    return localStorage.getItem(MODE_KEY);
  } catch {
    return null;
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
