/* rotascope report: sortable tables, open <details> holding a link target, expand for print. */
(function () {
  "use strict";

  function cellValue(row, index) {
    var cell = row.children[index];
    if (!cell) { return null; }
    var raw = cell.getAttribute("data-v");
    if (raw === null) { raw = cell.textContent.trim(); }
    if (raw === "") { return null; }
    return raw;
  }

  function sortTable(table, index, type, button) {
    var th = button.closest("th");
    var current = th.getAttribute("aria-sort");
    var descendingFirst = type === "num";
    var ascending = current === "none" || current === null ? !descendingFirst : current === "descending";
    var heads = table.querySelectorAll("thead th");
    for (var i = 0; i < heads.length; i += 1) {
      if (heads[i].hasAttribute("aria-sort")) { heads[i].setAttribute("aria-sort", "none"); }
    }
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (row, position) { row.setAttribute("data-pos", String(position)); });
    rows.sort(function (a, b) {
      var va = cellValue(a, index);
      var vb = cellValue(b, index);
      if (va === null && vb === null) { return Number(a.getAttribute("data-pos")) - Number(b.getAttribute("data-pos")); }
      if (va === null) { return 1; }
      if (vb === null) { return -1; }
      var cmp;
      if (type === "num") {
        cmp = Number(va) - Number(vb);
      } else {
        cmp = va.localeCompare(vb);
      }
      if (cmp === 0) { return Number(a.getAttribute("data-pos")) - Number(b.getAttribute("data-pos")); }
      return ascending ? cmp : -cmp;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function initSorting() {
    var buttons = document.querySelectorAll("table.sortable th button.sort");
    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", function () {
        var th = button.closest("th");
        var table = button.closest("table");
        var index = Array.prototype.indexOf.call(th.parentNode.children, th);
        sortTable(table, index, th.getAttribute("data-type") || "text", button);
      });
    });
  }

  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) { return; }
    var target = document.getElementById(id);
    var node = target;
    while (node) {
      if (node.tagName === "DETAILS") { node.open = true; }
      node = node.parentElement;
    }
    if (target && target.scrollIntoView) { target.scrollIntoView({ block: "center" }); }
  }

  function openAllForPrint() {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initSorting();
    openTarget();
  });
  window.addEventListener("hashchange", openTarget);
  window.addEventListener("beforeprint", openAllForPrint);
}());
