/* 业务申请 forms (REG-2), two small helps; without JavaScript the page works the same, less quickly:
   - when a 医师类别 is chosen, only that category's 执业范围 stay visible (checked ones always stay, so
     nothing chosen is hidden; the rules refuse a scope of another category either way);
   - the 执业地点 shows as soon as the institution and the level are chosen (a 执业医师's is the
     institution's province, an assistant's its county — the server says the same after 检查 or 提交). */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("form.application-form"), function (form) {
    var category = form.querySelector("select[name=category]");
    var boxes = form.querySelectorAll(".scope-list input[type=checkbox][data-category]");
    if (category && boxes.length) {
      var filterScopes = function () {
        var chosen = category.value;
        Array.prototype.forEach.call(boxes, function (box) {
          var row = box.closest("div") || box.parentNode;
          row.hidden = Boolean(chosen) && box.getAttribute("data-category") !== chosen && !box.checked;
        });
      };
      category.addEventListener("change", filterScopes);
      filterScopes();
    }

    var institution = form.querySelector("select[name=institution]");
    var level = form.querySelector("select[name=level]");
    var record = form.querySelector("select[name=record]");
    var output = form.querySelector("output[data-location]");
    if (institution && output) {
      // The level: asked (注册, 军队变更入), fixed (助师升医师) or the chosen record's (变更).
      var levelNow = function () {
        if (level) { return level.value; }
        if (output.getAttribute("data-level")) { return output.getAttribute("data-level"); }
        var picked = record && record.options[record.selectedIndex];
        return picked ? picked.getAttribute("data-level") : "";
      };
      var showLocation = function () {
        var option = institution.options[institution.selectedIndex];
        var chosenLevel = levelNow();
        if (!option || !option.getAttribute("data-county") || !chosenLevel) { return; }
        output.textContent = option.getAttribute(chosenLevel === "assistant" ? "data-county" : "data-province");
      };
      institution.addEventListener("change", showLocation);
      if (level) { level.addEventListener("change", showLocation); }
      if (record) { record.addEventListener("change", showLocation); }
      showLocation();
    }
  });
}());
