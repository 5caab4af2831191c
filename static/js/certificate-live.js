// PRN-3: the 电子证照 page's QR code and 动态验证码 change every 30 seconds. Each [data-certificate-live]
// box counts down and, when its code expires, asks data-live-url for a fresh QR (SVG markup) and code.
// No inline script (CSP); the SVG comes from our own server and carries no style attribute.
(function () {
  function live(box) {
    var url = box.getAttribute("data-live-url");
    var qr = box.querySelector("[data-live-qr]");
    var code = box.querySelector("[data-live-code]");
    var seconds = box.querySelector("[data-live-seconds]");
    var left = parseInt(box.getAttribute("data-seconds"), 10) || 30;
    var fetching = false;

    function refresh() {
      fetching = true;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          fetching = false;
          if (!data) { left = 5; return; }
          qr.innerHTML = data.qr_svg;
          code.textContent = data.code;
          left = data.seconds_left;
          box.setAttribute("data-code", data.code);
          if (seconds) { seconds.textContent = left; }
        })
        .catch(function () { fetching = false; left = 5; });
    }

    setInterval(function () {
      if (fetching) { return; }
      left -= 1;
      if (left <= 0) { refresh(); return; }
      if (seconds) { seconds.textContent = left; }
    }, 1000);
  }
  document.querySelectorAll("[data-certificate-live]").forEach(live);
})();
