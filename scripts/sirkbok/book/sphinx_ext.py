"""Sphinx extension for the book: one self-hosted Vega bundle, and each chapter's figures copied along.

The bundle comes from vl-convert (no CDN). It is wrapped in a function, since its top-level `const _`
would otherwise overwrite Sphinx's global `_`, and loaded only on pages that hold a chart.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from sirkbok.book import citations, code_section
from sirkbok.charts import NUMBER_LOCALE, TIME_LOCALE

BUNDLE_NAME = "sirkbok-vega.js"
CSS_NAME = "sirkbok.css"

_EMBED_SNIPPET = """
window.vegaEmbed = vegaEmbed;
function sirkbokRender() {
  var options = {renderer: "svg", actions: false, formatLocale: %(number)s,
                 timeFormatLocale: %(time)s, tooltip: {theme: "light"}};
  document.querySelectorAll("script.sirk-spec").forEach(function (node) {
    var target = document.getElementById(node.dataset.target);
    if (!target || target.dataset.rendered) { return; }
    var fallback = target.innerHTML;
    target.dataset.rendered = "pending";
    vegaEmbed(target, JSON.parse(node.textContent), options).then(function () {
      target.dataset.rendered = "ok";
    }).catch(function () {
      target.innerHTML = fallback;
      target.dataset.rendered = "fallback";
    });
  });
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", sirkbokRender);
} else {
  sirkbokRender();
}
"""


def vega_bundle() -> str:
    """The chart library and our renderer as one script with no global names but `vegaEmbed`."""
    import vl_convert as vlc

    snippet = _EMBED_SNIPPET % {
        "number": json.dumps(NUMBER_LOCALE, ensure_ascii=False),
        "time": json.dumps(TIME_LOCALE, ensure_ascii=False),
    }
    return "(function () {\n" + vlc.javascript_bundle(snippet) + "\n})();\n"


def _add_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if "sirk-spec" in context.get("body", ""):
        app.add_js_file(BUNDLE_NAME, loading_method="defer")


def _write_assets(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / BUNDLE_NAME).write_text(vega_bundle(), encoding="utf-8")
    source = Path(app.srcdir)
    for folder in sorted((source / "chapters").rglob("figurer")):
        if folder.is_dir():
            target = Path(app.outdir) / folder.relative_to(source)
            shutil.copytree(folder, target, dirs_exist_ok=True)
    # The data package travels with the site, so readers can download exactly what the figures used.
    shutil.copytree(source / "data", Path(app.outdir) / "data", dirs_exist_ok=True)


def _theme_in_norwegian(app: Sphinx) -> None:
    """sphinx-book-theme ships its Norwegian strings as «no», which gettext never tries for nb_NO."""
    import sphinx_book_theme
    from sphinx import locale

    folder = Path(sphinx_book_theme.__file__).parent / "theme" / "sphinx_book_theme" / "static"
    if str(app.config.language).startswith("nb"):
        locale.init([str(folder / "locales")], "no", "booktheme")


def setup(app: Sphinx) -> dict[str, Any]:
    citations.register()  # Norwegian citation forms (bibtex_reference_style, bibtex_default_style)
    code_section.setup(app)  # one «Slik er det regnet ut» section per notebook chapter
    app.connect("builder-inited", _theme_in_norwegian)
    app.connect("html-page-context", _add_assets)
    app.connect("build-finished", _write_assets)
    app.add_css_file(CSS_NAME)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
