"""The book's folders that are the same for every book: its cache, and what a copy leaves out.

Which book a command works on is `sirkbok.core.context.Book`."""

from __future__ import annotations

import shutil
from pathlib import Path

# What a working copy of the book leaves out: environment, builds, caches and version control.
_NOT_THE_BOOK = shutil.ignore_patterns(
    ".venv",
    "_build",
    ".git",
    ".pytest_cache",
    ".hypothesis",
    ".sirkbok-cache",
    "__pycache__",
    ".ruff_cache",
    "*.egg-info",
)


def copy_book(source: Path, target: Path) -> Path:
    """A throw-away copy of the book (for tests and benchmarks that must not touch the real one)."""
    return Path(shutil.copytree(source, target, ignore=_NOT_THE_BOOK))


CACHE = (
    ".sirkbok-cache"  # the book's own cache folder (regeneration, build stamps, import analysis)
)


def cache_dir(root: Path) -> Path:
    """`.sirkbok-cache/`, which ignores itself in git whatever the top-level .gitignore says."""
    folder = root / CACHE
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.is_file():
        ignore.write_text("*\n")
    return folder
