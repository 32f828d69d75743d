/* Search result snippets from the page's own text: Sphinx takes them from the whole main area, so
 * they began with the buttons («.ipynb .pdf») and the contents list, and showed code examples
 * (YAML, Python). Here a snippet reads only the article, without code, buttons and headings' links.
 * Loaded on every page before Sphinx's searchtools.js; the patch is applied once the page is read,
 * before the search runs (searchtools starts the search on the same event, registered later). */
(function () {
  "use strict";
  var DROP = [".headerlink", "script", "style", "pre", ".highlight", ".cell_input",
              ".sirk-code", ".sirk-spec", "nav", ".bd-header-article", ".toctree-wrapper"];
  function articleText(htmlString, anchor) {
    var page = new DOMParser().parseFromString(htmlString, "text/html");
    DROP.forEach(function (query) {
      page.querySelectorAll(query).forEach(function (el) { el.remove(); });
    });
    var article = page.querySelector("article.bd-article") || page.querySelector('[role="main"]');
    if (!article) { return ""; }
    var part = anchor ? article.querySelector(anchor) : null;
    return (part || article).textContent.replace(/\s+/g, " ").trim();
  }
  document.addEventListener("DOMContentLoaded", function () {
    /* global Search: searchtools.js declares it with `const`, so it is no property of window */
    if (typeof Search !== "undefined" && typeof Search.htmlToText === "function") {
      Search.htmlToText = articleText;
    }
  });
})();
