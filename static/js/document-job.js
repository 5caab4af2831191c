// PRN-2: a [data-document-job] box polls its status URL until the worker has rendered the PDF,
// then shows the download link. No inline script (CSP); the text comes from the server.
(function () {
  function poll(box) {
    var url = box.getAttribute("data-status-url");
    var message = box.querySelector("[data-job-message]");
    var link = box.querySelector("[data-job-download]");
    var delay = 500;
    function tick() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { setTimeout(tick, 3000); return; }
          box.setAttribute("data-state", data.state);
          if (message) { message.textContent = data.message; }
          if (data.state === "done" && data.download_url) {
            link.setAttribute("href", data.download_url);
            link.hidden = false;
            return;
          }
          if (data.state === "failed") { return; }
          delay = Math.min(delay * 1.5, 3000);
          setTimeout(tick, delay);
        })
        .catch(function () { setTimeout(tick, 3000); });
    }
    var state = box.getAttribute("data-state");
    if (state !== "done" && state !== "failed") { tick(); }
  }
  document.querySelectorAll("[data-document-job]").forEach(poll);
})();
