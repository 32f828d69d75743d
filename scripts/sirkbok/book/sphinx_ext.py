"""Sphinx extension for the book: light pages, charts at first paint, each chapter's figures copied along.

- Charts: each page with a chart gets `sirkbok-charts.js` (a few kB), which leaves the exported SVG
  image in place and fetches the self-hosted chart runtime (`sirkbok-vega.js`: upstream Vega and
  vega-tooltip builds, vendored in static/vendor, no CDN) only when a chart comes near the screen or
  is touched. The pages carry compiled Vega specs, so no Vega-Lite compiler is downloaded. Each chart
  image gets its height from the exported SVG, so nothing below it moves when it arrives.
- Assets: every script and stylesheet appears once per page, and those a page does not use (Thebe when
  it is off, sphinx-design, the copy and toggle buttons) are left out of that page.
- The theme's strings in Norwegian, from the book's own catalogue first (locale/), then the theme's.
"""

from __future__ import annotations

import hashlib
import html
import json
import posixpath
import re
import shutil
import zlib
from importlib import metadata
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.i18n import CatalogRepository

from sirkbok.book import (
    citations,
    code_section,
    dcat,
    edition,
    guard,
    municipality_template,
    page_facts,
    pdf,
    site_copy,
)
from sirkbok.core import context
from sirkbok.core import format as fmt
from sirkbok.core.files import write_atomic
from sirkbok.core.format import NUMBER_LOCALE, TIME_LOCALE, date
from sirkbok.datapackage.descriptor import last_updated, table_names
from sirkbok.datapackage.template import TEMPLATE_FOLDER, write_template
from sirkbok.reader import decisions
from sirkbok.run import provenance

BUNDLE_NAME = "sirkbok-vega.js"
LOADER_NAME = "sirkbok-charts.js"
SEARCH_NAME = "sirkbok-search.js"  # search snippets from the article text (search page only)
CSS_NAME = "sirkbok.css"
STATIC = Path(__file__).parent / "static"

# The vendored upstream builds (static/vendor/README.md), in the order they need each other.
VENDORED = ("vega.min.js", "vega-tooltip.min.js")
# Shadowing the module systems makes each UMD build set its browser global (`vega`, `vegaTooltip`)
# even on a page that has an AMD loader. The locales are set once for every chart on the page.
_BUNDLE_HEAD = "(function (define, exports, module) {\n"
_BUNDLE_TAIL = """
vega.formatLocale(%(number)s);
vega.timeFormatLocale(%(time)s);
window.sirkbokVega = {vega: vega, Tooltip: vegaTooltip.Handler};
})();
"""
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)

# Assets a page needs only when its body holds the matching markup (body pattern, asset names).
_ON_DEMAND = (
    (re.compile(r'class="[^"]*\bsd-'), ("design-tabs.js", "sphinx-design.min.css")),
    (re.compile(r"<pre\b"), ("clipboard.min.js", "copybutton.js", "copybutton.css")),
    (
        re.compile(r'class="[^"]*\b(toggle|dropdown)\b'),
        ("togglebutton.js", "togglebutton.css", "toggleHint", "togglebuttonSelector"),
    ),
)
_THEBE = ("thebe", "THEBE_JS_URL")
# A chart's exported image as charts.py writes it, and the size in the exported SVG's root element.
_CHART_IMAGE = re.compile(r'<img src="figurer/([a-z0-9-]+)\.svg"([^>]*?) width="(\d+)">')
_SVG_SIZE = re.compile(r'<svg [^>]*?width="([\d.]+)" height="([\d.]+)"')
# sphinx-copybutton knows no Norwegian and falls back to English («Copy», «Copied!»).
_COPY_MESSAGES = {
    "copy": "Kopier",
    "copy_to_clipboard": "Kopier til utklippstavlen",
    "copy_success": "Kopiert",
    "copy_failure": "Kunne ikke kopiere",
}


def vega_bundle() -> str:
    """The chart runtime (Vega and its tooltip handler, no Vega-Lite compiler) as one script whose
    own global name is `sirkbokVega`, with the book's number and date formats."""
    parts = [_BUNDLE_HEAD]
    for name in VENDORED:
        text = (STATIC / "vendor" / name).read_text(encoding="utf-8")
        parts.append(_SOURCE_MAP.sub("", text).rstrip() + ";\n")  # no map file is shipped
    parts.append(
        _BUNDLE_TAIL
        % {
            "number": json.dumps(NUMBER_LOCALE, ensure_ascii=False),
            "time": json.dumps(TIME_LOCALE, ensure_ascii=False),
        }
    )
    return "".join(parts)


def _write_bundle(target: Path) -> None:
    """Write the bundle only when it differs from the copy in the site (joining it takes
    milliseconds; an unchanged file keeps its modification time for browsers' caches)."""
    text = vega_bundle()
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


def _asset_key(asset: Any) -> str:
    """What identifies a script or stylesheet: its file name (without ?v=), or an inline body."""
    name = str(getattr(asset, "filename", None) or asset or "")
    body = getattr(asset, "attributes", {}).get("body", "") if hasattr(asset, "attributes") else ""
    return name.split("?")[0] + "\n" + body


def _needed(key: str, body: str, thebe: bool) -> bool:
    if not thebe and any(word in key for word in _THEBE):
        return False
    for pattern, names in _ON_DEMAND:
        if any(name in key for name in names) and not pattern.search(body):
            return False
    return True


def _prune(assets: list, body: str, thebe: bool) -> None:
    """Each asset once, and only those the page uses (in place: Sphinx restores the list per page)."""
    seen: set[str] = set()
    kept = []
    for asset in assets:
        key = _asset_key(asset)
        if key in seen or not _needed(key, body, thebe):
            continue
        seen.add(key)
        kept.append(asset)
    assets[:] = kept


def _thebe_on(app: Sphinx) -> bool:
    options = app.config.html_theme_options or {}
    return bool((options.get("launch_buttons") or {}).get("thebe", False))


def _reserve_image_space(body: str, figures: Path) -> str:
    """Give each chart image its height, so the page does not jump when the image arrives."""

    def sized(match: re.Match) -> str:
        name, rest, width = match.groups()
        svg = figures / f"{name}.svg"
        found = _SVG_SIZE.match(svg.read_text(encoding="utf-8")[:1000]) if svg.is_file() else None
        if not found or float(found.group(1)) <= 0:
            return match.group(0)
        height = round(float(found.group(2)) * int(width) / float(found.group(1)))
        return f'<img src="figurer/{name}.svg"{rest} width="{width}" height="{height}">'

    return _CHART_IMAGE.sub(sized, body)


def _add_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    body = context.get("body", "")
    # The one-page build is printed to PDF: charts stay their static SVG images (vector on paper).
    if "sirk-spec" in body and app.builder.name != "singlehtml":
        # The runtime's checksum travels with the loader, so a new runtime is never read from cache.
        bundle = f"{BUNDLE_NAME}?v={getattr(app, 'sirkbok_bundle_version', '')}"
        app.add_js_file(LOADER_NAME, 500, "defer", **{"data-bundle": bundle})  # default priority
        figures = Path(app.srcdir) / Path(pagename).parent / "figurer"
        context["body"] = _reserve_image_space(body, figures)
    if pagename == "search":
        app.add_js_file(SEARCH_NAME, 600)
    thebe = _thebe_on(app)
    for name in ("script_files", "css_files"):
        if isinstance(context.get(name), list):
            _prune(context[name], body, thebe)


def _copybutton_in_norwegian(static: Path, language: str) -> None:
    """Give sphinx-copybutton's message table an entry for the page language (html lang="nb-NO")."""
    path = static / "copybutton.js"
    anchor = "const messages = {"
    if not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    key = json.dumps(language.replace("_", "-"))
    if anchor in text and key not in text:
        entry = f"\n  {key}: {json.dumps(_COPY_MESSAGES, ensure_ascii=False)},"
        path.write_text(text.replace(anchor, anchor + entry, 1), encoding="utf-8")


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


def _write_scripts(app: Sphinx) -> None:
    """The chart loader and runtime, into the site before any page is written: each page names the
    loader with a checksum of the copy in the site (`?v=`), which must be this build's."""
    if app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    _write_bundle(static / BUNDLE_NAME)
    app.sirkbok_bundle_version = f"{zlib.crc32((static / BUNDLE_NAME).read_bytes()):08x}"  # type: ignore[attr-defined]
    for name in (LOADER_NAME, SEARCH_NAME):
        script = (STATIC / name).read_bytes()
        if not (static / name).is_file() or (static / name).read_bytes() != script:
            (static / name).write_bytes(script)


def _book(app: Sphinx) -> context.Book:
    """The book this Sphinx run builds: one Book per application, made on first use from its
    source folder, so what the extension reads of the data package is cached once per build."""
    book = getattr(app, "sirkbok_book", None)
    if book is None:
        book = context.at(Path(app.srcdir))
        app.sirkbok_book = book  # type: ignore[attr-defined]
    return book


def _write_assets(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    with context.using(_book(app)):
        _write_assets_of(app)


def _write_assets_of(app: Sphinx) -> None:
    static = Path(app.outdir) / "_static"
    _copybutton_in_norwegian(static, str(app.config.language or "en"))
    source = Path(app.srcdir)
    # The figures and the data package travel with the site, so readers can download exactly what
    # the figures used: copied without following a link, the data's CSVs formula-safe.
    site_copy.publish(source, Path(app.outdir))
    if app.builder.name != "html":
        return

    _write_templates_if_changed(source, Path(app.outdir) / TEMPLATE_FOLDER, Path(app.doctreedir))
    book_pdf = _pdf(app)
    if book_pdf:
        shutil.copy2(book_pdf, Path(app.outdir) / book_pdf.name)
    if app.config.html_baseurl:
        dcat.write(source, app.config.html_baseurl, Path(app.outdir) / "data")
        _write_sitemap(app)


def _templates_key(source: Path) -> str:
    """What the Excel templates are made from: the data package, the code that writes them, and
    openpyxl's version. The code is every module of the package: following the imports of the
    code that writes them costs a second in a book without the import analysis (each fresh copy a
    test builds), more than writing the templates again after an unrelated change of the code."""
    parts = [metadata.version("openpyxl")]
    for path in sorted((source / "data").rglob("*")):
        if path.is_file():
            parts.append(f"{path.relative_to(source).as_posix()} {provenance.sha256_file(path)}")
    for path in sorted(provenance.PACKAGE_DIR.rglob("*.py")):
        parts.append(f"{provenance.package_key(path)} {provenance.sha256_file(path)}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _write_templates_if_changed(source: Path, folder: Path, cache: Path) -> None:
    """The templates take seconds to write: only when what they are made from changed, or a copy
    in the site is missing or altered (the key and the copies' hashes are kept beside the doctrees)."""
    stamp = cache / "sirkbok-templates.json"
    key = _templates_key(source)
    try:
        kept = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kept = {}
    if (
        isinstance(kept, dict)
        and kept.get("key") == key
        and isinstance(kept.get("files"), dict)
        and kept["files"]
        and all(provenance.sha256_file(folder / n) == h for n, h in kept["files"].items())
    ):
        return
    written = write_templates(folder)
    files = {path.name: provenance.sha256_file(path) for path in written}
    cache.mkdir(parents=True, exist_ok=True)
    write_atomic(stamp, json.dumps({"key": key, "files": files}, indent=1, sort_keys=True))


def write_templates(folder: Path) -> list[Path]:
    """The pre-filled Excel templates: one per table (`sirkbok template --table TABLE`) and one per
    municipality with only its own numbers (the municipality pages link to it)."""

    written = []
    for table in table_names():
        target = folder / f"{table}.xlsx"
        write_template(table, target)
        target.chmod(0o644)  # published: readable by a web server, also over an older 0600 copy
        written.append(target)
    return written + municipality_template.write_all(folder)


def _write_sitemap(app: Sphinx) -> None:
    """sitemap.xml (every page of the book at its published address) and a robots.txt naming it."""
    from xml.sax.saxutils import escape

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

    book = edition.read(Path(app.srcdir))
    package = json.loads(
        (Path(app.srcdir) / "data" / "datapackage.json").read_text(encoding="utf-8")
    )
    config.myst_substitutions = {
        **(config.myst_substitutions or {}),
        "versjon": book.version,
        "utgitt": fmt.date(book.released),
        "utgitt_aar": str(book.released.year),
        "dataversjon": fmt.text(package.get("version", "")),  # data: never markup
    }
    with context.using(_book(app)):
        line = page_facts.edition_line(book.version, book.released)
    app.sirkbok_edition = line  # type: ignore[attr-defined]
    config.myst_substitutions["pdf_setning"] = page_facts.pdf_sentence(Path(app.srcdir))
    # The site's address lives once, in _config.yml (html.baseurl); social previews reuse it.
    if config.html_baseurl and not config.ogp_site_url:
        config.ogp_site_url = config.html_baseurl
    if not config.ogp_site_name:
        config.ogp_site_name = book.title


def _pdf(app: Sphinx) -> Path | None:
    """The whole-book PDF (`sirkbok pdf`), if it was built: only then does the site link to it."""

    path = pdf.pdf_path(Path(app.srcdir))
    return path if app.builder.name == "html" and path.is_file() else None


def _footer(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """What _templates/extra-footer.html shows: this edition, and the PDF link when there is one."""
    context["sirkbok_edition"] = getattr(app, "sirkbok_edition", "")
    pdf = _pdf(app)
    context["sirkbok_pdf"] = pdf.name if pdf else ""


def _theme_in_norwegian(app: Sphinx) -> None:
    """The book's own catalogue first (locale/nb_NO/booktheme.po), then sphinx-book-theme's «no»,
    which gettext never tries for nb_NO and which lacks some of the buttons' strings."""
    import sphinx_book_theme
    from sphinx import locale

    if not str(app.config.language).startswith("nb"):
        return
    repository = CatalogRepository(
        app.srcdir, app.config.locale_dirs, app.config.language, app.config.source_encoding
    )
    for catalog in repository.catalogs:  # Sphinx compiles only its own domain before this point
        if catalog.domain == "booktheme" and catalog.is_outdated():
            catalog.write_mo(app.config.language)
    locale.init(list(repository.locale_dirs), app.config.language, "booktheme")
    folder = Path(sphinx_book_theme.__file__).parent / "theme" / "sphinx_book_theme" / "static"
    locale.init([str(folder / "locales")], "no", "booktheme")


def _book_facts(app: Sphinx, config: Any) -> None:
    """{{ forfatter }} and {{ sist_oppdatert }} for every page, and a footer line with both.

    The maintainers' name comes from `publisher.navn` in _config.yml (page_facts), the date from the data package: one home
    each. Both are escaped, since text from configuration or data never becomes markup.
    """

    author = str(config.author or "")
    with context.using(_book(app)):
        updated = date(last_updated())
        meeting = decisions.joint_meeting()
    subs = dict(config.myst_substitutions or {})
    subs.update({"forfatter": author, "sist_oppdatert": updated, "fellesmote": meeting})
    config.myst_substitutions = subs
    options = dict(config.html_theme_options or {})
    options["extra_footer"] = (
        f"<p>En uavhengig kunnskapsbase laget av {html.escape(author)}, bygd på regionrådenes "
        "offentlige dokumenter.</p>" + getattr(app, "sirkbok_contact", "")
    )
    config.html_theme_options = options


def _plugin_lookups_once() -> None:
    """pybtex and sphinxcontrib-bibtex find each plugin by scanning every installed package's entry
    points, once per citation: seconds per build here. The installed packages do not change during
    a build, so each (group, name) lookup is answered once and remembered (same plugins, no scan)."""
    import functools

    import pybtex.plugin
    import sphinxcontrib.bibtex.plugin

    modules: tuple[Any, ...] = (pybtex.plugin, sphinxcontrib.bibtex.plugin)
    for module in modules:
        lookup = module.entry_points
        if not hasattr(lookup, "cache_info"):
            module.entry_points = functools.cache(lookup)


def setup(app: Sphinx) -> dict[str, Any]:
    _plugin_lookups_once()
    citations.register()  # Norwegian citation forms (bibtex_reference_style, bibtex_default_style)
    citations.reuse_formatted_entries()  # the last build's formatted references, when unchanged
    citations.decode_latex_once()  # pybtex decodes the same BibTeX strings again and again
    code_section.setup(app)  # one «Slik er det regnet ut» section per notebook chapter
    site_copy.setup(app)  # no link or special file is read, nothing is published through one
    guard.setup(app)  # nothing from outside the repository, no raw HTML from contributions
    app.connect("config-inited", page_facts.publisher_config, priority=400)
    app.connect("config-inited", _book_facts)
    app.connect("config-inited", _edition)
    app.connect("builder-inited", _theme_in_norwegian)
    app.connect("builder-inited", page_facts.pdf_sentence_in_print)
    app.connect("builder-inited", _write_scripts)
    app.connect("html-page-context", _footer)
    app.connect("html-page-context", _add_assets, priority=900)
    app.connect("html-page-context", page_facts.issue_button, priority=600)
    app.connect("doctree-read", _figures_from_one_page)
    app.connect("build-finished", _write_assets)
    app.add_css_file(CSS_NAME)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
