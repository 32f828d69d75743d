"""The book a command works on: one `Book(root)` with its paths, configuration and caches.

The CLI and the Sphinx extension make a Book and make it current (`using`), so everything below
them (the data package, the charts, the import analysis) reads that book and caches per Book, never
per process. The environment is read in one place only, `Book.from_environment`: a notebook's
kernel is a separate process, and `sirkbok.run` tells it its book through the variables in
`Book.environment()` (root, the notebook, its declared tables and its figures folder).
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from sirkbok.core import paths, safeyaml

T = TypeVar("T")

ROOT, NOTEBOOK, TABLES, FIGURE_DIR = (
    "SIRKBOK_ROOT",  # the book
    "SIRKBOK_NOTEBOOK",  # the running notebook's path, for messages (sirkbok.data)
    "SIRKBOK_TABLES",  # the tables it declares (sirkbok.data)
    "SIRKBOK_FIGURE_DIR",  # where its figures are written (sirkbok.charts)
)
VARIABLES = (ROOT, NOTEBOOK, TABLES, FIGURE_DIR)


@dataclass(frozen=True, eq=False)
class Book:
    """One book on disk. `notebook`, `tables` and `figure_dir` describe the notebook running in it
    (a kernel's book); a command's book has none of them and writes figures to `figurer/`."""

    root: Path
    notebook: str | None = None
    tables: frozenset[str] | None = None  # None: any table may be read
    figure_dir: Path = Path("figurer")  # relative: next to the running notebook (its cwd)
    _memo: dict[str, tuple[Any, Any]] = field(default_factory=dict, init=False, repr=False)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def chapters_dir(self) -> Path:
        return self.root / "chapters"

    def cache_dir(self) -> Path:
        """`.sirkbok-cache/` (made on first use, ignoring itself in git)."""
        return paths.cache_dir(self.root)

    @cached_property
    def config(self) -> dict[str, Any]:
        """`_config.yml`, parsed once per Book (a UserError naming the line when it is broken)."""
        text = (self.root / "_config.yml").read_text(encoding="utf-8")
        return safeyaml.mapping(text, "_config.yml")

    def memo(self, key: str, stamp: Any, compute: Callable[[], T]) -> T:
        """`compute()`, kept on this Book until `stamp` (what the value depends on) changes."""
        kept = self._memo.get(key)
        if kept is None or kept[0] != stamp:
            kept = (stamp, compute())
            self._memo[key] = kept
        return kept[1]

    def memo_file(self, key: str, path: Path, compute: Callable[[], T]) -> T:
        """`memo` of a value read from the file `path`, kept until the file changes (its path,
        mtime and size are the stamp); FileNotFoundError when it is missing."""
        info = path.stat()
        return self.memo(f"{key} {path}", (info.st_mtime_ns, info.st_size), compute)

    def running(self, notebook: str, tables: list[str], figure_dir: Path) -> Book:
        """This book as a notebook running in it sees it (a fresh cache)."""
        return replace(self, notebook=notebook, tables=frozenset(tables), figure_dir=figure_dir)

    def environment(self) -> dict[str, str]:
        """The variables that tell a kernel (another process) this Book: `from_environment`'s
        inverse."""
        values = {ROOT: str(self.root), FIGURE_DIR: str(self.figure_dir)}
        if self.notebook is not None:
            values[NOTEBOOK] = self.notebook
        if self.tables is not None:
            values[TABLES] = ",".join(sorted(self.tables))
        return values

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Book:
        """The Book a process was started in: the one function that reads SIRKBOK_* variables.

        The root is $SIRKBOK_ROOT, else the nearest folder upwards from the working directory
        holding `_config.yml` and `data/`, else the repository this package lies in.
        """
        env = os.environ if environ is None else environ
        declared = env.get(TABLES)
        tables = None
        if declared is not None:
            tables = frozenset(name.strip() for name in declared.split(",") if name.strip())
        return cls(
            root=_find_root(env.get(ROOT)),
            notebook=env.get(NOTEBOOK),
            tables=tables,
            figure_dir=Path(env.get(FIGURE_DIR) or "figurer"),
        )


def _find_root(given: str | None) -> Path:
    if given:
        return Path(given).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "_config.yml").is_file() and (folder / "data").is_dir():
            return folder
    return Path(__file__).resolve().parents[3]


_current: contextvars.ContextVar[Book | None] = contextvars.ContextVar("sirkbok_book", default=None)
_started_in: dict[tuple[str | None, ...], Book] = {}  # per environment, for a notebook's kernel


def current() -> Book:
    """The Book made current by `using`; without one (a notebook's kernel, a test calling a theme
    function), the Book of the process's environment, one per distinct environment."""
    book = _current.get()
    if book is not None:
        return book
    key = tuple(os.environ.get(name) for name in VARIABLES)
    if not key[0]:  # the root is found from the working directory
        key += (os.getcwd(),)
    if key not in _started_in:
        _started_in[key] = Book.from_environment()
    return _started_in[key]


def at(root: Path) -> Book:
    """The current Book when it is the book at `root` (its caches are kept), else a new one."""
    book = current()
    return book if book.root == Path(root).resolve() else Book(Path(root).resolve())


@contextlib.contextmanager
def using(book: Book) -> Iterator[Book]:
    """Make `book` current for the block (this thread and task only), then restore the last one."""
    token = _current.set(book)
    try:
        yield book
    finally:
        _current.reset(token)
