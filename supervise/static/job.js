// Follow a background job: #job carries the status URL; show its state and progress, then hand the
// result to onDone(result, element) or show the error.
const JOB_STATES = {queued: '排队中', started: '处理中', deferred: '等待前序任务', scheduled: '等待重试',
  finished: '已完成', failed: '失败', stopped: '已停止', canceled: '已取消'};

function watchJob(onDone) {
  const box = document.getElementById('job');
  if (!box) return;
  const result = document.getElementById('job-result');
  (function poll() {
    fetch(box.dataset.url, {credentials: 'same-origin'}).then(r => r.json()).then(j => {
      document.getElementById('job-state').textContent = JOB_STATES[j.status] || j.status;
      const p = j.progress || {};
      if (p.total) { const bar = document.getElementById('job-progress'); bar.max = p.total; bar.value = p.done; }
      if (j.status === 'finished') onDone(j.result, result);
      else if (j.status === 'failed') result.textContent = '任务失败，已记录：' + (j.error || '');
      else setTimeout(poll, 1000);
    });
  })();
}
