// Loaded on every admin page: confirmation before a destructive form is submitted
// (data-confirm on the form), and the segment form's "count" button (data-count-url).
document.addEventListener('submit', (event) => {
  const form = event.target;
  const question = form instanceof HTMLFormElement ? form.dataset.confirm : '';
  if (question && !window.confirm(question)) event.preventDefault();
});

document.addEventListener('click', (event) => {
  void count(event);
});

async function count(event: MouseEvent): Promise<void> {
  const button = (event.target as Element | null)?.closest<HTMLElement>('[data-count-url]');
  if (!button) return;
  event.preventDefault();
  const form = button.closest('form');
  const out = document.querySelector<HTMLElement>(button.dataset.countTarget ?? '');
  if (!form || !out) return;
  const csrf = (form.elements.namedItem('_csrf') as HTMLInputElement | null)?.value ?? '';
  const rules = (form.elements.namedItem('rules') as HTMLTextAreaElement | null)?.value ?? '';
  out.textContent = '…';
  try {
    const response = await fetch(button.dataset.countUrl ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': csrf },
      body: new URLSearchParams({ rules, _csrf: csrf }),
      credentials: 'same-origin',
    });
    const body = (await response.json()) as { count?: number; error?: string };
    out.textContent = response.ok ? String(body.count) : String(body.error);
    out.className = response.ok ? 'notice ok' : 'notice error';
  } catch (error) {
    out.textContent = String(error);
  }
}
