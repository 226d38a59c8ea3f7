/* Versus: sortable, filterable leaderboard. Without this file the table is ranked by overall
   score and the filters stay hidden. Cells carry raw values in data-value; empty means no data,
   which always sorts last. */
(function () {
  "use strict";

  function cellValue(row, column, numeric) {
    var cell = row.cells[column];
    var raw = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent.trim();
    if (raw === "") return null;
    return numeric ? parseFloat(raw) : raw.toLocaleLowerCase();
  }

  function sortable(table) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var body = table.tBodies[0];
    var original = Array.prototype.slice.call(body.rows);
    var status = document.querySelector('[data-filters-for="' + table.id + '"] .filter-status');

    function sortBy(header, direction) {
      var column = headers.indexOf(header);
      var numeric = header.getAttribute("data-sort") === "num";
      var sign = direction === "ascending" ? 1 : -1;
      var rows = original.map(function (row, index) {
        return { row: row, index: index, value: cellValue(row, column, numeric) };
      });
      rows.sort(function (x, y) {
        if (x.value === null || y.value === null) {
          return (x.value === null) - (y.value === null) || x.index - y.index;
        }
        var order = numeric ? x.value - y.value : x.value.localeCompare(y.value);
        return sign * order || x.index - y.index;
      });
      rows.forEach(function (item) { body.appendChild(item.row); });
      headers.forEach(function (th) {
        if (th === header) th.setAttribute("aria-sort", direction);
        else th.removeAttribute("aria-sort");
      });
      if (status) status.textContent = "Sorted by " + header.textContent.trim() + ", " + direction + ".";
    }

    headers.forEach(function (th) {
      if (!th.hasAttribute("data-sort")) return;
      // The label becomes a button of the same size, and the arrows are drawn by the stylesheet
      // from the first paint (html.js), so nothing on the page moves.
      var label = th.querySelector(".th-label") || th;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort th-label";
      while (label.firstChild) button.appendChild(label.firstChild);
      if (label === th) th.appendChild(button);
      else th.replaceChild(button, label);
      button.addEventListener("click", function () {
        var current = th.getAttribute("aria-sort");
        var first = th.getAttribute("data-first") === "desc" ? "descending" : "ascending";
        var next = !current ? first : current === "ascending" ? "descending" : "ascending";
        sortBy(th, next);
      });
    });
  }

  function filterable(table) {
    var form = document.querySelector('[data-filters-for="' + table.id + '"]');
    if (!form) return;
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
    var status = form.querySelector(".filter-status");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);

    function matches(row) {
      return selects.every(function (select) {
        var wanted = select.value;
        if (!wanted) return true;
        var have = row.getAttribute("data-" + select.getAttribute("data-filter")) || "";
        return select.getAttribute("data-filter") === "input"
          ? have.split(" ").indexOf(wanted) >= 0 : have === wanted;
      });
    }

    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        row.hidden = !matches(row);
        if (!row.hidden) shown++;
      });
      status.textContent = shown === rows.length ? "All " + rows.length + " models shown."
        : shown + " of " + rows.length + " models shown.";
    }

    selects.forEach(function (select) { select.addEventListener("change", apply); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
  }

  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    sortable(table);
    filterable(table);
  });
})();
