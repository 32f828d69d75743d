"""Errors a user can fix: shown as Norwegian messages with file, line and column, never a traceback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one place. `line` counts as a spreadsheet does: the header is line 1."""

    file: str
    message: str
    line: int | None = None
    column: str | None = None
    found: str | None = None
    expected: str | None = None

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
        return text


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
