// A form marked data-confirm asks before it is sent: publishing, confirming a 通报 and registering a decision
// cannot be undone.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
