// Follow a background job: #job carries the status URL; show its state and progress, then hand the
// result to onDone(result, element) or show the error.
function watchJob(onDone) {
  const box = document.getElementById('job');
  if (!box) return;
  const result = document.getElementById('job-result');
  (function poll() {
    fetch(box.dataset.url, {credentials: 'same-origin'}).then(r => r.json()).then(j => {
      document.getElementById('job-state').textContent = j.status;
      const p = j.progress || {};
      if (p.total) { const bar = document.getElementById('job-progress'); bar.max = p.total; bar.value = p.done; }
      if (j.status === 'finished') onDone(j.result, result);
      else if (j.status === 'failed') result.textContent = j.error;
      else setTimeout(poll, 1000);
    });
  })();
}
