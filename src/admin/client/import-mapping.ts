// The import mapping step: when a column's target changes, the attribute key of every column
// that goes to attributes is shown again, computed by the same code the import stores them with
// (attribute-key.ts: «Город» → city, a second «Город» → city_2). Without script the page shows
// the keys of the columns as the server rendered them, and the import works the same.
import { attributeKeys } from '../../customers/csv/attribute-key';

const form = document.querySelector<HTMLFormElement>('[data-test=mapping-form]');
if (form) {
  const selects = [...form.querySelectorAll<HTMLSelectElement>('select[data-column]')];
  const label = form.dataset.keyLabel ?? '{key}';
  const refresh = () => {
    const attributes = selects.filter((s) => s.value === 'attribute');
    const keys = attributeKeys(attributes.map((s) => s.dataset.header ?? ''));
    for (const select of selects) {
      const out = form.querySelector<HTMLElement>(`[data-key-for="${select.dataset.column ?? ''}"]`);
      const k = attributes.indexOf(select);
      if (out) out.textContent = k === -1 ? '' : label.replace('{key}', keys[k]);
    }
  };
  for (const select of selects) select.addEventListener('change', refresh);
}
