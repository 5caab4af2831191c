// 打印预览 (console 业务打印表单): a [data-print] button opens the browser's print dialog.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
