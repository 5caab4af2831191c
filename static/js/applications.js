/* 业务申请 forms (REG-2): when a 医师类别 is chosen, only that category's 执业范围 stay visible (checked ones
   always stay, so nothing chosen is hidden). Without JavaScript every scope is listed; the rules refuse a
   scope of another category either way. */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("form.application-form"), function (form) {
    var category = form.querySelector("select[name=category]");
    var boxes = form.querySelectorAll(".scope-list input[type=checkbox][data-category]");
    if (!category || !boxes.length) { return; }

    function apply() {
      var chosen = category.value;
      Array.prototype.forEach.call(boxes, function (box) {
        var row = box.closest("div") || box.parentNode;
        row.hidden = Boolean(chosen) && box.getAttribute("data-category") !== chosen && !box.checked;
      });
    }

    category.addEventListener("change", apply);
    apply();
  });
}());
