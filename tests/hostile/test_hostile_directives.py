"""Nothing outside the repository reaches the site or the PDF through the chapters' markup.

The rule (`sirkbok.book.containment`): a region chapter reads no file and holds no raw HTML; a
maintainers' chapter reads files inside the repository only; no chapter links to `javascript:`,
`vbscript:`, `data:` or `file:`. `sirkbok check` reports each breach with file and line, a plain
`jupyter-book build` stops on it with the same message (`sirkbok.book.guard`), and the PDF printer
loads nothing outside its own build folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SECRET, leaks, state
from hypothesis import given, settings
from hypothesis import strategies as st
from sirkbok import cli
from sirkbok.book import containment

BIN = Path(sys.executable).parent
REGION = "chapters/regioner/hadelandsregionen/fiendtlig.md"
THEME = "chapters/tema/fiendtlig.md"
FRONT = """---
title: Et fiendtlig kapittel
region: hadelandsregionen
theme: tekstiler
authors:
  - Kari Nordmann
date: 2026-05-04
status: utkast
---
"""


def plant(book: Path, name: str, body: str) -> Path:
    path = book / name
    path.write_text(body, encoding="utf-8")
    return path


def up(book: Path, name: str, target: Path) -> str:
    """`target` as a relative path from the chapter `name`'s folder."""
    return os.path.relpath(target, (book / name).parent)


def region_chapter(book: Path, secret: Path) -> str:
    """Lines 11-: each a file-reading directive, raw HTML or a forbidden link (line in comment)."""
    return FRONT + (
        "# Et fiendtlig kapittel\n"  # 10
        "\n"
        f"```{{literalinclude}} {up(book, REGION, secret)}\n"  # 12
        "```\n"
        "\n"
        f"```{{include}} {secret}\n"  # 15
        "```\n"
        "\n"
        "```{raw} html\n"  # 18
        f":file: {secret}\n"
        "```\n"
        "\n"
        "```{csv-table}\n"  # 22
        f":file: {up(book, REGION, secret)}\n"
        "```\n"
        "\n"
        "<script>alert(1)</script>\n"  # 26
        "\n"
        f'Se <iframe src="file://{secret}"></iframe> og '  # 28
        '<a href="javascript:alert(2)">denne</a>.\n'
        "\n"
        "En [lenke](javascript:alert(3)).\n"  # 30
        "\n"
        "```{literalinclude} ../../../references.bib\n"  # 32: inside, but still no file reading
        "```\n"
        "\n"
        "<!-- en kommentar er lov -->\n"
    )


def theme_chapter(book: Path, secret: Path) -> str:
    """A maintainers' chapter: files outside are refused, a file inside is fine (line in comment)."""
    return (
        "# Fiendtlig\n"
        "\n"
        f"```{{literalinclude}} {up(book, THEME, secret)}\n"  # 3
        "```\n"
        "\n"
        f"```{{include}} /{secret}\n"  # 6: Sphinx reads «//x» as /x
        "```\n"
        "\n"
        "```{raw} html\n"  # 9
        f":file: {secret}\n"
        "```\n"
        "\n"
        "```{csv-table}\n"  # 13
        f":file: {up(book, THEME, secret)}\n"
        "```\n"
        "\n"
        f"Last ned {{download}}`denne <{up(book, THEME, secret)}>` eller "  # 17
        "[klikk](javascript:alert(1)).\n"
        "\n"
        "```{raw} html\n"  # 19
        f":url: file://{secret}\n"
        "```\n"
        "\n"
        "```{literalinclude} ../../references.bib\n"  # 23: inside the repository, allowed
        ":lines: 1-3\n"
        "```\n"
        "\n"
        '<p class="sirk-lov">Rå HTML er lov i redaksjonens kapitler.</p>\n'
    )


REGION_LINES = {
    12: "«{literalinclude}» er ikke tillatt her",
    15: "«{include}» er ikke tillatt her",
    18: "«{raw}» er ikke tillatt her",
    22: "«{csv-table}» er ikke tillatt her",
    26: "kan ikke inneholde HTML-kode",
    28: "kan ikke inneholde HTML-kode",
    30: "Lenken har en adresse som ikke er tillatt",
    32: "«{literalinclude}» er ikke tillatt her",
}
OUTSIDE = "peker til en fil utenfor repositoriet eller gjennom en symbolsk lenke"
THEME_LINES = {
    3: f"«{{literalinclude}}» {OUTSIDE}",
    6: f"«{{include}}» {OUTSIDE}",
    9: f"«{{raw}}» {OUTSIDE}",
    13: f"«{{csv-table}}» {OUTSIDE}",
    17: "Lenken har en adresse som ikke er tillatt",
    19: "«{raw}» henter innhold fra en adresse",
}


SETTINGS = "chapters/regioner/hadelandsregionen/innstillinger.md"
# MyST and MyST-NB read these front matter keys as settings for the file: <meta> tags (a redirect),
# other extensions, substitutions, and a kernel that runs the file as a notebook.
SETTINGS_CHAPTER = (
    FRONT.replace(
        "status: utkast\n",
        "status: utkast\n"  # 8
        "myst:\n"  # 9
        "  html_meta:\n"
        '    "http-equiv=refresh": "0; url=https://evil.example"\n'
        "mystnb:\n"  # 12
        "  execution_mode: force\n"
        "kernelspec:\n"  # 14
        "  name: python3\n",
    )
    + "# Innstillinger\n"
)
SETTINGS_LINES = {9: "«myst» er ikke tillatt", 12: "«mystnb» er ikke tillatt", 14: "«kernelspec»"}


def reported(err: str, name: str, lines: dict[int, str]) -> None:
    for line, message in lines.items():
        assert any(
            f"{name}, linje {line}: " in row and message in row for row in err.splitlines()
        ), f"linje {line}: {message}\n{err}"


def test_check_refuses_file_reading_and_html_in_a_region_chapter_and_files_outside_anywhere(
    book: Path, outside_secret: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plant(book, REGION, region_chapter(book, outside_secret))
    plant(book, THEME, theme_chapter(book, outside_secret))
    plant(book, SETTINGS, SETTINGS_CHAPTER)
    before = state(book)
    assert cli.main(["check", "--skip-figures"]) == 1
    err = capsys.readouterr().err
    reported(err, REGION, REGION_LINES)
    reported(err, SETTINGS, SETTINGS_LINES)
    reported(err, THEME, THEME_LINES)
    assert f"{REGION}, linje 35" not in err  # an HTML comment is no HTML to refuse
    assert f"{THEME}, linje 23" not in err  # a file inside the repository may be included…
    assert f"{THEME}, linje 27" not in err  # …and a maintainer may write HTML
    assert state(book) == before


PIECES = st.sampled_from(
    [
        "---\n",
        "myst: {x: 1}\n",
        "date: 2026-13-01\n",
        "```{include} ",
        "```\n",
        ":::{note}\n",
        ":::\n",
        ":file: /etc/passwd\n",
        "<b>",
        "<!--",
        "-->",
        "[a](",
        ")",
        "{download}`x <",
        ">`",
        "\n",
        "x",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=30))
def test_any_text_gets_an_answer_and_never_a_crash(parts: list[str]) -> None:
    text = "".join(parts)
    root = Path("/bok")
    for name in (REGION, THEME):
        for problem in containment.problems(root, root / name, name, text):
            assert problem.file == name and (problem.line or 0) >= 1


def only(book: Path, chapter: str) -> None:
    """A table of contents with the front page and `chapter` only (a build of seconds)."""
    toc = f"format: jb-book\nroot: chapters/forside\nchapters:\n  - file: {chapter}\n"
    (book / "_toc.yml").write_text(toc, "utf-8")


def build(book: Path) -> subprocess.CompletedProcess[str]:
    """A plain `jupyter-book build` (no -W): our extension alone must stop what may not be
    published."""
    env = {"SIRKBOK_ROOT": str(book), "PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(book.parent)}
    return subprocess.run(
        [str(BIN / "jupyter-book"), "build", str(book)],
        cwd=book,
        env=env,
        text=True,
        capture_output=True,
    )


@pytest.mark.slow
def test_build_stops_on_files_from_outside_and_html_in_region_chapters(
    book: Path, outside_secret: Path
) -> None:
    plant(book, REGION, region_chapter(book, outside_secret))
    plant(book, THEME, theme_chapter(book, outside_secret))
    for chapter, lines in ((THEME, THEME_LINES), (REGION, REGION_LINES)):
        only(book, chapter)
        before = state(book)
        result = build(book)
        assert result.returncode != 0, result.stdout[-2000:]
        output = result.stdout + result.stderr
        reported(output, chapter, lines)
        assert "Boka ble ikke bygget" in output
        assert leaks(book / "_build") == [], chapter
        assert state(book) == before


HIDDEN = {
    # A draft the chapter includes (no page, so the build's scan of each page before parsing never
    # sees it): its directive is refused where it runs.
    "chapters/tema/_inkludert.md": "Tekst.\n\n```{{literalinclude}} {secret}\n```\n",
    # rST inside MyST: the same directives, and a picture and a download of the secret.
    "eval-rst raw": "```{{eval-rst}}\n.. raw:: html\n   :file: {secret}\n```\n",
    "eval-rst image": "```{{eval-rst}}\n.. image:: {secret}\n```\n",
    "eval-rst download": "```{{eval-rst}}\n:download:`x <{secret}>`\n```\n",
    # rST's include as literal text or code reads the file without an `include-read` event.
    "eval-rst literal include": "```{{eval-rst}}\n.. include:: {secret}\n   :literal:\n```\n",
    "eval-rst code include": "```{{eval-rst}}\n.. include:: {secret}\n   :code: text\n```\n",
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(HIDDEN))
def test_build_refuses_a_file_from_outside_however_it_is_reached(
    case: str, book: Path, outside_secret: Path
) -> None:
    secret = up(book, THEME, outside_secret)
    if case.startswith("chapters/"):
        plant(book, case, HIDDEN[case].format(secret=secret))
        plant(book, THEME, "# Fiendtlig\n\n```{include} _inkludert.md\n```\n")
    else:
        plant(book, THEME, "# Fiendtlig\n\n" + HIDDEN[case].format(secret=secret))
    only(book, THEME)
    before = state(book)
    result = build(book)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-2000:]
    assert f"{THEME}, linje " in output and OUTSIDE in output, output[-3000:]
    assert leaks(book / "_build") == []
    assert state(book) == before


@pytest.mark.slow
def test_a_link_to_javascript_in_rst_becomes_text(book: Path) -> None:
    plant(book, THEME, "# Fiendtlig\n\n```{eval-rst}\n`klikk <javascript:alert(1)>`_\n```\n")
    only(book, THEME)
    result = build(book)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    page = (book / "_build/html/chapters/tema/fiendtlig.html").read_text("utf-8")
    assert "klikk" in page and "javascript:" not in page


@pytest.mark.browser
def test_pdf_printer_loads_no_file_outside_its_build_folder(
    book: Path, outside_secret: Path
) -> None:
    """A hostile page planted in the one-page build: an iframe, an object and an image of the
    secret, and a link in the build folder that leads to it, print as empty boxes; a file of the
    build folder still prints."""
    from pypdf import PdfReader
    from sirkbok.book import pdf

    if not pdf.CHROMIUM.is_file():
        pytest.skip("Debians chromium er ikke installert")
    folder = pdf.output_dir(book) / "singlehtml-bygg" / "_build" / "singlehtml"
    (folder / "chapters").mkdir(parents=True)
    (folder / "lov.txt").write_text("LOVLIG-INNHOLD\n", "utf-8")
    (folder / "lenke.txt").symlink_to(outside_secret)
    secret = outside_secret.as_uri()
    page = folder / "chapters" / "forside.html"
    page.write_text(
        '<html><body><article class="bd-article"><section id="s"><h1>Forside</h1>'
        '<iframe src="../lov.txt" width="600" height="100"></iframe>'
        f'<iframe src="{secret}" width="600" height="100"></iframe>'
        '<iframe src="../lenke.txt" width="600" height="100"></iframe>'
        f'<object data="{secret}" width="600" height="100"></object>'
        f'<embed src="{secret}" width="600" height="100">'
        f'<img src="{secret}" alt="x">'
        "</section></article></body></html>",
        "utf-8",
    )
    before = state(book)
    printed, _ = pdf._print(page, pdf.front_matter(book), folder)
    pdf.pdf_path(book).write_bytes(printed)
    text = "".join(p.extract_text() or "" for p in PdfReader(pdf.pdf_path(book)).pages)
    assert "LOVLIG-INNHOLD" in text  # the build folder's own files load
    assert SECRET not in text
    assert leaks(book / "_build") == []
    assert state(book) == before


# A substitution (`{{ … }}`) is a name, never an expression: MyST renders what stands between the
# braces with an unsandboxed Jinja that reaches Sphinx's environment, so an expression in a region
# chapter ran a command during the build and published its output.
NOT_A_NAME = "En erstatning («{{ … }}») kan bare være navnet på en verdi boka setter"


def expression(secret: Path, witness: Path) -> str:
    """A substitution that runs a command: prints the secret and the token, leaves a witness."""
    command = f"cat {secret}; echo $GITHUB_TOKEN; touch {witness}"
    return f"{{{{ cycler.__init__.__globals__.os.popen('{command}').read() }}}}"


def test_check_refuses_an_expression_in_a_substitution_in_every_chapter(
    book: Path, outside_secret: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    witness = book.parent / "kjort"
    code = expression(outside_secret, witness)
    plant(book, REGION, FRONT + f"# Fiendtlig\n\nTekst {code} her.\n\n{{{{ env.config }}}}\n")
    plant(book, THEME, f"# Fiendtlig\n\n- Av {{{{ forfatter }}}} og {code}\n")
    before = state(book)
    assert cli.main(["check", "--skip-figures"]) == 1
    err = capsys.readouterr().err
    reported(err, REGION, {12: NOT_A_NAME, 14: NOT_A_NAME})
    reported(err, THEME, {3: NOT_A_NAME})
    assert "Fant: «{{ forfatter }}»" not in err  # a plain name is what substitutions are for
    assert not witness.exists()
    assert state(book) == before


@pytest.mark.slow
def test_build_refuses_an_expression_where_check_does_not_look(
    book: Path, outside_secret: Path
) -> None:
    """A glossary's text is not scanned by `check`, but MyST renders it: the build stops there,
    before the expression runs, with the caller's token in its environment."""
    witness = book.parent / "kjort"
    glossary = f"```{{glossary}}\nOrd\n  Forklaring {expression(outside_secret, witness)}\n```\n"
    plant(book, REGION, FRONT + "# Fiendtlig\n\n" + glossary)
    only(book, REGION)
    before = state(book)
    env = {"SIRKBOK_ROOT": str(book), "PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(book.parent)}
    result = subprocess.run(
        [str(BIN / "jupyter-book"), "build", str(book)],
        cwd=book,
        env={**env, "GITHUB_TOKEN": f"ghp_{SECRET}"},
        text=True,
        capture_output=True,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-2000:]
    reported(output, REGION, {15: NOT_A_NAME})
    assert not witness.exists()
    assert leaks(book / "_build") == []
    assert state(book) == before


@pytest.mark.slow
def test_a_formula_gets_mathjaxs_filter_for_links_and_styles(book: Path) -> None:
    """`{math}` is allowed in a region chapter, and MathJax makes a live link of `\\href`: the pages
    load MathJax's own filter (ui/safe), which lets only http(s) addresses through."""
    formula = r"{math}`\href{javascript:alert(1)}{x} \style{position:fixed}{y}`"
    plant(book, REGION, FRONT + f"# Fiendtlig\n\nEn formel {formula}.\n")
    only(book, REGION)
    result = build(book)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    page = (book / "_build/html" / REGION.replace(".md", ".html")).read_text("utf-8")
    config = json.loads(page.split("window.MathJax = ", 1)[1].split("</script>", 1)[0])
    assert config["loader"]["load"] == ["ui/safe"]
    safe = config["options"]["safeOptions"]
    assert safe["allow"] == dict.fromkeys(("URLs", "classes", "cssIDs", "styles"), "safe")
    assert {k for k, v in safe["safeProtocols"].items() if v} == {"http", "https"}


def test_check_reads_directive_names_as_docutils_does_and_refuses_a_toctree(
    book: Path, outside_secret: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """docutils looks names up in lower case, so `{LiteralInclude}` reads a file; a region
    chapter's own `{toctree}` (a glob of the book) made Sphinx die of recursion."""
    body = (
        "# Fiendtlig\n"  # 10
        "\n"
        f"```{{LiteralInclude}} {up(book, REGION, outside_secret)}\n"  # 12
        "```\n"
        "\n"
        "```{TocTree}\n"  # 15
        ":glob:\n"
        "../../*\n"
        "```\n"
        "\n"
        "Last ned {DOWNLOAD}`denne <../../../references.bib>`.\n"  # 20
    )
    plant(book, REGION, FRONT + body)
    before = state(book)
    assert cli.main(["check", "--skip-figures"]) == 1
    lines = {
        12: "«{literalinclude}» er ikke tillatt her",
        15: "kan ikke lage sin egen innholdsfortegnelse",
        20: "«{download}» er ikke tillatt her",
    }
    reported(capsys.readouterr().err, REGION, lines)
    assert state(book) == before
