"""One «Slik er det regnet ut» section at the end of each notebook chapter, instead of a toggle per cell.

Readers see the text, tables and figures; the code cells are removed from the page flow
(`remove-input`) and shown together, collapsed in one `<details>`, at the end of the chapter,
with a link to the notebook itself, so researchers can still read and rerun every step.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import nbformat
from docutils import nodes
from sphinx.application import Sphinx

TITLE = "Slik er det regnet ut"


def code_cells(notebook: Path) -> list[str]:
    """The source of every non-empty code cell, in order."""
    book = nbformat.read(notebook, as_version=4)
    return [c.source for c in book.cells if c.cell_type == "code" and c.source.strip()]


def details_html(sources: list[str], notebook_name: str) -> str:
    """The code of all cells, highlighted like Sphinx does, in one collapsed block."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    formatter = HtmlFormatter(cssclass="highlight", nowrap=False)
    blocks = "\n".join(
        f'<div class="highlight-python notranslate">{highlight(s, PythonLexer(), formatter)}</div>'
        for s in sources
    )
    name = html.escape(notebook_name)
    return (
        '<details class="sirk-code"><summary>Vis koden som lager tallene, tabellene og figurene '
        f"({len(sources)} celler)</summary>\n{blocks}\n</details>\n"
        f'<p>Hele notatboka kan lastes ned og kjøres på nytt: <a href="{name}" download>{name}</a>. '
        "Se kapitlet om å regne selv for hvordan.</p>"
    )


def _append(app: Sphinx, doctree: nodes.document) -> None:
    source = Path(app.env.doc2path(app.env.docname))
    if source.suffix != ".ipynb":
        return
    sources = code_cells(source)
    if not sources:
        return
    section = nodes.section(
        ids=["slik-er-det-regnet-ut"], names=[nodes.fully_normalize_name(TITLE)]
    )
    section += nodes.title(TITLE, TITLE)
    section += nodes.paragraph(
        text="Alle tall, tabeller og figurer i kapitlet regnes ut fra datapakken når notatboka "
        "kjøres. Koden er samlet her for den som vil kontrollere eller gjenbruke den."
    )
    section += nodes.raw("", details_html(sources, source.name), format="html")
    top = next((n for n in doctree.children if isinstance(n, nodes.section)), doctree)
    top += section


def _copy_notebooks(app: Sphinx, exception: Exception | None) -> None:
    """Each chapter's notebook next to its page, where the download link points."""
    if exception is not None or app.builder.format != "html":
        return
    import shutil

    source = Path(app.srcdir)
    for docname in app.env.found_docs:
        path = Path(app.env.doc2path(docname))
        if path.suffix == ".ipynb":
            target = Path(app.outdir) / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-read", _append)
    app.connect("build-finished", _copy_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
