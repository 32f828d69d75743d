/* Search result snippets from the page's own text: Sphinx takes them from the whole main area, so
 * they began with the buttons («.ipynb .pdf») and the contents list, and showed code examples
 * (YAML, Python). Here a snippet reads only the article, without code, buttons and headings' links.
 * Loaded on the search page only (sphinx_ext); snippets are made after the pages are fetched, so the
 * patch is in place in time whether this file runs before or after searchtools.js. */
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
  function patch() {
    /* global Search: searchtools.js declares it with `const`, so it is no property of window */
    if (typeof Search !== "undefined" && typeof Search.htmlToText === "function") {
      Search.htmlToText = articleText;
    }
  }
  if (typeof Search !== "undefined") { patch(); }
  else { document.addEventListener("DOMContentLoaded", patch); }
})();
