"""No traceback reaches a user: every command's error paths end in a Norwegian message naming the
path and what to do, a non-zero exit, nothing half-written and no temporary file left behind."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import state
from sirkbok import cli

BIN = Path(sys.executable).parent


def nothing(book: Path, tmp: Path) -> None:
    pass


def cp1252_chapter(book: Path, tmp: Path) -> None:
    text = (
        "---\ntitle: Gjenbruk på Hadeland\nregion: hadelandsregionen\ntheme: tekstiler\n"
        "authors:\n  - Åse Ørn\ndate: 2026-05-04\nstatus: utkast\n---\n\n"
        "# Gjenbruk på Hadeland\n"
    )
    path = book / "chapters/regioner/hadelandsregionen/gjenbruk.md"
    path.write_bytes(text.encode("cp1252"))


def write(relative: str, content: bytes) -> Callable[[Path, Path], None]:
    def setup(book: Path, tmp: Path) -> None:
        target = tmp / relative[4:] if relative.startswith("tmp/") else book / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)

    return setup


def big_cell(book: Path, tmp: Path) -> None:
    header = (book / "data/kommuner.csv").read_text("utf-8").splitlines()[0]
    (tmp / "kommuner.csv").write_text(f'{header}\n3310,"{"x" * 140_000}"\n', "utf-8")


# case -> (setup, arguments ({tmp} is a scratch folder outside the book), expected message)
CASES: dict[str, tuple[Callable[[Path, Path], object], list[str], str]] = {
    "kapitteltittel på 300 tegn": (
        nothing,
        ["new-chapter", "--region", "hadelandsregionen", "--theme", "tekstiler"]
        + ["--title", "Ombruk " * 43, "--author", "Kari"],
        "feil: Tittelen er for lang (300 tegn). Forventet: høyst 120 tegn.",
    ),
    "kapittelfil i Windows-1252": (
        cp1252_chapter,
        ["check", "--skip-figures"],
        "feil: chapters/regioner/hadelandsregionen/gjenbruk.md, linje 2: Filen er ikke UTF-8.",
    ),
    "params __init__": (nothing, ["params", "__init__"], "feil: Ukjent tema «__init__»."),
    "params ../biogass": (nothing, ["params", "../biogass"], "feil: Ukjent tema «../biogass»."),
    "template --out i en mappe som ikke kan lages": (
        nothing,
        ["template", "--table", "kommuner", "--out", "/proc/finnes-ikke/kommuner.xlsx"],
        "feil: /proc/finnes-ikke/kommuner.xlsx: Filen eller mappa finnes ikke.",
    ),
    "template --out der ingen kan skrive": (
        nothing,
        ["template", "--table", "kommuner", "--out", "/proc/kommuner.xlsx"],
        "feil: /proc/kommuner.xlsx: Filen eller mappa",
    ),
    "template --out med feil filtype": (
        nothing,
        ["template", "--table", "kommuner", "--out", "{tmp}/kommuner.csv"],
        "Malen må lagres som .xlsx.",
    ),
    "import av en fil som mangler": (
        nothing,
        ["import", "{tmp}/mangler.csv", "--table", "kommuner"],
        "mangler.csv: Filen finnes ikke.",
    ),
    "import av tilfeldige byte som .xlsx": (
        write("tmp/kommuner.xlsx", os.urandom(4000)),
        ["import", "{tmp}/kommuner.xlsx", "--table", "kommuner"],
        "Filen er ikke en gyldig .xlsx-fil",
    ),
    "import med en celle over 128 kB": (
        big_cell,
        ["import", "{tmp}/kommuner.csv", "--table", "kommuner", "--yes"],
        "kommuner.csv, linje 2: En celle er for lang.",
    ),
    "import til en ukjent tabell": (
        write("tmp/x.csv", b"a,b\n1,2\n"),
        ["import", "{tmp}/x.csv", "--table", "finnes_ikke"],
        "Ukjent tabell.",
    ),
    "validate med ødelagt datapackage.json": (
        write("data/datapackage.json", b'{"resources": ['),
        ["validate"],
        "feil: ",
    ),
    "validate med UTF-16": (
        write("data/tema.csv", "id,navn\n".encode("utf-16")),
        ["validate"],
        "data/tema.csv, linje 1: Filen er lagret som UTF-16.",
    ),
    "run med en parameterfil som mangler": (
        nothing,
        ["run", "biogass", "-f", "{tmp}/mangler.yaml", "--out", "{tmp}/ut"],
        "mangler.yaml: Fila finnes ikke.",
    ),
    "run med parameterfil i Windows-1252": (
        write("tmp/p.yaml", "utsorteringsfaktor: 0,5 # økt\n".encode("cp1252")),
        ["run", "biogass", "-f", "{tmp}/p.yaml", "--out", "{tmp}/ut"],
        "p.yaml: Fila kan ikke leses",
    ),
    "regenerate med ukjent notatbok": (
        nothing,
        ["regenerate", "--only", "finnes-ikke"],
        "Fant ingen notatbok som heter «finnes-ikke».",
    ),
    "check med ødelagt _toc.yml": (
        write("_toc.yml", b"format: jb-book\nroot: [\n"),
        ["check", "--skip-figures"],
        "feil: _toc.yml, linje",
    ),
    "regions med manglende merker": (
        write("chapters/regioner/hadelandsregionen/index.md", b"# Hadeland\n"),
        ["regions"],
        "Regionsiden mangler merkene for den genererte delen",
    ),
    "build med markering i data": (
        lambda book, tmp: (book / "data/regioner.csv").write_text(
            (book / "data/regioner.csv")
            .read_text("utf-8")
            .replace(",Hadelandsregionen,", ",<b>Hadeland</b>,", 1),
            "utf-8",
        ),
        ["build", "--skip-regenerate"],
        "data/regioner.csv, linje 3, kolonne «navn»: Teksten inneholder markering",
    ),
    "build med en lenke til et ukjent mål": (
        lambda book, tmp: (book / "chapters/ordliste.md").write_text(
            (book / "chapters/ordliste.md").read_text("utf-8") + "\nSe {ref}`finnes-ikke`.\n",
            "utf-8",
        ),
        ["build", "--skip-regenerate"],
        "feil: Nettstedet ble ikke bygget uten feil og advarsler. Hver melding over begynner med "
        "filen (og linjen) den gjelder",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_error_paths_end_in_a_norwegian_message_never_a_traceback(
    case: str, book: Path, tmp_path: Path
) -> None:
    setup, args, expected = CASES[case]
    scratch = tmp_path / "skrap"
    scratch.mkdir()
    setup(book, scratch)
    before = state(book)
    result = subprocess.run(
        [str(BIN / "sirkbok"), *(a.replace("{tmp}", str(scratch)) for a in args)],
        cwd=book,
        env=dict(os.environ, SIRKBOK_ROOT=str(book)),
        text=True,
        capture_output=True,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert "Uventet feil" not in result.stderr
    assert expected in result.stderr, result.stderr
    assert state(book) == before
    assert not list(book.rglob(".*.tmp*")) and not list(scratch.rglob(".*.tmp*"))


def failing(error: int, after: Callable | None = None) -> Callable:
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(error, os.strerror(error))

    return fail


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (errno.EROFS, "ligger på et skrivebeskyttet filsystem"),
        (errno.EACCES, "mangler tilgang"),
        (errno.ENOSPC, "kan ikke skrives fordi disken er full. Frigjør plass og prøv igjen."),
    ],
)
def test_a_read_only_or_full_data_folder_leaves_the_table_whole(
    error: int,
    expected: str,
    book: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = (book / "data/kommuner.csv").read_text("utf-8").replace("6973", "6974")
    source = tmp_path / "kommuner.csv"
    source.write_text(text, "utf-8")
    before = state(book)
    monkeypatch.setattr(os, "fsync", failing(error))  # the disk refuses the bytes
    assert cli.main(["import", str(source), "--table", "kommuner", "--yes"]) == 1
    err = capsys.readouterr().err
    assert f"feil: {book / 'data/kommuner.csv'}: Filen eller mappa {expected}" in err, err
    assert state(book) == before
    assert not list((book / "data").glob(".*.tmp*"))


def test_a_full_disk_while_writing_a_template_leaves_nothing(
    book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import Workbook

    monkeypatch.setattr(Workbook, "save", failing(errno.ENOSPC))
    (tmp_path / "ut").mkdir()
    out = tmp_path / "ut/mal.xlsx"
    assert cli.main(["template", "--table", "kommuner", "--out", str(out)]) == 1
    assert f"feil: {out}: Filen eller mappa kan ikke skrives fordi disken er full." in (
        capsys.readouterr().err
    )
    assert list((tmp_path / "ut").iterdir()) == []


def test_a_killed_imports_temporary_file_is_cleaned_by_the_next_import(
    book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pid = 4_000_000  # above any live pid here (pid_max is 4 194 304 at most)
    stale = book / "data" / f".kommuner.csv.tmp{pid}"
    stale.write_text("kommunenummer,na")
    mine = book / "data" / f".kommuner.csv.tmp{os.getppid()}"  # a live writer's file stays
    mine.write_text("kommunenummer,navn")
    source = tmp_path / "kommuner.csv"
    source.write_text((book / "data/kommuner.csv").read_text("utf-8"), "utf-8")
    assert cli.main(["import", str(source), "--table", "kommuner"]) == 0
    assert not stale.exists() and mine.exists()


@pytest.mark.parametrize("size", ["2m", "16m"])  # full while reading pages; while copying notebooks
def test_a_full_disk_during_build_ends_in_a_norwegian_message_naming_the_file(
    size: str, book: Path
) -> None:
    """A real full disk: `_build` on a tmpfs of `size` (mounting needs root; skipped, saying why,
    where it is not allowed)."""
    build = book / "_build"
    build.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(build)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"kan ikke montere en liten tmpfs her: {mounted.stderr.strip()}")
    try:
        before = state(book)
        result = subprocess.run(
            [str(BIN / "sirkbok"), "build", "--skip-regenerate"],
            cwd=book,
            env=dict(os.environ, SIRKBOK_ROOT=str(book)),
            text=True,
            capture_output=True,
            timeout=600,
        )
    finally:
        subprocess.run(["umount", str(build)], check=True)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"feil: {build}"), last
    assert last.endswith(
        ": Filen eller mappa kan ikke skrives fordi disken er full. Frigjør plass og prøv igjen. "
        "Ingenting er endret."
    ), last
    assert "Traceback" not in result.stderr and "Uventet feil" not in result.stderr
    assert state(book) == before
