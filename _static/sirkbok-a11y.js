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

  /* The menu and page-contents buttons say whether their panel is open (aria-expanded), and focus
     comes back to the button when the panel closes: sphinx-book-theme blurs the button on click, so
     the theme's own focus return lands on the page body instead. */
  function sidebarButtons() {
    [["primary", "pst-primary-sidebar"], ["secondary", "pst-secondary-sidebar"]].forEach(function (pair) {
      var button = document.querySelector(".bd-header-article ." + pair[0] + "-toggle");
      var panel = document.getElementById(pair[1]);
      var dialog = document.getElementById(pair[1] + "-modal");
      if (!button || !panel || !dialog) { return; }
      var update = function () {
        var open = dialog.open || (window.matchMedia("(min-width: 992px)").matches
                                   && pair[0] === "primary" && !panel.classList.contains("pst-sidebar-hidden"));
        button.setAttribute("aria-expanded", open ? "true" : "false");
      };
      button.setAttribute("aria-controls", pair[1]);
      button.addEventListener("click", function () { window.setTimeout(update, 0); });
      dialog.addEventListener("close", function () {
        update();
        if (!document.activeElement || document.activeElement === document.body) { button.focus(); }
      });
      update();
    });
  }

  function start() {
    sidebarButtons();
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
