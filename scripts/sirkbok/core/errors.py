"""Errors a user can fix: shown as Norwegian messages with file, line and column, never a traceback."""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

# Characters a reader cannot see (controls, bidi controls, zero-width): written as [U+XXXX] in every
# message, so a message never carries one raw. CR and LF stay: messages may span lines.
CONTROL_CHARS = "\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f"
BIDI_CHARS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
INVISIBLE_CHARS = "\u200b-\u200d\u2060-\u2065\ufeff\u2028\u2029"
HIDDEN = re.compile(f"[{CONTROL_CHARS}{BIDI_CHARS}{INVISIBLE_CHARS}]")


def visible(text: str, limit: int | None = None) -> str:
    """`text` with every hidden character written as [U+XXXX], cut to about `limit` characters."""
    shown = HIDDEN.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)
    return shown if limit is None or len(shown) <= limit else shown[:limit] + "…"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one place. `line` counts as a spreadsheet does: the header is line 1."""

    file: str
    message: str
    line: int | None = None
    column: str | None = None
    found: str | None = None
    expected: str | None = None
    repeats: int = 0  # how many more lines below have the same problem in the same column

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", linje {self.line}"
        if self.column:
            where += f", kolonne «{self.column}»"
        text = f"{where}: {self.message}" if where else self.message
        if self.found is not None:
            text += f" Fant: «{self.found}»."
        if self.expected is not None:
            text += f" Forventet: {self.expected}."
        if self.repeats:
            text += f" Det samme gjelder {_count(self.repeats)} linjer til i kolonnen."
        return visible(text)


MAX_REPORTED = 50  # enough to see the pattern and start fixing; a million more help nobody


def _count(number: int) -> str:
    return f"{number:,}".replace(",", " ")


def count(problems: list[Problem]) -> int:
    """How many problems, counting each line a summarised problem stands for."""
    return sum(1 + problem.repeats for problem in problems)


def report(problems: list[Problem], stream: TextIO, limit: int = MAX_REPORTED) -> None:
    """The first `limit` problems, one `feil:` line each, then how many more there are."""
    for problem in problems[:limit]:
        print(f"feil: {problem}", file=stream)
    rest = count(problems) - count(problems[:limit])
    if rest > 0:
        print(
            f"feil: … og {_count(rest)} feil til. De første {min(limit, len(problems))} er vist; "
            "rett dem og kjør igjen.",
            file=stream,
        )


class UserError(Exception):
    """Raised for input a person must correct; the CLI prints every problem and exits with 1."""

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(file="", message=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def relative(path: Path, base: Path) -> str:
    """A path as the user sees it: relative to the book when possible."""
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)


# What a failed read or write means and what to do about it, by errno (messages in Norwegian).
_OS_REASONS = {
    errno.ENOENT: ("finnes ikke", "sjekk stien, eller lag mappa først"),
    errno.EACCES: ("mangler tilgang", "velg en mappe du kan skrive i, eller endre tilgangen"),
    errno.EPERM: ("mangler tilgang", "velg en mappe du kan skrive i, eller endre tilgangen"),
    errno.EROFS: ("ligger på et skrivebeskyttet filsystem", "velg en annen mappe"),
    errno.ENOSPC: ("kan ikke skrives fordi disken er full", "frigjør plass og prøv igjen"),
    errno.EDQUOT: ("kan ikke skrives fordi diskkvoten er brukt opp", "frigjør plass"),
    errno.ENAMETOOLONG: ("har et for langt navn", "bruk et kortere navn"),
    errno.EISDIR: ("er en mappe, ikke en fil", "oppgi en fil"),
    errno.ENOTDIR: ("har en del som ikke er en mappe", "sjekk stien"),
    errno.EEXIST: ("finnes allerede", "velg et annet navn"),
    errno.ELOOP: ("har for mange symbolske lenker", "sjekk stien"),
}


def from_exception(error: BaseException) -> Problem | None:
    """An OSError, encoding error or CSV error as a Norwegian Problem naming the path and what to
    do; None for anything else (a bug, which the caller reports as one)."""
    import csv

    if isinstance(error, OSError):
        path = error.filename or ""
        reason, advice = _OS_REASONS.get(
            error.errno or -1, (f"kan ikke leses eller skrives ({error.strerror or error})", "")
        )
        text = f"Filen eller mappa {reason}." if path else f"Operasjonen feilet: {reason}."
        if advice:
            text += f" {advice[0].upper()}{advice[1:]}. Ingenting er endret."
        return Problem(file=str(path), message=text)
    if isinstance(error, UnicodeError):
        return Problem(
            file="",
            message=f"En fil har feil tegnkoding ({error}).",
            expected="filer lagret som UTF-8",
        )
    if isinstance(error, csv.Error):
        return Problem(file="", message=f"En CSV-fil kan ikke leses ({error}).")
    return None
