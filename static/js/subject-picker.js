/* 诊疗科目 picker (设置本院科室信息, INS-3): the filter box hides the rows whose code, name and pinyin
   initials (data-initials, computed on the server) do not contain what is typed: "nk" finds 内科,
   "03" finds 03 and 03.xx. Checked rows always stay visible. Without JavaScript the box stays hidden
   and the table is a plain checkbox list. */
(function () {
  "use strict";
  var box = document.querySelector("[data-subject-filter]");
  var table = document.getElementById("subject-table");
  if (!box || !table) { return; }
  var input = box.querySelector("input");
  var count = document.getElementById("subject-filter-count");
  var rows = Array.prototype.slice.call(table.tBodies[0].rows).filter(function (row) {
    return row.hasAttribute("data-code");
  });
  box.hidden = false;

  function normalise(value) {
    return (value.normalize ? value.normalize("NFKC") : value).trim().toLowerCase();
  }

  function apply() {
    var query = normalise(input.value);
    var shown = 0;
    rows.forEach(function (row) {
      var checkbox = row.querySelector("input[type=checkbox]");
      var match = !query ||
        row.getAttribute("data-code").toLowerCase().indexOf(query) !== -1 ||
        row.getAttribute("data-name").indexOf(query) !== -1 ||
        row.getAttribute("data-initials").indexOf(query) !== -1;
      var visible = match || (checkbox && checkbox.checked);
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    if (count) { count.textContent = query ? "显示 " + shown + " / " + rows.length + " 个诊疗科目" : ""; }
  }

  input.addEventListener("input", apply);
  // Enter in the filter box must not submit the department form.
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); }
  });
  apply();
}());
