"""Sphinx extension for the book: one self-hosted Vega bundle, and each chapter's figures copied along.

The bundle comes from vl-convert (no CDN). It is wrapped in a function, since its top-level `const _`
would otherwise overwrite Sphinx's global `_`, and loaded only on pages that hold a chart.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

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

    from sirkbok.charts import NUMBER_LOCALE, TIME_LOCALE

    snippet = _EMBED_SNIPPET % {
        "number": json.dumps(NUMBER_LOCALE, ensure_ascii=False),
        "time": json.dumps(TIME_LOCALE, ensure_ascii=False),
    }
    return "(function () {\n" + vlc.javascript_bundle(snippet) + "\n})();\n"


def _bundle_key() -> str:
    """What the bundle is made from: vl-convert's version, this module and the chart locales."""
    from importlib import metadata

    from sirkbok.run import provenance

    parts = [metadata.version("vl-convert-python")]
    parts += [provenance.sha256_file(Path(__file__)) or ""]
    parts += [provenance.sha256_file(Path(__file__).parents[1] / "charts.py") or ""]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _write_bundle(target: Path, cache: Path) -> None:
    """Make the bundle (seconds of vl-convert) only when what it is made from, or the copy in the
    site, changed; the key and the copy's hash are kept beside Sphinx's doctrees."""
    from sirkbok.run import provenance

    stamp = cache / f"{BUNDLE_NAME}.key"
    key = _bundle_key()
    if (
        stamp.is_file()
        and stamp.read_text(encoding="utf-8") == f"{key}\n{provenance.sha256_file(target)}"
    ):
        return
    target.write_text(vega_bundle(), encoding="utf-8")
    cache.mkdir(parents=True, exist_ok=True)
    stamp.write_text(f"{key}\n{provenance.sha256_file(target)}", encoding="utf-8")


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
    _write_bundle(static / BUNDLE_NAME, Path(app.doctreedir))
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


def _plugin_lookups_once() -> None:
    """pybtex and sphinxcontrib-bibtex find each plugin by scanning every installed package's entry
    points, once per citation: seconds per build here. The installed packages do not change during
    a build, so each (group, name) lookup is answered once and remembered (same plugins, no scan)."""
    import functools

    import pybtex.plugin
    import sphinxcontrib.bibtex.plugin

    for module in (pybtex.plugin, sphinxcontrib.bibtex.plugin):
        lookup = module.entry_points
        if not hasattr(lookup, "cache_info"):
            module.entry_points = functools.cache(lookup)


def setup(app: Sphinx) -> dict[str, Any]:
    _plugin_lookups_once()
    app.connect("builder-inited", _theme_in_norwegian)
    app.connect("html-page-context", _add_assets)
    app.connect("build-finished", _write_assets)
    app.add_css_file(CSS_NAME)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
