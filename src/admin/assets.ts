// The admin UI's only static files, kept as strings so the build needs no asset copying.
export const ADMIN_CSS = `
*{box-sizing:border-box}body{margin:0;font-family:-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1f2937;background:#f8fafc;line-height:1.45}
nav{display:flex;flex-wrap:wrap;gap:.2rem 1rem;align-items:center;padding:.6rem 1.2rem;background:#1e293b;color:#e2e8f0}
nav a{color:#cbd5e1;text-decoration:none}nav a:hover{color:#fff}nav .brand{margin-right:1rem}nav .who{margin-left:auto;font-size:.85rem;color:#94a3b8}
main{max-width:72rem;margin:0 auto;padding:1rem 1.2rem 3rem}h1{font-size:1.5rem;margin:.6rem 0 1rem}h2{font-size:1.15rem;margin:1.6rem 0 .6rem}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.9rem}th,td{border-bottom:1px solid #e5e7eb;padding:.35rem .5rem;text-align:left;vertical-align:top}th{background:#f1f5f9}
.stats{display:flex;flex-wrap:wrap;gap:.8rem;margin:.6rem 0}.stat{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:.6rem .9rem;min-width:8rem}
.stat .value{display:block;font-size:1.4rem;font-weight:600}.stat .label{font-size:.8rem;color:#6b7280}
.chart{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:.6rem;margin:.8rem 0}.chart > svg{width:100%;height:auto}.chart figcaption{font-weight:600;font-size:.9rem}
.legend{font-weight:400;font-size:.8rem;margin-left:.8rem}.legend svg{width:10px;height:10px;vertical-align:middle}form.stack input.check{width:auto}
form.inline{display:inline}form.stack{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:1rem;max-width:40rem}
form.stack label{display:block;margin:.5rem 0 .2rem;font-weight:600;font-size:.9rem}input,select,textarea{font:inherit;padding:.35rem .45rem;border:1px solid #cbd5e1;border-radius:6px}
form.stack input,form.stack select,form.stack textarea{width:100%}textarea{font-family:ui-monospace,monospace;font-size:.85rem}
button{font:inherit;padding:.35rem .9rem;border:0;border-radius:6px;background:#1d4ed8;color:#fff;cursor:pointer;margin:.3rem .2rem .3rem 0}button.link{background:none;color:#cbd5e1;padding:0;margin:0}
.notice{padding:.5rem .8rem;border-radius:6px}.notice.ok{background:#ecfdf5;color:#047857}.notice.error{background:#fef2f2;color:#b91c1c}
.muted{color:#6b7280}.badge{display:inline-block;padding:0 .4rem;border-radius:4px;background:#e2e8f0;font-size:.8rem}
iframe.preview{width:100%;height:32rem;border:1px solid #e5e7eb;background:#fff}pre{white-space:pre-wrap;background:#fff;border:1px solid #e5e7eb;padding:.5rem}
`;

/** Segment builder: the Count button posts the rules to the count endpoint and shows the number. */
export const ADMIN_JS = `
document.addEventListener('click', async (event) => {
  const button = event.target.closest('[data-count-url]');
  if (!button) return;
  event.preventDefault();
  const form = button.closest('form');
  const out = document.querySelector(button.dataset.countTarget);
  out.textContent = '…';
  try {
    const response = await fetch(button.dataset.countUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': form.elements._csrf.value },
      body: new URLSearchParams({ rules: form.elements.rules.value, _csrf: form.elements._csrf.value }),
      credentials: 'same-origin',
    });
    const body = await response.json();
    out.textContent = response.ok ? String(body.count) : body.error;
    out.className = response.ok ? 'notice ok' : 'notice error';
  } catch (error) {
    out.textContent = String(error);
  }
});
`;
