"""`release` is all or nothing: when git fails (no identity, a tag it cannot write) the stamped
files, the index and HEAD are put back as they were, and a Norwegian message says what to do."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from conftest import git, state

BIN = Path(sys.executable).parent
STAMPED = ("CITATION.cff", ".zenodo.json", "CHANGELOG.md")


def release(book: Path, home: Path, version: str) -> subprocess.CompletedProcess[str]:
    """`sirkbok release` with no git identity anywhere: no global or system config, no variables."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GIT_AUTHOR_", "GIT_COMMITTER_")) and key not in ("EMAIL", "HOME")
    }
    env |= {
        "SIRKBOK_ROOT": str(book),
        "HOME": str(home),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    return subprocess.run(
        [str(BIN / "sirkbok"), "release", version],
        cwd=book,
        env=env,
        text=True,
        capture_output=True,
    )


def snapshot(book: Path) -> tuple[object, ...]:
    sums = {name: hashlib.sha256((book / name).read_bytes()).hexdigest() for name in STAMPED}
    index = git(book, "ls-files", "--stage")  # what is staged, by content
    return state(book), sums, index, git(book, "rev-parse", "HEAD"), git(book, "tag")


def test_release_without_a_git_identity_rolls_back_and_says_how_to_set_one(
    book: Path, tmp_path: Path
) -> None:
    git(book, "config", "user.useConfigOnly", "true")  # git may not guess one from the host name
    before = snapshot(book)
    result = release(book, tmp_path, "1.0.0")
    assert result.returncode == 1
    assert "git commit feilet fordi git ikke vet hvem som lager versjonen" in result.stderr
    assert "CITATION.cff, .zenodo.json og CHANGELOG.md er satt tilbake" in result.stderr
    assert "«git config user.name" in result.stderr and "«git config user.email" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(book) == before
    assert git(book, "status", "--porcelain") == "" and git(book, "diff", "--cached") == ""


def test_a_tag_git_cannot_write_undoes_the_release_commit(book: Path, tmp_path: Path) -> None:
    """The commit succeeds, then `git tag` fails (its ref is locked): HEAD goes back too."""
    git(book, "config", "user.name", "Redaksjonen")
    git(book, "config", "user.email", "redaksjonen@example.org")
    (book / ".git/refs/tags").mkdir(parents=True, exist_ok=True)
    (book / ".git/refs/tags/v1.0.0.lock").write_text("")  # another git holds the tag's ref
    before = snapshot(book)
    result = release(book, tmp_path, "1.0.0")
    assert result.returncode == 1
    assert "git tag feilet. CITATION.cff, .zenodo.json og CHANGELOG.md er satt tilbake" in (
        result.stderr
    ), result.stderr
    assert snapshot(book) == before and git(book, "status", "--porcelain") == ""
