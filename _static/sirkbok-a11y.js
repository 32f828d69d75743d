/* Keyboard access to content that scrolls sideways (WCAG 2.1.1): a data table or chart wider than the
   page gets a tab stop and a name, as the theme already does for code and its own table wrappers. */
(function () {
  "use strict";
  var NAMES = {"sirk-table-wrap": "Tabell, kan rulles sidelengs",
               "sirk-chart": "Figur, kan rulles sidelengs"};

  function mark() {
    document.querySelectorAll(".sirk-table-wrap, .sirk-chart").forEach(function (el) {
      var scrolls = el.scrollWidth > el.clientWidth + 1;
      if (scrolls && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("role", "region");
        el.setAttribute("aria-label", NAMES[el.classList.contains("sirk-chart") ? "sirk-chart"
                                                                                  : "sirk-table-wrap"]);
      } else if (!scrolls && el.getAttribute("tabindex") === "0") {
        el.removeAttribute("tabindex");
        el.removeAttribute("role");
        el.removeAttribute("aria-label");
      }
    });
  }

  var pending = null;
  function later() {
    window.clearTimeout(pending);
    pending = window.setTimeout(mark, 100);
  }

  function start() {
    mark();
    window.addEventListener("resize", later);
    // Charts render after load, and details open and close: look again when the page changes.
    new MutationObserver(later).observe(document.body, {
      subtree: true, attributes: true, attributeFilter: ["data-rendered", "open"]
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
