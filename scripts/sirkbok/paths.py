"""Where the book lives: every module finds the repository root the same way."""

from __future__ import annotations

import os
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
    return Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    return root() / "data"


def chapters_dir() -> Path:
    return root() / "chapters"
