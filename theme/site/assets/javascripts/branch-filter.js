/*
 * Branch directory filter for the branchbook site. No dependencies.
 *
 * Markup it expects (written by the branch directory page):
 *
 *   <select id="branch-type-filter">
 *     <option value="">全部</option>
 *     <option value="农村">农村</option> ...
 *   </select>
 *   显示 <span id="branch-type-count">12</span> 个支部
 *   <table> ... <tr data-type="农村"> ... </tr> ... </table>
 *
 * Choosing a type hides every row whose data-type differs; the empty value
 * shows all rows. If the select has a data-target attribute holding a CSS
 * selector, only rows inside the matching element are filtered. The count
 * element is optional. Works with Material's instant navigation off (plain
 * page loads) and also on (document$), and re-applies the choice the browser
 * restores on back/forward navigation.
 */
(function () {
  "use strict";

  function rowsFor(select) {
    var scope = select.getAttribute("data-target");
    var root = (scope && document.querySelector(scope)) || document;
    return root.querySelectorAll("tr[data-type]");
  }

  function applyFilter(select) {
    var wanted = select.value;
    var rows = rowsFor(select);
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var match = wanted === "" || rows[i].getAttribute("data-type") === wanted;
      rows[i].hidden = !match;
      if (match) {
        shown++;
      }
    }
    var count = document.getElementById("branch-type-count");
    if (count) {
      count.textContent = String(shown);
    }
  }

  function init() {
    var select = document.getElementById("branch-type-filter");
    if (!select || select.getAttribute("data-branch-filter-ready")) {
      return;
    }
    select.setAttribute("data-branch-filter-ready", "true");
    select.addEventListener("change", function () {
      applyFilter(select);
    });
    applyFilter(select);
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  window.addEventListener("pageshow", function () {
    var select = document.getElementById("branch-type-filter");
    if (select) {
      applyFilter(select);
    }
  });
})();
