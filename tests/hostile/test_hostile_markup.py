"""Nothing from data, front matter or the command line becomes markup in the book.

Two answers, both tested: the data package refuses markup in every text field (`sirkbok
validate`, so also every notebook's `data.load` and `sirkbok build`), `new-chapter` and `check`
refuse it in titles and authors; and every generator and notebook escapes the text it puts into
Markdown (`sirkbok.core.format.text`), so what slips through still reads as text.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import state
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.myst_role import myst_role_plugin
from sirkbok import cli
from sirkbok.core.format import markup, text, url

BIN = Path(sys.executable).parent
HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "{cite}`evil`",
    "**bold**",
    "[lenke](javascript:alert(1))",
    "&lt;b&gt;",
    "_uthevet_",
    "tekst\\*",
]


def myst() -> MarkdownIt:
    """Markdown as the book parses it: CommonMark, tables and MyST roles."""
    return MarkdownIt("commonmark").use(myst_role_plugin).enable("table")


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[str] = []
        self.data: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]

    def handle_data(self, data: str) -> None:
        self.data.append(data)


def rendered(markdown: str) -> Elements:
    parser = Elements()
    parser.feed(myst().render(markdown))
    return parser


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60))
def test_escaped_text_renders_as_exactly_that_text(value: str) -> None:
    page = rendered(f"Før {text(value)} etter")
    assert page.tags == ["p"] and page.attributes == []
    shown = "".join(page.data).strip()
    assert shown == f"Før {' '.join(value.splitlines())} etter".strip()


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_text_in_a_table_cell_and_a_list_stays_text(value: str) -> None:
    page = rendered(f"| A | B |\n|---|---|\n| {text(value)} | x |\n\n- {text(value)}\n")
    assert set(page.tags) <= {"table", "thead", "tbody", "tr", "th", "td", "ul", "li"}
    assert page.attributes == []
    assert value in "".join(page.data)
    assert markup(value) is not None  # and the validator would have refused it anyway


def test_links_come_only_from_http_addresses() -> None:
    assert url("javascript:alert(1)") is None
    assert url("data:text/html,<script>") is None
    assert url("//evil.example") is None
    assert url("https://ssb.no/a b)(<x>\"'") == "https://ssb.no/a%20b%29%28%3Cx%3E%22%27"
    assert url("https://www.ssb.no/statbank/table/07459?x=1&y=2") == (
        "https://www.ssb.no/statbank/table/07459?x=1&y=2"
    )


def edit_csv(path: Path, key: str, column: str, value: str) -> int:
    """Set one cell (row with first cell `key`); returns its spreadsheet line."""
    rows = list(csv.reader(path.open(encoding="utf-8")))
    line = next(i for i, row in enumerate(rows, start=1) if row[0] == key)
    rows[line - 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), "utf-8")
    return line


DATA_CASES = [
    ("kilder.csv", "sak0926", "tittel", "<img src=x onerror=alert(1)>"),
    ("kilder.csv", "sak0926", "tittel", "{cite}`evil`"),
    ("kilder.csv", "sak0926", "tittel", "**bold**"),
    ("kommuner.csv", "3310", "merknad", "<script>alert(1)</script>"),
    ("aktorer.csv", "hra", "beskrivelse", "[klikk](https://evil.example)"),
    ("regioner.csv", "hadelandsregionen", "navn", "Hadeland &#60;b&#62;"),
]


@pytest.mark.parametrize(("table", "key", "column", "value"), DATA_CASES)
def test_markup_in_data_is_refused_naming_file_line_and_column(
    table: str, key: str, column: str, value: str, book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = edit_csv(book / "data" / table, key, column, value)
    before = state(book)
    assert cli.main(["validate"]) == 1
    err = capsys.readouterr().err
    assert (
        f"feil: data/{table}, linje {line}, kolonne «{column}»: Teksten inneholder markering"
    ) in err, err
    assert state(book) == before


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--author", "<img src=x onerror=alert(1)>"),
        ("--author", "**Kari**"),
        ("--title", "Ombruk {cite}`evil`"),
        ("--title", "Ombruk <b>fet</b>"),
    ],
)
def test_new_chapter_refuses_markup_in_title_and_author(
    option: str, value: str, book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = {"--title": "Et trygt kapittel", "--author": "Kari Nordmann"}
    args[option] = value
    before = state(book)
    code = cli.main(
        ["new-chapter", "--region", "hadelandsregionen", "--theme", "tekstiler"]
        + [part for pair in args.items() for part in pair]
    )
    err = capsys.readouterr().err
    assert code == 1
    who = "Tittelen" if option == "--title" else "Forfatteren"
    assert f"feil: {who} inneholder markering (HTML, MyST eller Markdown)." in err, err
    assert state(book) == before


HOSTILE_CHAPTER = """\
---
title: "Et kapittel med **fet** {cite}`evil`"
region: hadelandsregionen
theme: tekstiler
authors:
  - "<img src=x onerror=alert(1)>"
  - "<script>alert(2)</script>"
date: 2026-05-04
status: utkast
---

# Et kapittel med **fet** {cite}`evil`

Tekst.
"""


def test_check_reports_markup_in_front_matter(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chapter = book / "chapters/regioner/hadelandsregionen/fiendtlig.md"
    chapter.write_text(HOSTILE_CHAPTER, "utf-8")
    name = "chapters/regioner/hadelandsregionen/fiendtlig.md"
    assert cli.main(["check", "--skip-figures"]) == 1
    err = capsys.readouterr().err
    assert f"feil: {name}, linje 2: Tittelen inneholder markering" in err, err
    assert f"feil: {name}, linje 5: Forfatteren inneholder markering" in err, err


@pytest.mark.slow
def test_the_built_book_has_no_element_or_handler_from_contributed_text(book: Path) -> None:
    """A hostile chapter's front matter reaches the generated region page only as text."""
    chapter = book / "chapters/regioner/hadelandsregionen/fiendtlig.md"
    chapter.write_text(HOSTILE_CHAPTER, "utf-8")
    toc = book / "_toc.yml"
    toc.write_text(
        toc.read_text("utf-8").replace(
            "      - file: chapters/regioner/hadelandsregionen/index\n",
            "      - file: chapters/regioner/hadelandsregionen/index\n"
            "        sections:\n"
            "          - file: chapters/regioner/hadelandsregionen/fiendtlig\n",
        ),
        "utf-8",
    )
    env = {"SIRKBOK_ROOT": str(book), "PATH": f"{BIN}:/usr/bin:/bin"}
    regions = subprocess.run(
        [str(BIN / "sirkbok"), "regions"], cwd=book, env=env, text=True, capture_output=True
    )
    assert regions.returncode == 0, regions.stderr
    build = subprocess.run(
        [str(BIN / "jupyter-book"), "build", str(book), "--all"],
        cwd=book,
        env=env,
        text=True,
        capture_output=True,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    page = book / "_build/html/chapters/regioner/hadelandsregionen/index.html"
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    main = soup.find("main") or soup
    assert not main.find_all("img", src="x")
    assert not any(tag.get("onerror") for tag in soup.find_all(True))
    assert not [s for s in soup.find_all("script") if "alert" in (s.string or "")]
    listing = main.get_text()
    assert "<img src=x onerror=alert(1)>" in listing  # shown as the text it is
    assert "<script>alert(2)</script>" in listing
    assert "**fet**" in listing  # no emphasis either
    for html_file in (book / "_build/html").rglob("*.html"):
        body = html_file.read_text("utf-8")
        assert "onerror=alert" not in body.replace("onerror=alert(1)&gt;", ""), html_file
        assert "<script>alert" not in body, html_file


def test_the_data_packages_version_is_a_version_number(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The descriptor's `version` became {{ dataversjon }} on «Slik siterer du», as Markdown in a
    maintainers' page where HTML is allowed: an `<img onerror>` there ran for every reader. Now the
    profile allows a version number only (and the page escapes it as text besides)."""
    import json

    descriptor = book / "data/datapackage.json"
    package = json.loads(descriptor.read_text("utf-8"))
    package["version"] = "1.0 <img src=x onerror=alert(1)>"
    descriptor.write_text(json.dumps(package, ensure_ascii=False, indent=2), "utf-8")
    before = state(book)
    assert cli.main(["validate"]) == 1
    assert "feil: data/datapackage.json: I «version»: Verdien har feil form." in (
        capsys.readouterr().err
    )
    page = "chapters/slik-siterer-du"
    (book / "_toc.yml").write_text(
        f"format: jb-book\nroot: chapters/forside\nchapters:\n  - file: {page}\n", "utf-8"
    )
    env = {"SIRKBOK_ROOT": str(book), "PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(book.parent)}
    build = subprocess.run(  # a plain build reads the descriptor through its profile too
        [str(BIN / "jupyter-book"), "build", str(book)], env=env, text=True, capture_output=True
    )
    assert build.returncode != 0
    assert "I «version»: Verdien har feil form." in build.stdout + build.stderr
    assert not (book / f"_build/html/{page}.html").exists()
    assert state(book)[1]["data/datapackage.json"] == before[1]["data/datapackage.json"]
