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
    pages = sorted(built_book.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        head = page.read_text(encoding="utf-8")[:2000]
        if "http-equiv=\"Refresh\"" in head or 'http-equiv="refresh"' in head:
            continue  # the index.html redirect
        assert '<html lang="nb-NO"' in head, f"{page.name} mangler lang=nb-NO"


EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//(?!127\.0\.0\.1)([^/"']+)""")


def test_no_page_loads_from_another_host(built_book: Path) -> None:
    """Scripts, styles, images and fonts are all served by the book itself (links may point out)."""
    for page in sorted(built_book.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|img|iframe|source|link[^>]*stylesheet)[^>]*>", text):
            if 'rel="stylesheet"' in tag or tag.startswith(("<script", "<img", "<iframe", "<source")):
                assert not EXTERNAL.search(tag), f"{page.name} henter fra annen vert: {tag}"
    for css in built_book.rglob("*.css"):
        assert "fonts.googleapis" not in css.read_text(encoding="utf-8", errors="replace")


def test_search_is_norwegian(built_book: Path) -> None:
    page = (built_book / "chapters" / "forside.html").read_text(encoding="utf-8")
    assert "Søk i boka" in page
    assert "Search this book" not in page
    assert "language_data.js" in page or (built_book / "searchindex.js").exists()


def test_generated_bibliography_matches_the_sources_table(repo_root: Path) -> None:
    """references.bib is generated from data/kilder.csv by `sirkbok build`; the committed copy agrees."""
    from sirkbok import sources

    committed = (repo_root / "references.bib").read_text(encoding="utf-8")
    assert committed == sources.bibtex(), "references.bib er utdatert: kjør «make book»"
