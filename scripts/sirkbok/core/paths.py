"""Where the book lives: every module finds the repository root the same way."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path


def root() -> Path:
    """The book's root: $SIRKBOK_ROOT, else the nearest folder upwards holding `_config.yml`."""
    env = os.environ.get("SIRKBOK_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "_config.yml").is_file() and (folder / "data").is_dir():
            return folder
    return Path(__file__).resolve().parents[3]


@contextlib.contextmanager
def environment(values: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables (SIRKBOK_ROOT and the others) for a block, then restore them."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def data_dir() -> Path:
    return root() / "data"


def chapters_dir() -> Path:
    return root() / "chapters"


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
