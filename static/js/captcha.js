/* 换一张: ask django-simple-captcha's refresh view for a new image (each captcha box once). */
(function () {
  "use strict";
  function bind(box) {
    if (box.dataset.captchaBound) { return; }
    box.dataset.captchaBound = "1";
    var button = box.querySelector("[data-captcha-button]");
    if (!button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      fetch(box.dataset.captchaRefresh, {headers: {"X-Requested-With": "XMLHttpRequest"}})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          box.querySelector("img.captcha").src = data.image_url;
          box.querySelector("input[type=hidden]").value = data.key;
          var answer = box.querySelector("input[type=text]");
          answer.value = "";
          answer.focus();
        });
    });
  }
  function bindAll() {
    document.querySelectorAll("[data-captcha-refresh]").forEach(bind);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bindAll);
  } else {
    bindAll();
  }
})();
