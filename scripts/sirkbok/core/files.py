"""Writing files so that neither a reader nor a crash (even `kill -9`) ever sees half a file."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write through `.NAME.tmpPID` beside the target, then rename it into place in one step.

    Text is written as UTF-8 exactly as given (no newline translation). An existing file keeps its
    permissions; a new one gets 0644. The temporary name is the one `sirkbok regenerate` knows to
    ignore and clean up after an interrupted run.
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
    finally:
        temporary.unlink(missing_ok=True)


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
