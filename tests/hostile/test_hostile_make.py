"""`make` targets take what a user types (TITLE, VERSION…) as data: the real make runs the real
targets with hostile values, and no marker file appears; each value reaches the command whole."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import git, state
from sirkbok.book.frontmatter import read_chapter

BIN = Path(sys.executable).parent


def make(book: Path, *args: str, dry: bool = False) -> subprocess.CompletedProcess[str]:
    """The book's own Makefile, with the installed tools (`BIN=`) and its stamps present, so no
    target tries to install an environment first."""
    venv = book / ".venv"
    venv.mkdir(exist_ok=True)
    for stamp in (".runtime-stamp", ".dev-stamp"):
        (venv / stamp).touch()  # newer than the lock files just copied
    command = ["make", "--no-print-directory", *(["-n"] if dry else []), f"BIN={BIN}", *args]
    return subprocess.run(
        command,
        cwd=book,
        env=dict(os.environ, SIRKBOK_ROOT=str(book)),
        text=True,
        capture_output=True,
        timeout=300,
    )


def hostile(marker: Path) -> list[str]:
    """Ways a value could become code in a recipe: shell quoting, make's own functions, backquotes."""
    return [
        f'x"; touch {marker}; echo "',
        f"$(shell touch {marker})",
        f"`touch {marker}`",
        f"$$(touch {marker})",
    ]


@pytest.mark.parametrize("case", range(4))
def test_make_release_passes_the_version_whole_and_runs_none_of_it(
    case: int, book: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "PWNED"
    version = hostile(marker)[case]
    before = state(book), git(book, "rev-parse", "HEAD")
    result = make(book, "release", f"VERSION={version}")
    assert not marker.exists()
    assert result.returncode != 0
    assert f"feil: Versjonen «{version}» er ikke gyldig" in result.stderr, result.stderr
    assert (state(book), git(book, "rev-parse", "HEAD")) == before


@pytest.mark.parametrize("case", range(4))
def test_make_chapter_passes_title_and_author_whole_and_runs_none_of_it(
    case: int, book: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "PWNED"
    value = hostile(marker)[case]
    title = f"Ombruk {case} {value}"
    result = make(
        book,
        "chapter",
        "REGION=hadelandsregionen",
        "THEME=tekstiler",
        f"TITLE={title}",
        f"AUTHOR={value}",
    )
    assert not marker.exists()
    # The title arrives as one argument, exactly as typed: as the new chapter's title, or (with a
    # backquote, which the chapter's own check refuses as markup) quoted back from its start.
    made = list((book / "chapters/regioner/hadelandsregionen").glob("ombruk-*"))
    if "`" in value:
        assert result.returncode != 0 and not made
        assert f"Fant: «Ombruk {case} `touch " in result.stderr, result.stderr
    else:
        assert result.returncode == 0, result.stderr
        assert len(made) == 1, result.stdout
        chapter = read_chapter(made[0], book)
        assert chapter.meta is not None and chapter.heading == title
        assert (chapter.meta["title"], chapter.meta["authors"]) == (title, [value])


@pytest.mark.parametrize(
    ("target", "variable"),
    [
        ("chapter", "TITLE"),
        ("chapter", "AUTHOR"),
        ("release", "VERSION"),
        ("bench", "RUNS"),
        ("bench-scale", "RUNS"),
        ("screenshots", "OUT"),
    ],
)
def test_no_recipe_holds_a_users_value_as_text(
    target: str, variable: str, book: Path, tmp_path: Path
) -> None:
    """`make -n` prints the commands as the shell would get them: the value is never in them."""
    marker = tmp_path / "PWNED"
    values = [f"{variable}={value}" for value in hostile(marker)[:2]]
    for value in values:
        result = make(book, target, value, dry=True)
        assert result.returncode == 0, result.stderr
        assert str(marker) not in result.stdout, result.stdout
        assert re.search(rf"\$\{{?{variable}\b", result.stdout), result.stdout  # read by the shell
    assert not marker.exists()
