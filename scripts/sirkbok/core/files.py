"""Writing files so that neither a reader nor a crash (even `kill -9`) ever sees half a file, and
no write ever lands outside the folder it is meant for (a symlink or `..` is refused first)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from sirkbok.core.errors import Problem, UserError

# `.NAME.tmpPID`: the temporary name `write_atomic` uses (and `sirkbok.charts` through it).
TEMPORARY = re.compile(r"^\..+\.tmp(\d+)$")


def inside(target: Path, path: Path | str) -> Path:
    """`path` (relative to `target`, or absolute) resolved, refused unless it stays in `target`.

    Every writer calls this before it writes: a symlink or `..` anywhere in the path that leads out
    of `target` is a user error naming the path, and nothing has been written yet.
    """
    base = Path(target).resolve()
    candidate = Path(path) if Path(path).is_absolute() else Path(target) / path
    resolved = candidate.resolve()
    if resolved != base and base not in resolved.parents:
        raise UserError(
            Problem(
                file=str(path),
                message="Stien peker ut av mappa den skal skrives i (via «..» eller en "
                "symbolsk lenke). Ingenting er skrevet.",
                found=str(resolved),
                expected=f"en sti inne i {base}",
            )
        )
    return resolved


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write through `.NAME.tmpPID` beside the target, then rename it into place in one step.

    Text is written as UTF-8 exactly as given (no newline translation). An existing file keeps its
    permissions; a new one gets 0644. The temporary name is the one `clean_temporary` knows to
    remove after an interrupted run.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    temporary = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(temporary, path)
    except OSError as error:  # a read-only folder, a full disk: named by the file meant
        raise OSError(error.errno, error.strerror, str(path)) from error
    finally:
        temporary.unlink(missing_ok=True)


def clean_temporary(folder: Path, spare_live: bool = True) -> list[Path]:
    """Remove what a killed writer left under `folder`: `.NAME.tmpPID` files, nothing else.

    A file whose writer is still running is spared unless `spare_live` is off (a caller holding
    the folder's lock knows no one else writes there)."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for path in folder.rglob(".*.tmp*"):
        match = TEMPORARY.match(path.name)
        if not (match and path.is_file() and not path.is_symlink()):
            continue
        if not spare_live or not _running(int(match[1])):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _running(pid: int) -> bool:
    """Whether the writer that named a temporary file is still alive (then it is not stale)."""
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return pid < 2**22  # another user's live process; an absurd pid is no process
    return True


def write_if_changed(path: Path, content: str) -> bool:
    """Write atomically only when the text differs: an unchanged generated file keeps its modification
    time, so tools that look at it (Sphinx, bibtex caches) see nothing to redo. True when written."""
    try:
        if path.read_text(encoding="utf-8") == content:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    write_atomic(path, content)
    return True
