"""Sphinx extension for the book: one self-hosted Vega bundle, and each chapter's figures copied along.

The bundle comes from vl-convert (no CDN). It is wrapped in a function, since its top-level `const _`
would otherwise overwrite Sphinx's global `_`, and loaded only on pages that hold a chart.
"""

from __future__ import annotations

import json
import posixpath
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

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
    # The one-page build is printed to PDF: charts stay their static SVG images (vector on paper).
    if "sirk-spec" in context.get("body", "") and app.builder.name != "singlehtml":
        app.add_js_file(BUNDLE_NAME, loading_method="defer")


def _figures_from_one_page(app: Sphinx, doctree: nodes.document) -> None:
    """On the one-page build, a chapter's `figurer/x.svg` is relative to the root page's folder.

    The charts are raw HTML from the notebooks, which Sphinx does not relocate; without this, every
    chart outside the root page's folder would print as a broken image.
    """
    if app.builder.name != "singlehtml":
        return
    root_folder = posixpath.dirname(app.config.root_doc)
    folder = posixpath.relpath(posixpath.dirname(app.env.docname) or ".", root_folder or ".")
    if folder == ".":
        return
    for raw in list(doctree.findall(nodes.raw)):
        if "html" in raw.get("format", "").split() and 'src="figurer/' in raw.astext():
            text = raw.astext().replace('src="figurer/', f'src="{folder}/figurer/')
            raw.replace_self(nodes.raw(raw.rawsource, text, format=raw["format"]))


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
    app.connect("builder-inited", _theme_in_norwegian)
    app.connect("html-page-context", _add_assets)
    app.connect("doctree-read", _figures_from_one_page)
    app.connect("build-finished", _write_assets)
    app.add_css_file(CSS_NAME)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
