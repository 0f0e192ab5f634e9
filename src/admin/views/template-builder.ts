// The mount point of the visual MJML builder (client/template-builder.ts) on the template page:
// an element carrying the builder's words, placed before the source textarea (`textarea#body`),
// which the builder keeps filled. Without script the page is the source form alone.
import { html, type SafeHtml } from '../html';
import type { MessageKey } from '../i18n/t';
import type { Ui } from './layout';

const BUTTONS = ['sw-visibility', 'preview', 'fullscreen', 'export-template', 'open-sm', 'open-tm', 'open-layers', 'open-blocks'];
const TRAITS = ['href', 'src', 'alt', 'title', 'target', 'rel', 'id', 'name', 'width', 'height', 'align'];
const STYLES = [
  'width',
  'height',
  'max-width',
  'min-height',
  'margin',
  'padding',
  'vertical-align',
  'icon-size',
  'font-family',
  'font-size',
  'font-weight',
  'letter-spacing',
  'color',
  'line-height',
  'text-align',
  'align',
  'text-decoration',
  'font-style',
  'background-color',
  'container-background-color',
  'background-url',
  'background-repeat',
  'background-size',
  'border-radius',
  'border-detached',
  'border-width',
  'border-style',
  'border-color',
  'margin-top',
  'margin-right',
  'margin-bottom',
  'margin-left',
  'padding-top',
  'padding-right',
  'padding-bottom',
  'padding-left',
  'border-top-left-radius',
  'border-top-right-radius',
  'border-bottom-left-radius',
  'border-bottom-right-radius',
];
const NAMES = [
  'body',
  'button',
  'column',
  'oneColumn',
  'twoColumn',
  'threeColumn',
  'divider',
  'group',
  'hero',
  'image',
  'navBar',
  'navLink',
  'section',
  'socialGroup',
  'socialElement',
  'spacer',
  'text',
  'wrapper',
  'raw',
];

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

export function builderWords(u: Ui) {
  const t = (key: string) => u.t(key as MessageKey);
  return {
    visual: t('tplb.visual'),
    source: t('tplb.source'),
    cannot: t('tplb.cannot'),
    insertVariable: t('tplb.insertVariable'),
    uploadFailed: t('tplb.uploadFailed'),
    buttons: Object.fromEntries(BUTTONS.map((id) => [id, t(`tplb.button.${id}`)])),
    traits: Object.fromEntries(TRAITS.map((name) => [name, t(`tplb.trait.${name}`)])),
    styles: Object.fromEntries(STYLES.map((name) => [name, t(`tplb.style.${name}`)])),
    unit: t('tplb.unit'),
    field: t('tplb.field'),
    colorCode: t('tplb.colorCode'),
    starters: {
      'mj-1-column': `<mj-section><mj-column><mj-text>${escapeText(t('tplb.starter.text'))}</mj-text></mj-column></mj-section>`,
      'mj-text': `<mj-text>${escapeText(t('tplb.starter.text'))}</mj-text>`,
      'mj-button': `<mj-button href="https://">${escapeText(t('tplb.starter.button'))}</mj-button>`,
    },
    // grapesjs-mjml's own catalogue, in its shape
    mjml: {
      panels: {
        buttons: {
          undo: t('tplb.mjml.undo'),
          redo: t('tplb.mjml.redo'),
          desktop: t('tplb.mjml.desktop'),
          tablet: t('tplb.mjml.tablet'),
          mobile: t('tplb.mjml.mobile'),
          import: t('tplb.mjml.import'),
        },
        import: { title: t('tplb.mjml.import'), button: t('tplb.mjml.importButton'), label: '' },
        export: { title: t('tplb.mjml.export') },
      },
      components: { names: Object.fromEntries(NAMES.map((name) => [name, t(`tplb.block.${name}`)])) },
    },
  };
}

/** `<div id="template-builder">` for an email template's form; `upload` is where images go. */
export function builderMount(u: Ui, upload = '/admin/images'): SafeHtml {
  return html`<div
    id="template-builder"
    class="builder"
    data-test="builder"
    data-upload="${upload}"
    data-words="${JSON.stringify(builderWords(u))}"
  ></div>`;
}
