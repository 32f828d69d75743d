"""Nothing outside the repository reaches the site, and no published cell is a live formula.

- Before Sphinx reads anything (also in a plain `jupyter-book build`), the book's inputs are checked
  for symbolic links and special files (`core.files.book_not_plain`); one is a Norwegian error
  naming it, and nothing is built.
- The figure folders and the data package are copied into the site without ever following a link.
- The data package's CSVs are published formula-safe: a text cell Excel would read as a formula
  (`=HYPERLINK(…)`, `+…`, `@…`) gets the quote prefix the Excel templates and the figures' CSVs
  use (`format.spreadsheet_text`); numbers stay as they are. The repository's `data/` is untouched,
  and the published `datapackage.json` still describes the published files: it records no sizes
  or hashes, and a quoted cell stays text in a text field (valid data has no such cell in a
  field with a pattern or a list of allowed values).
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import SphinxError

from sirkbok.core.errors import Problem, UserError
from sirkbok.core.files import book_not_plain, copy_plain, write_atomic
from sirkbok.core.format import FORMULA_START, spreadsheet_text
from sirkbok.datapackage.validate import TYPE_PATTERN

FIGURES = "figurer"  # a chapter's figures folder, as `run.execute.FIGURES` names it
_NUMBER = re.compile(TYPE_PATTERN["number"])


class Refused(SphinxError):
    """The build stops before reading anything; Sphinx prints the category and the problems."""

    category = "Boka ble ikke bygget"


def refuse_outside(app: Sphinx, config: object) -> None:
    """A link or special file among the book's inputs stops the build before any file is read."""
    problems = book_not_plain(Path(app.srcdir))
    if problems:
        raise Refused("\n".join(f"feil: {problem}" for problem in problems))


def publish(source: Path, out: Path) -> None:
    """The figure folders and the data package into the site `out` (see the module's rules)."""
    try:
        copy_figures(source, out)
        copy_data(source, out)
    except UserError as error:  # a link or special file that appeared after the first check
        raise Refused("\n".join(f"feil: {problem}" for problem in error.problems)) from None


def copy_figures(source: Path, out: Path) -> None:
    """Every chapter's `figurer/` into the site, found and copied without following a link."""
    for folder, dirs, _ in os.walk(source / "chapters"):  # os.walk never enters a linked folder
        dirs.sort()
        if Path(folder).name == FIGURES:
            copy_plain(Path(folder), out / Path(folder).relative_to(source), source)


def copy_data(source: Path, out: Path) -> None:
    """The data package into the site (no link followed), its CSVs made formula-safe."""
    target = out / "data"
    copy_plain(source / "data", target, source)
    for path in sorted(target.glob("*.csv")):
        text = _read(path, source / "data" / path.name, source)
        safe = formula_safe(text)
        if safe != text:
            write_atomic(path, safe)


def formula_safe(text: str) -> str:
    """The CSV `text` with each formula-like text cell quoted (`format.spreadsheet_text`), unchanged
    when no cell needs it. A number (`-5`, `-0.25`) is never quoted."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    safe = [[_cell(cell) for cell in row] for row in rows]
    if safe == rows:
        return text
    # Written row by row with "\r\n" as the writer's line end, so a cell holding a lone "\r" or
    # "\n" is always quoted; each row then ends as the file's rows did.
    end = "\r\n" if "\r\n" in text else "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    lines = []
    for row in safe:
        out.seek(0)
        out.truncate()
        writer.writerow(row)
        lines.append(out.getvalue()[:-2] + end)
    return "".join(lines)


def _cell(value: str) -> str:
    if value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return str(spreadsheet_text(value))
    return value


def _read(path: Path, original: Path, source: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UserError(
            Problem(
                file=original.relative_to(source).as_posix(),
                message="Filen kan ikke publiseres, fordi den ikke er lagret som UTF-8.",
                expected="en CSV-fil lagret som UTF-8",
            )
        ) from None


def setup(app: Sphinx) -> None:
    app.connect("config-inited", refuse_outside, priority=1)  # before any other handler reads
