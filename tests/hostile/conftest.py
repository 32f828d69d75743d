"""Fixtures for the hostile-input suite: a git copy of the book, and proof that nothing changed."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from sirkbok.core import paths

ROOT = Path(__file__).resolve().parents[2]
WATCHED = ("data", "chapters", "_toc.yml", "_config.yml", "references.bib")


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], check=True, text=True, capture_output=True
    ).stdout


@pytest.fixture(scope="session")
def git_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The book copied once and committed to a fresh git repository."""
    root = paths.copy_book(ROOT, tmp_path_factory.mktemp("mal") / "bok")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(
        root,
        "-c",
        "user.name=test",
        "-c",
        "user.email=test@example.org",
        "commit",
        "-qm",
        "bok",
    )
    return root


@pytest.fixture
def book(git_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throw-away git copy of the book; SIRKBOK_ROOT points at it for in-process calls."""
    root = Path(shutil.copytree(git_template, tmp_path / "bok", symlinks=True))
    monkeypatch.setenv("SIRKBOK_ROOT", str(root))
    return root


def state(root: Path) -> tuple[str, dict[str, str]]:
    """`git status` and a checksum of every file in data/, chapters/ and the book's config."""
    sums: dict[str, str] = {}
    for name in WATCHED:
        top = root / name
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for path in files:
            sums[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    status = git(root, "status", "--porcelain", "--untracked-files=all", "--", *WATCHED)
    return status, sums
