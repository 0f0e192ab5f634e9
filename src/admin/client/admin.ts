// Loaded on every admin page: confirmation before a destructive form is submitted
// (data-confirm on the form).
document.addEventListener('submit', (event) => {
  const form = event.target;
  const question = form instanceof HTMLFormElement ? form.dataset.confirm : '';
  if (question && !window.confirm(question)) event.preventDefault();
});
