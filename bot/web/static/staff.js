// The job page's live progress: polls the job's JSON and updates the page, then reloads it once the job
// has ended so the server renders the final report. Without JavaScript the page refreshes itself instead
// (a <noscript> refresh), so this file is an enhancement only.
"use strict";

(function () {
  var job = document.getElementById("job");
  if (!job || job.getAttribute("data-running") !== "yes") {
    return;
  }
  var url = job.getAttribute("data-status-url");
  var hint = document.getElementById("job-hint");
  var failures = 0;

  function text(id, value) {
    var node = document.getElementById(id);
    if (node) {
      node.textContent = value;
    }
  }

  function show(state) {
    var progress = state.progress || {};
    text("job-status", state.status_label);
    text("job-phase", state.phase_label);
    text("job-count", progress.total ? progress.done + "/" + progress.total : "");
    text("job-message", progress.message || "");
    var bar = document.getElementById("job-progress");
    if (bar && progress.total) {
      bar.max = progress.total;
      bar.value = progress.done;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (state) {
        failures = 0;
        show(state);
        if (state.running) {
          window.setTimeout(poll, 1500);
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        failures += 1;
        if (hint) {
          hint.textContent = "Mất kết nối với máy chủ; đang thử lại…";
        }
        if (failures < 20) {
          window.setTimeout(poll, 3000);
        }
      });
  }

  window.setTimeout(poll, 1000);
})();
