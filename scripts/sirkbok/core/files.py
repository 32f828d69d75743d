"""Writing files so that neither a reader nor a crash (even `kill -9`) ever sees half a file, and
no write ever lands outside the folder it is meant for (a symlink or `..` is refused first); and
reading only plain files the book holds itself, so nothing outside the repository reaches a reader
(`not_plain`)."""

from __future__ import annotations

import os
import re
import shutil
import stat
from pathlib import Path

from sirkbok.core.errors import Problem, UserError

# `.NAME.tmpPID`: the temporary name `write_atomic` uses (and `sirkbok.reader.charts` through it).
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


# --- reading: only plain files the book holds ------------------------------------------------------

# What the book reads into its outputs (site, PDF, data downloads), relative to its root.
BOOK_INPUTS = (
    "_config.yml",
    "_toc.yml",
    "references.bib",
    "CITATION.cff",
    "chapters",
    "data",
    "_static",
    "_templates",
    "locale",
)
_SPECIAL = {
    stat.S_IFIFO: "et navngitt rør (FIFO)",
    stat.S_IFSOCK: "en sokkel (socket)",
    stat.S_IFCHR: "en tegnenhet",
    stat.S_IFBLK: "en blokkenhet",
}


def not_plain(path: Path, base: Path) -> list[Problem]:
    """Every symbolic link, and every file that is neither a regular file nor a folder, at or under
    `path`, found without following a link and named relative to `base`.

    Every link is refused, also one to another file of the book: that rule is the simplest to state
    and to check, and a link's target can change after the check. A pipe, socket or device could
    hang a reader or bring in what lies outside the repository. A missing `path` refuses nothing.
    """
    problems: list[Problem] = []
    stack = [path]
    while stack:
        current = stack.pop()
        try:
            mode = current.lstat().st_mode
        except FileNotFoundError:
            continue
        name = (
            current.relative_to(base).as_posix() if current.is_relative_to(base) else str(current)
        )
        if stat.S_ISLNK(mode):
            problems.append(
                Problem(
                    file=name,
                    message="Dette er en symbolsk lenke, og boka følger aldri lenker (heller ikke "
                    "til andre filer i boka), så ingenting utenfor depotet kan havne på nettstedet, "
                    "i PDF-en eller i dataene. Erstatt lenken med selve filen eller mappa.",
                    found=f"en lenke til {os.readlink(current)}",
                    expected="en vanlig fil eller mappe",
                )
            )
        elif stat.S_ISDIR(mode):
            stack.extend(sorted(current.iterdir(), reverse=True))
        elif not stat.S_ISREG(mode):
            problems.append(
                Problem(
                    file=name,
                    message="Dette er ikke en vanlig fil, og boka leser bare vanlige filer og "
                    "mapper. Fjern den.",
                    found=_SPECIAL.get(stat.S_IFMT(mode), "en spesialfil"),
                    expected="en vanlig fil eller mappe",
                )
            )
    return problems


def book_not_plain(root: Path) -> list[Problem]:
    """`not_plain` over everything the book reads (`BOOK_INPUTS`), and `unpublishable`."""
    found = [problem for name in BOOK_INPUTS for problem in not_plain(root / name, root)]
    return found + unpublishable(root)


# What a contribution's folder may hold, by suffix: the site publishes these folders as they are
# (data/ as the data downloads; a region's figures, and any picture or file a chapter links to),
# on the book's own address. So no page, SVG or script: it would run there as the book's own.
CONTRIBUTED = {
    "data": {".csv", ".json", ".md"},
    "chapters/regioner": {".md", ".ipynb", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf"}
    | {".csv", ".xlsx"},
}


def unpublishable(root: Path) -> list[Problem]:
    """Every file in a contributed folder (`CONTRIBUTED`) of a kind it may not hold, found without
    following a link (links are `not_plain`'s)."""
    problems = []
    for top, allowed in CONTRIBUTED.items():
        for folder, dirs, names in os.walk(root / top):
            dirs.sort()
            for name in sorted(names):
                path = Path(folder) / name
                known = path.suffix.lower() in allowed or TEMPORARY.match(name)  # a write's own
                if not known and not path.is_symlink():
                    problems.append(
                        Problem(
                            file=path.relative_to(root).as_posix(),
                            message="Filer av denne typen kan ikke ligge her: nettstedet "
                            "publiserer mappa som den er, og en nettside, et SVG-bilde eller et "
                            "skript ville da kjøre som en del av boka. Bruk et bilde i PNG, JPEG, "
                            "GIF eller WebP, eller en PDF."
                            if top != "data"
                            else "Filer av denne typen kan ikke ligge i data/: mappa publiseres "
                            "som den er, og bare tabeller (CSV), beskrivelsen (JSON) og "
                            "README.md hører hjemme der.",
                            found=path.suffix or name,
                            expected="en av " + ", ".join(sorted(allowed)),
                        )
                    )
    return problems


def require_plain(root: Path) -> None:
    """Refuse (a UserError naming each file) a book that holds a link or a special file."""
    problems = book_not_plain(root)
    if problems:
        raise UserError(problems)


def copy_plain(source: Path, target: Path, base: Path) -> None:
    """Copy the folder `source` into `target` (merging); refused before anything is copied when it
    holds a link or a special file (`not_plain`, named relative to `base`). Never follows a link."""
    problems = not_plain(source, base)
    if problems:
        raise UserError(problems)
    shutil.copytree(source, target, symlinks=True, dirs_exist_ok=True)
    # What the copy holds is checked too: a link planted after the check above (a race), or one
    # left in the output by an earlier run, arrives as a link. Its folder in the output is removed,
    # so nothing that later packs or serves the site can follow it.
    late = not_plain(target, target.parent)
    if late:
        shutil.rmtree(target, ignore_errors=True)
        raise UserError(late)
