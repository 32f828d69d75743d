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
    if app.builder.name != "html":
        return
    book_pdf = _pdf(app)
    if book_pdf:
        shutil.copy2(book_pdf, Path(app.outdir) / book_pdf.name)
    if app.config.html_baseurl:
        from sirkbok.book import dcat

        dcat.write(source, app.config.html_baseurl, Path(app.outdir) / "data")
        _write_sitemap(app)


def _write_sitemap(app: Sphinx) -> None:
    """sitemap.xml (every page of the book at its published address) and a robots.txt naming it."""
    from xml.sax.saxutils import escape

    from sirkbok.core.files import write_atomic

    base = app.config.html_baseurl.rstrip("/") + "/"
    urls = [base + app.builder.get_target_uri(doc) for doc in sorted(app.env.found_docs)]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    lines.append('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
    lines += [f"  <url><loc>{escape(url)}</loc></url>" for url in urls]
    lines.append("</urlset>")
    out = Path(app.outdir)
    write_atomic(out / "sitemap.xml", "\n".join(lines) + "\n")
    write_atomic(out / "robots.txt", f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n")


def _edition(app: Sphinx, config: Any) -> None:
    """The edition from CITATION.cff as MyST substitutions: «Slik siterer du» never goes stale."""
    from sirkbok import format as fmt
    from sirkbok.book import edition

    book = edition.read(Path(app.srcdir))
    package = json.loads(
        (Path(app.srcdir) / "data" / "datapackage.json").read_text(encoding="utf-8")
    )
    config.myst_substitutions = {
        **(config.myst_substitutions or {}),
        "versjon": book.version,
        "utgitt": fmt.date(book.released),
        "utgitt_aar": str(book.released.year),
        "dataversjon": str(package.get("version", "")),
    }
    app.sirkbok_edition = f"Versjon {book.version}, {fmt.date(book.released)}"  # type: ignore[attr-defined]
    # The site's address lives once, in _config.yml (html.baseurl); social previews reuse it.
    if config.html_baseurl and not config.ogp_site_url:
        config.ogp_site_url = config.html_baseurl
    if not config.ogp_site_name:
        config.ogp_site_name = book.title


def _pdf(app: Sphinx) -> Path | None:
    """The whole-book PDF (`sirkbok pdf`), if it was built: only then does the site link to it."""
    from sirkbok.book import pdf

    path = pdf.pdf_path(Path(app.srcdir))
    return path if app.builder.name == "html" and path.is_file() else None


def _footer(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """What _templates/extra-footer.html shows: this edition, and the PDF link when there is one."""
    context["sirkbok_edition"] = getattr(app, "sirkbok_edition", "")
    context["sirkbok_pdf"] = _pdf(app).name if _pdf(app) else ""


def _theme_in_norwegian(app: Sphinx) -> None:
    """sphinx-book-theme ships its Norwegian strings as «no», which gettext never tries for nb_NO."""
    import sphinx_book_theme
    from sphinx import locale

    folder = Path(sphinx_book_theme.__file__).parent / "theme" / "sphinx_book_theme" / "static"
    if str(app.config.language).startswith("nb"):
        locale.init([str(folder / "locales")], "no", "booktheme")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _edition)
    app.connect("builder-inited", _theme_in_norwegian)
    app.connect("html-page-context", _footer)
    app.connect("html-page-context", _add_assets)
    app.connect("doctree-read", _figures_from_one_page)
    app.connect("build-finished", _write_assets)
    app.add_css_file(CSS_NAME)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
