"""`sirkbok build` costs what changed: a no-op skips Sphinx, an edit rebuilds incrementally, yet every
edit reaches the site and the result equals a full build. Real builds of a copy of the book (no mocks);
nothing here is timed."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from conftest import copy_repo, sirkbok

pytestmark = pytest.mark.slow

SKIPPED = "Sphinx ble ikke kjørt"
INCREMENTAL = "Bygger bare det som er endret"
FULL = "Full bygging"


def build(root: Path, *args: str) -> str:
    result = sirkbok("build", "--skip-regenerate", *args, root=root)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    return output


def pages(site: Path) -> dict[str, str]:
    """Hashes of every HTML page of the site."""
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*.html"))
    }


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the book, built once in full."""
    root = copy_repo(tmp_path_factory.mktemp("inkrementell") / "bok")
    assert FULL in build(root)
    return root


def test_nothing_changed_skips_sphinx_and_keeps_the_site(book: Path) -> None:
    site = book / "_build" / "html"
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}
    assert SKIPPED in build(book)
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*.html")} == before


def test_every_kind_of_edit_reaches_the_site_and_equals_a_full_build(book: Path) -> None:
    site = book / "_build" / "html"
    other = site / "chapters" / "bidra.html"  # neither edited nor the toctree's parent (forside)
    other_written = other.stat().st_mtime_ns

    # Markdown text, a notebook's text, a figure file and a data download at once.
    append(
        book / "chapters" / "ordliste.md", "\nEn ny setning fra testen av inkrementell bygging.\n"
    )
    notebook_path = book / "chapters" / "strategi" / "regionene.ipynb"
    notebook = json.loads(notebook_path.read_text(encoding="utf-8"))
    first = notebook["cells"][0]
    first["source"] = "".join(first["source"]) + "\n\nEn setning lagt inn i notatboka av testen."
    notebook_path.write_text(json.dumps(notebook, ensure_ascii=False, indent=1), encoding="utf-8")
    figure = sorted((book / "chapters" / "tema" / "figurer").glob("*.csv"))[0]
    append(figure, "testrad,1\n")
    # statistikk, not milepaeler: the milestones also give every page a substitution (the joint
    # meeting's wording), and a changed substitution rightly rewrites every page.
    download = book / "data" / "statistikk.csv"
    download.write_text(
        download.read_text("utf-8").replace(
            "Husholdningsavfall,Norge,2021,2336,", "Husholdningsavfall,Norge,2021,2337,"
        ),
        encoding="utf-8",
    )
    # The chart bundle in the site is damaged: the next build must put it right.
    bundle = site / "_static" / "sirkbok-vega.js"
    bundle.write_text("// ødelagt", encoding="utf-8")

    output = build(book)
    assert INCREMENTAL in output, output[-2000:]
    assert "En ny setning fra testen" in (site / "chapters" / "ordliste.html").read_text("utf-8")
    regionene = (site / "chapters" / "strategi" / "regionene.html").read_text("utf-8")
    assert "En setning lagt inn i notatboka av testen." in regionene
    copied = site / figure.relative_to(book)
    assert copied.read_bytes() == figure.read_bytes()
    assert (site / "data" / "statistikk.csv").read_bytes() == download.read_bytes()
    assert bundle.stat().st_size > 100_000  # the whole chart library again
    assert "ødelagt" not in bundle.read_text("utf-8")
    # A text edit changes no title or link target: the other pages were not rewritten.
    assert other.stat().st_mtime_ns == other_written

    # A new title must reach every page's menu.
    ordliste = book / "chapters" / "ordliste.md"
    ordliste.write_text(
        ordliste.read_text("utf-8").replace("# Ordliste\n", "# Ordliste og forkortelser\n", 1),
        encoding="utf-8",
    )
    assert INCREMENTAL in build(book)
    assert "Ordliste og forkortelser" in other.read_text("utf-8")

    # The incremental result is the full build's result, page for page.
    incremental = pages(site)
    assert FULL in build(book, "--all")
    assert pages(site) == incremental


def test_a_changed_static_file_or_source_reaches_the_site_and_equals_a_full_build(
    book: Path,
) -> None:
    """Two edits built one after the other, then compared once with a full build (one full build
    for both, to keep the suite fast):

    1. A stylesheet of the book and a script the extension ships (its package file changed: the
       record remembers another hash and the site holds an old copy) reach the site without any
       page being re-read, and every page names them with the new checksum (`?v=`).
    2. The list of sources reuses the last build's formatted references only while they are
       unchanged: a source's new title reaches the page.
    """
    site = book / "_build" / "html"
    build(book)
    append(
        book / "_static" / "sirkbok.css", "\n/* testregel */ .sirk-testregel { color: #123456; }\n"
    )
    record_path = book / "_build" / "sirkbok-build.json"
    record = json.loads(record_path.read_text(encoding="utf-8"))
    key = next(k for k in record["files"] if k.endswith("/book/static/sirkbok-charts.js"))
    record["files"][key] = "0" * 64
    record_path.write_text(json.dumps(record), encoding="utf-8")
    loader = site / "_static" / "sirkbok-charts.js"
    loader.write_text("// gammel versjon av lasteren", encoding="utf-8")
    biogass = site / "chapters" / "tema" / "biogass.html"
    names_before = re.findall(
        r"(?:sirkbok\.css|sirkbok-charts\.js)\?v=\w+", biogass.read_text("utf-8")
    )

    output = build(book)
    assert INCREMENTAL in output, output[-2000:]
    assert "0 added, 0 changed, 0 removed" in output  # no page was re-read
    assert ".sirk-testregel" in (site / "_static" / "sirkbok.css").read_text("utf-8")
    assert "gammel versjon" not in loader.read_text("utf-8") and loader.stat().st_size > 1000
    names_after = re.findall(
        r"(?:sirkbok\.css|sirkbok-charts\.js)\?v=\w+", biogass.read_text("utf-8")
    )
    assert len(names_after) == 2 and names_after != names_before

    sources = book / "data" / "kilder.csv"
    text = sources.read_text(encoding="utf-8")
    old_title = "Samarbeid om sirkulær verdiskapning. Saksframlegg, sak 09/26"
    assert old_title in text
    sources.write_text(text.replace(old_title, old_title + " (testtittel)", 1), encoding="utf-8")
    assert INCREMENTAL in build(book)
    assert "(testtittel)" in (site / "chapters" / "kilder.html").read_text(encoding="utf-8")

    incremental = pages(site)
    assert FULL in build(book, "--all")
    assert pages(site) == incremental


def test_a_warning_is_never_lost_by_skipping_or_building_incrementally(book: Path) -> None:
    page = book / "chapters" / "tilgjengelighet.md"
    original = page.read_text(encoding="utf-8")
    append(page, "\nSe {ref}`en-etikett-som-ikke-finnes`.\n")
    for attempt in range(2):  # the second run changes nothing, and must fail the same way
        result = sirkbok("build", "--skip-regenerate", root=book)
        output = result.stdout + result.stderr
        assert result.returncode != 0
        assert "en-etikett-som-ikke-finnes" in output
        assert SKIPPED not in output
        assert (FULL if attempt else INCREMENTAL) in output
    page.write_text(original, encoding="utf-8")
    assert FULL in build(book)
    assert SKIPPED in build(book)
