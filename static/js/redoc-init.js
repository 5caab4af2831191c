/* Starts Redoc on /api/redoc/ (API-1) without an inline script: the schema address comes from the
   container, the CSP nonce from this script's own element, so the <style> elements Redoc inserts pass the
   strict style-src. Search is off: it runs in a Web Worker loaded from a blob: URL, which the policy refuses. */
(function () {
  "use strict";
  var container = document.getElementById("redoc-container");
  var self = document.currentScript;
  if (!container || !window.Redoc) {
    return;
  }
  window.Redoc.init(
    container.getAttribute("data-schema-url"),
    {
      nonce: self ? self.nonce : undefined,
      disableSearch: true,
      hideDownloadButton: false,
      expandResponses: "200,201",
      theme: {
        typography: {
          fontFamily: '-apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif',
          headings: { fontFamily: '-apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif' }
        }
      }
    },
    container
  );
})();
