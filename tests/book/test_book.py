"""The foundation: the book builds strictly, every toc entry becomes a Norwegian page, nothing external."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.slow


def toc_files(root: Path) -> list[str]:
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            for key in ("parts", "chapters", "sections"):
                walk(entry.get(key, []))

    walk(toc.get("parts", []) + toc.get("chapters", []))
    return files


def test_every_toc_entry_exists_and_becomes_a_page(repo_root: Path, built_book: Path) -> None:
    for entry in toc_files(repo_root):
        sources = [repo_root / f"{entry}{suffix}" for suffix in (".md", ".ipynb")]
        assert any(s.is_file() for s in sources), f"{entry} i _toc.yml finnes ikke"
        assert (built_book / f"{entry}.html").is_file(), f"{entry} ble ikke en side"


def test_pages_are_norwegian(built_book: Path) -> None:
    pages = sorted(p for p in built_book.rglob("*.html") if "_static" not in p.parts)
    assert len(pages) > 5
    for page in pages:
        head = page.read_text(encoding="utf-8")[:2000]
        if 'http-equiv="Refresh"' in head or 'http-equiv="refresh"' in head:
            continue  # the index.html redirect
        assert '<html lang="nb-NO"' in head, f"{page.name} mangler lang=nb-NO"


EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//(?!127\.0\.0\.1)([^/"']+)""")


def test_no_page_loads_from_another_host(built_book: Path) -> None:
    """Scripts, styles, images and fonts are all served by the book itself (links may point out)."""
    for page in sorted(built_book.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|img|iframe|source|link[^>]*stylesheet)[^>]*>", text):
            if 'rel="stylesheet"' in tag or tag.startswith(
                ("<script", "<img", "<iframe", "<source")
            ):
                assert not EXTERNAL.search(tag), f"{page.name} henter fra annen vert: {tag}"
    for css in built_book.rglob("*.css"):
        assert "fonts.googleapis" not in css.read_text(encoding="utf-8", errors="replace")


def test_search_is_norwegian(built_book: Path) -> None:
    page = (built_book / "chapters" / "forside.html").read_text(encoding="utf-8")
    assert "Søk i boka" in page
    assert "Search this book" not in page
    for english, norwegian in (
        ("Download this page", "Last ned denne siden"),
        ("Print to PDF", "Skriv ut til PDF"),
    ):
        assert english not in page and norwegian in page
    assert "language_data.js" in page or (built_book / "searchindex.js").exists()


def test_generated_bibliography_matches_the_sources_table(repo_root: Path) -> None:
    """references.bib is generated from data/kilder.csv by `sirkbok build`; the committed copy agrees."""
    from sirkbok.book import bibtex

    committed = (repo_root / "references.bib").read_text(encoding="utf-8")
    assert committed == bibtex.bibtex(), "references.bib er utdatert: kjør «make book»"


def test_strategy_figures_follow_the_data(repo_copy: Path) -> None:
    """Changing a date in data/milepaeler.csv and rebuilding changes the timeline figure."""
    from conftest import sirkbok

    table = repo_copy / "data" / "milepaeler.csv"
    table.write_text(
        table.read_text(encoding="utf-8").replace(
            "fellesmote-follum-2026,2026-04-29", "fellesmote-follum-2026,2026-05-06"
        ),
        encoding="utf-8",
    )
    stale = sirkbok("regenerate", "--check", root=repo_copy)
    assert stale.returncode == 1
    assert "chapters/strategi/tidslinje.ipynb" in stale.stderr
    assert "data/milepaeler.csv" in stale.stderr

    result = sirkbok("regenerate", "--only", "tidslinje", root=repo_copy)
    assert result.returncode == 0, result.stderr
    spec = (repo_copy / "chapters/strategi/figurer/strategi-tidslinje.vl.json").read_text("utf-8")
    assert "6. mai 2026" in spec and "29. april 2026" not in spec  # dates as readers read them


def test_a_failing_notebook_stops_the_book_and_is_named(repo_copy: Path) -> None:
    import nbformat
    from conftest import sirkbok

    path = repo_copy / "chapters/strategi/tidslinje.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell('raise RuntimeError("testfeil i tidslinja")'))
    notebook.cells[-1].id = "cell-feil"
    nbformat.write(notebook, path)

    result = sirkbok("build", root=repo_copy)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "chapters/strategi/tidslinje.ipynb" in output
    assert f"celle {len(notebook.cells)}" in output.lower()
    assert "testfeil i tidslinja" in output
    assert not (repo_copy / "_build" / "html").exists()


def test_pages_ask_only_for_what_they_use(built_book: Path) -> None:
    """No icon-font script or search index on content pages; charts get only the small loader."""
    for page in sorted((built_book / "chapters").rglob("*.html")):
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        for heavy in ("fontawesome.js", "searchindex.js", "searchtools.js", "sirkbok-vega.js"):
            # named only in the loader's data-bundle (fetched when a chart nears the screen)
            assert f"/{heavy}" not in head, f"{page.name} laster {heavy}"
        assert head.count("sirkbok-a11y.js") == 1 and head.count("THEBE_JS_URL") == 0, page.name
        assert 'rel="icon"' in head, f"{page.name} mangler nettstedsikon"
        charts = 'class="sirk-chart"' in page.read_text(encoding="utf-8")
        assert ("sirkbok-charts.js" in head) == charts, page.name
    search = (built_book / "search.html").read_text(encoding="utf-8")
    assert "searchindex.js" in search
