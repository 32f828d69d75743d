"""Bounded work: YAML aliases, oversized files and endless cells are refused or stopped quickly."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import nbformat
import pytest
from conftest import orphans, state, tiny_package
from hypothesis import given, settings
from hypothesis import strategies as st
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from openpyxl import Workbook
from sirkbok import cli
from sirkbok.book import containment
from sirkbok.datapackage import textcsv

BIN = Path(sys.executable).parent
# 370 bytes that expand to 9^9 (387 million) strings when aliases are followed
BOMB = "".join(
    [
        'a: &a ["x","x","x","x","x","x","x","x","x"]\n',
        *(
            f"{b}: &{b} [*{a},*{a},*{a},*{a},*{a},*{a},*{a},*{a},*{a}]\n"
            for a, b in zip("abcdefgh", "bcdefghi", strict=True)
        ),
    ]
)


def run(*args: str, root: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    env = dict(os.environ, SIRKBOK_ROOT=str(root))
    started = time.monotonic()
    result = subprocess.run(
        [str(BIN / "sirkbok"), *args], cwd=root, env=env, text=True, capture_output=True
    )
    return result, time.monotonic() - started


@pytest.mark.parametrize("where", ["-f", "--scenarios"])
def test_a_yaml_alias_bomb_in_parameters_is_refused_at_once(
    where: str, book: Path, tmp_path: Path
) -> None:
    bomb = tmp_path / "parametre.yaml"
    bomb.write_text(BOMB, "utf-8")
    before = state(book)
    result, seconds = run(
        "run", "biogass", where, str(bomb), "--out", str(tmp_path / "ut"), root=book
    )
    assert result.returncode == 1 and seconds < 15
    assert (
        f"feil: {bomb}, linje 2: Fila er ikke gyldig YAML: YAML-aliaser («*a») er ikke tillatt"
        in (result.stderr)
    ), result.stderr
    assert "Traceback" not in result.stderr
    assert state(book) == before and not (tmp_path / "ut").exists()


def test_a_yaml_alias_bomb_in_front_matter_and_toc_is_reported(book: Path) -> None:
    chapter = book / "chapters/regioner/hadelandsregionen/bombe.md"
    chapter.write_text(f"---\n{BOMB}---\n\n# Bombe\n", "utf-8")
    toc = book / "_toc.yml"
    toc.write_text(toc.read_text("utf-8") + "extra: &x [1]\nagain: *x\n", "utf-8")
    before = state(book)
    result, seconds = run("check", "--skip-figures", root=book)
    assert result.returncode == 1 and seconds < 30
    assert "_toc.yml, linje" in result.stderr and "YAML-aliaser («*x»)" in result.stderr
    assert (
        "chapters/regioner/hadelandsregionen/bombe.md, linje 3: Forside-dataene" in result.stderr
    ), result.stderr
    assert "Traceback" not in result.stderr
    assert state(book) == before


BOOK_YAML = ["CITATION.cff", "_config.yml", "_toc.yml"]
WRONG_SHAPE = "- version: 1.0.0\n- title: Boka\n"  # a list where «key: value» lines belong


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (BOMB, "linje 2: Fila er ikke gyldig YAML: YAML-aliaser («*a») er ikke tillatt"),
        (WRONG_SHAPE, "Fila har feil form. Fant: «en liste». Forventet: «nøkkel: verdi»-linjer"),
    ],
    ids=["aliasbombe", "liste"],
)
@pytest.mark.parametrize("name", BOOK_YAML)
def test_the_books_own_yaml_goes_through_safeyaml_before_a_build(
    name: str, content: str, expected: str, book: Path
) -> None:
    """Jupyter Book and Sphinx read these with their own loaders: ours reads them first."""
    (book / name).write_text(content, "utf-8")
    before = state(book)
    result, seconds = run("build", "--skip-regenerate", root=book)
    assert result.returncode == 1 and seconds < 60
    assert f"feil: {name}, {expected}" in result.stderr or f"feil: {name}: {expected}" in (
        result.stderr
    ), result.stderr
    assert "Traceback" not in result.stderr and "Uventet feil" not in result.stderr
    assert state(book) == before and not (book / "_build/html").exists()


@pytest.mark.parametrize("command", [["pdf", "--skip-regenerate"], ["release", "9.9.9"]])
def test_a_citation_file_of_the_wrong_shape_is_named_by_pdf_and_release(
    command: list[str], book: Path
) -> None:
    """A list of authors as plain names (not «- name: …») passes the stamping and used to crash
    `pdf` with a traceback; `release` now names it and leaves the edition as it was."""
    from conftest import git

    citation = book / "CITATION.cff"
    text = citation.read_text("utf-8").replace('  - name: "Redaksjonen', '  - "Redaksjonen', 1)
    citation.write_text(text, "utf-8")
    git(book, "commit", "-qam", "forfattere som tekst", "--author", "t <t@example.org>")
    head = git(book, "rev-parse", "HEAD")
    before = state(book), citation.read_bytes(), (book / "CHANGELOG.md").read_bytes()
    result, _ = run(*command, root=book)
    assert result.returncode == 1
    assert (
        "feil: CITATION.cff: «authors:» har feil form. Fant: «en tekst». Forventet: en liste med "
        "«- name: …»-linjer." in result.stderr
    ), result.stderr
    assert "Traceback" not in result.stderr
    after = state(book), citation.read_bytes(), (book / "CHANGELOG.md").read_bytes()
    assert after == before and git(book, "rev-parse", "HEAD") == head
    assert git(book, "status", "--porcelain") == "" and git(book, "tag") == ""


def test_an_oversized_csv_is_refused_unread(
    book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "kommuner.csv"
    with open(big, "wb") as handle:
        handle.truncate(textcsv.MAX_BYTES + 1)  # sparse: no time, no disk
    before = state(book)
    assert cli.main(["import", str(big), "--table", "kommuner", "--yes"]) == 1
    assert f"feil: {big}: Filen er for stor til å leses." in capsys.readouterr().err
    with open(book / "data/kommuner.csv", "r+b") as handle:
        handle.truncate(textcsv.MAX_BYTES + 1)
    assert cli.main(["validate"]) == 1
    assert "feil: data/kommuner.csv: Filen er for stor til å leses." in capsys.readouterr().err
    assert state(book)[1]["data/kommuner.csv"] != before[1]["data/kommuner.csv"]  # our edit only


def test_too_many_rows_are_refused(
    book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = (book / "data/kommuner.csv").read_text("utf-8").splitlines()[0]
    many = tmp_path / "kommuner.csv"
    many.write_text(header + "\n" + "1\n" * (textcsv.MAX_ROWS + 5), "utf-8")
    before = state(book)
    assert cli.main(["import", str(many), "--table", "kommuner", "--yes"]) == 1
    assert "Filen har for mange rader." in capsys.readouterr().err
    assert state(book) == before


def test_a_header_of_100_000_columns_is_answered_in_seconds(book: Path, tmp_path: Path) -> None:
    """Repeated columns were counted with `list.count` per column: 300 000 columns (2.3 MB) took
    over a quarter of an hour in `validate`, `check` and an import alike; 100 000 take 2 minutes."""
    wide = tmp_path / "tema.csv"
    wide.write_text(",".join(f"k{i % 50_000}" for i in range(100_000)) + "\n", "utf-8")
    before = state(book)
    result, seconds = run("import", str(wide), "--table", "tema", "--yes", root=book)
    assert result.returncode == 1 and seconds < 20, (seconds, result.stderr[-500:])
    assert f"feil: {wide}, linje 1, kolonne «id»: Kolonnen mangler." in result.stderr
    assert "De første 50 er vist" in result.stderr and "Traceback" not in result.stderr
    assert state(book) == before


def test_an_xlsx_that_inflates_beyond_the_limit_is_refused_before_opening(
    book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook = tmp_path / "kommuner.xlsx"
    sheet = Workbook()
    sheet.worksheets[0].append(["kommunenummer"])
    sheet.save(workbook)
    with zipfile.ZipFile(workbook, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/media/fyll.bin", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 24)
            for _ in range(13):  # 218 MB unpacked, about 200 kB packed
                member.write(chunk)
    assert workbook.stat().st_size < 2_000_000
    before = state(book)
    started = time.monotonic()
    assert cli.main(["import", str(workbook), "--table", "kommuner", "--yes"]) == 1
    assert time.monotonic() - started < 10
    assert "Arbeidsboka er for stor når den pakkes ut." in capsys.readouterr().err
    assert state(book) == before


def tiny_book(root: Path) -> Path:
    """One table, one notebook that draws one figure file from it."""
    tiny_package(root, {"a": [1]})
    (root / "_config.yml").write_text("title: test\nexecute:\n  timeout: 300\n")
    cells = [
        new_markdown_cell("# Løkke"),
        new_code_cell("import os\nfrom pathlib import Path"),
        new_code_cell(
            'folder = Path(os.environ.get("SIRKBOK_FIGURE_DIR", "figurer"))\n'
            "folder.mkdir(exist_ok=True)\n"
            '(folder / "figur.svg").write_text("<svg>god</svg>")'
        ),
    ]
    for index, cell in enumerate(cells):
        cell["id"] = f"celle-{index}"
    nb = new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "sirkbok": {"tables": ["a"]},
        },
    )
    (root / "chapters").mkdir()
    nbformat.write(nb, root / "chapters/lokke.ipynb")
    return root


@pytest.mark.slow
def test_an_endless_cell_is_stopped_by_the_timeout_and_the_last_good_output_stays(
    tmp_path: Path,
) -> None:
    root = tiny_book(tmp_path / "bok")
    first, _ = run("regenerate", root=root)
    assert first.returncode == 0, first.stdout + first.stderr
    figure = root / "chapters/figurer/figur.svg"
    good = figure.read_bytes()
    path = root / "chapters/lokke.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[2].source = "while True:\n    pass"
    nbformat.write(nb, path)
    edited = path.read_bytes()
    result, seconds = run("regenerate", "--timeout", "5", root=root)
    assert result.returncode == 1
    assert seconds < 60
    assert (
        "feil: chapters/lokke.ipynb, celle 3: Cellen kjørte lenger enn tidsgrensen på 5 s og ble "
        "stoppet; kjernen er avsluttet." in result.stderr
    ), result.stderr
    assert "    | while True:" in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == edited and figure.read_bytes() == good
    assert orphans(root, wait=10) == []  # the kernel was shut down, not left spinning


@pytest.mark.parametrize("verb", ["regenerate", "build", "run"])
def test_every_verb_that_runs_notebooks_takes_a_timeout(verb: str, book: Path) -> None:
    result, _ = run(verb, "--help", root=book)
    assert "--timeout SEKUNDER" in result.stdout
    bad, _ = run(
        verb, *(["biogass", "--out", "x"] if verb == "run" else []), "--timeout", "0", root=book
    )
    assert bad.returncode == 2 and "tidsgrensen må være minst 1 sekund" in bad.stderr


@pytest.mark.parametrize("verb", ["regenerate", "build"])
@pytest.mark.parametrize(
    ("given", "said"), [("0", "minst 1"), ("to", "«to» er ikke et helt antall")]
)
def test_every_verb_that_runs_notebooks_side_by_side_takes_the_same_jobs_option(
    verb: str, given: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """One definition (`engine.jobs_option`): the same help, the same refusal before anything runs."""
    from sirkbok import cli

    with pytest.raises(SystemExit):
        cli.main([verb, "--help"])
    assert "--jobs ANTALL, -j ANTALL" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_:
        cli.main([verb, "--jobs", given])
    assert exit_.value.code == 2
    assert said in capsys.readouterr().err


def test_a_long_paragraph_of_unpaired_emphasis_marks_is_checked_in_little_memory(
    book: Path,
) -> None:
    """markdown-it-py 3.0 joined such a paragraph in quadratic memory (480 KB took 4 GB, and the
    kernel killed `check` and the build); `containment.fragments_join` does it in linear memory."""
    import resource

    chapter = book / "chapters/regioner/hadelandsregionen/index.md"
    text = chapter.read_text("utf-8") + "\n" + "snake_case " * 40_000 + "\n"
    chapter.write_text(text, "utf-8")
    env = dict(os.environ, SIRKBOK_ROOT=str(book))

    def one_gigabyte() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))

    started = time.monotonic()
    result = subprocess.run(
        [str(BIN / "sirkbok"), "check", "--skip-figures"],
        cwd=book,
        env=env,
        text=True,
        capture_output=True,
        preexec_fn=one_gigabyte,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert time.monotonic() - started < 60


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"ab _*~[]()`<>!\\\n#-.{}", "**", "__", "[a](b)", "&amp;"])))
def test_the_linear_text_join_gives_the_librarys_tokens(pieces: list[str]) -> None:
    text = "".join(pieces)
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import fragments_join

    ours, theirs = MarkdownIt("commonmark"), MarkdownIt("commonmark")
    ours.inline.ruler2.at("fragments_join", containment.fragments_join)
    theirs.inline.ruler2.at("fragments_join", fragments_join)
    assert [t.as_dict() for t in ours.parse(text)] == [t.as_dict() for t in theirs.parse(text)]
