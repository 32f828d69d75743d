"""Locks between commands on one book (filelock, kept in `.sirkbok-cache/`): what two commands
must not do at once is made to wait, or refused with a Norwegian message, never interleaved.

- `data/`: a reader/writer lock. `import` writes (alone); `build` and `regenerate` read (together).
  An import validates the table against the rest of the package and then writes it: two at once
  each validated against the other's old table, and both said «gyldig» over an invalid package. The
  second now waits (imports take seconds) and validates against what the first wrote; after
  `DATA_WAIT` seconds (a build that reads for minutes) it is refused, having changed nothing.
- one-at-a-time steps (`regenerate`, the Sphinx build of `_build/html`): a second run is refused at
  once. Waiting minutes for the same work would only redo it; the message says to try again.

The operating system drops a lock when its process dies (even `kill -9`): nothing stays locked.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

from sirkbok.core.errors import Problem, UserError
from sirkbok.core.paths import CACHE, cache_dir

DATA_WAIT = 60  # seconds an import or a build waits for data/ before it is refused


@contextlib.contextmanager
def data(root: Path, write: bool) -> Iterator[None]:
    """Hold `data/` for writing (an import) or reading (a build): wait up to `DATA_WAIT` seconds."""
    from filelock import ReadWriteLock, Timeout

    lock = ReadWriteLock(cache_dir(root) / "data.lock")
    acquire = lock.acquire_write if write else lock.acquire_read
    others = "bygger eller importerer" if write else "importerer"
    try:
        try:
            acquire(timeout=0)
        except Timeout:
            print(
                f"Venter på data/: en annen kommando {others} i denne boka (høyst {DATA_WAIT} "
                "sekunder) …",
                file=sys.stderr,
                flush=True,
            )
            acquire(timeout=DATA_WAIT)
    except Timeout:
        doing = "importere til" if write else "lese"
        raise UserError(
            Problem(
                file="data/",
                message=f"Kunne ikke {doing} data/: en annen kommando {others} i denne boka nå. "
                f"Ventet {DATA_WAIT} sekunder. Ingenting er endret; prøv igjen når den er ferdig.",
            )
        ) from None
    try:
        yield
    finally:
        lock.release()


@contextlib.contextmanager
def alone(root: Path, name: str, message: str) -> Iterator[None]:
    """Hold `.sirkbok-cache/NAME.lock`, or refuse at once with `message` (another run holds it)."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(cache_dir(root) / f"{name}.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise UserError(Problem(file=f"{CACHE}/{name}.lock", message=message)) from None
    try:
        yield
    finally:
        lock.release()
