"""The strict reader of text tables: a CSV is read exactly as written, or refused with its line.

Both the package's own tables (`sirkbok validate`) and a spreadsheet brought in by `sirkbok import`
go through here, so the limits (file size, rows, cell length) and the messages for a broken quote,
a ragged row or a wrong header are the same wherever a table comes from. Nothing is repaired.

Pandas is imported inside `read_text_table`: `sirkbok` must start fast for verbs that never touch data.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

from sirkbok.core.errors import Problem
from sirkbok.datapackage.frames import Source

# Bounded work: a table in data/ or a file to import is refused above these sizes, before parsing.
MAX_BYTES = 50_000_000
MAX_ROWS = 1_000_000
MAX_CELL = 131_072  # the csv module's own limit per cell, stated so the message can name it


def too_large(
    label: str,
    message: str,
    limit: int,
    unit: str,
    found: str | None = None,
    line: int | None = None,
) -> Problem:
    """A table over one of the limits: refused with the limit, spelled `50 000 000 byte`."""
    return Problem(
        file=label,
        line=line,
        message=message,
        found=found,
        expected=f"høyst {limit:,} {unit}; del tabellen opp".replace(",", " "),
    )


def check_size(path: Path, label: str) -> list[Problem]:
    """A file over MAX_BYTES is refused unread (a Norwegian message, not an exhausted machine)."""
    size = path.stat().st_size
    if size <= MAX_BYTES:
        return []
    found = f"{size:,} byte".replace(",", " ")
    return [too_large(label, "Filen er for stor til å leses.", MAX_BYTES, "byte", found)]


def decode_utf8(raw: bytes, label: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text of a canonical table; a BOM, UTF-16 or another encoding is a clear refusal."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [
            Problem(
                file=label,
                line=1,
                message="Filen er lagret som UTF-16.",
                expected="UTF-8 (bruk «sirkbok import», som leser UTF-16 fra Excel)",
            )
        ]
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [
            Problem(
                file=label,
                line=1,
                message="Filen starter med et BOM-tegn.",
                expected="UTF-8 uten BOM (bruk «sirkbok import» for regneark)",
            )
        ]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [
            Problem(
                file=label,
                line=line,
                message="Filen er ikke UTF-8.",
                expected="UTF-8 (bruk «sirkbok import» for filer fra Excel)",
            )
        ]


def parse_csv(
    text: str,
    label: str,
    delimiter: str = ",",
    spreadsheet: bool = False,
    check_shape: bool = True,
) -> tuple[list[str], list[tuple[int, list[str]]], list[Problem]]:
    """Header, rows (with their spreadsheet line) and problems of a CSV text, read strictly.

    Nothing is repaired: an unclosed quote, text after a closing quote, a row with more or fewer
    cells than the header, a blank line, a NUL character, a cell over MAX_CELL characters or more
    than MAX_ROWS rows are each a problem naming the line (and the column where there is one).
    A `spreadsheet` export may also have blank lines and empty cells after the last column, which
    lose nothing and are dropped.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    problems: list[Problem] = []
    while True:
        starts_at = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(_csv_problem(error, label, starts_at, reader.line_num))
            break
        records.append((len(records) + 1, record))
        if len(records) > MAX_ROWS + 1:
            problems.append(
                too_large(label, "Filen har for mange rader.", MAX_ROWS, "rader", line=len(records))
            )
            break
    if not records:
        return [], [], problems or [Problem(file=label, message="Filen er tom.")]
    header = records[0][1]
    if spreadsheet:
        while header and not header[-1].strip():
            header.pop()
        records = [
            (
                line,
                record[: len(header)]
                if not any(c.strip() for c in record[len(header) :])
                else record,
            )
            for line, record in records
            if any(cell.strip() for cell in record) or line == records[0][0]
        ]
    for line, record in records:
        if any(len(cell) > MAX_CELL for cell in record):
            # The csv module's own limit is global state another library may have raised.
            problems.append(_long_cell(label, line))
        for position, cell in enumerate(record):
            if "\x00" in cell:
                problems.append(
                    Problem(
                        file=label,
                        line=line,
                        column=header[position] if position < len(header) else None,
                        message="Cellen inneholder et NUL-tegn (byte 0), som git leser som en "
                        "binærfil. Filen kan være lagret som UTF-16.",
                        expected="tekst uten kontrolltegn, lagret som UTF-8",
                    )
                )
    if check_shape:
        problems += shape_problems(header, records[1:], label, delimiter)
    return header, records[1:], problems


def shape_problems(
    header: list[str], rows: list[tuple[int, list[str]]], label: str, delimiter: str = ","
) -> list[Problem]:
    """Rows with more or fewer cells than the header (a blank line has none): one per row."""
    problems = []
    for line, record in rows:
        if len(record) != len(header):
            first_wrong = min(len(record), len(header))
            problems.append(
                Problem(
                    file=label,
                    line=line,
                    column=header[first_wrong] if first_wrong < len(header) else None,
                    message="Tom linje."
                    if not record
                    else f"Raden har {len(record)} felt, men overskriften har {len(header)}.",
                    found=delimiter.join(record)[:80] if record else None,
                    expected=f"{len(header)} felt skilt med «{delimiter}» på hver linje "
                    "(tekst med skilletegn i står i anførselstegn)",
                )
            )
    return problems


def _long_cell(label: str, line: int) -> Problem:
    return Problem(
        file=label,
        line=line,
        message="En celle er for lang.",
        expected=f"høyst {MAX_CELL:,} tegn per celle".replace(",", " "),
    )


def _csv_problem(error: Exception, label: str, starts_at: int, line: int) -> Problem:
    text = str(error)
    if "field larger than field limit" in text:
        return _long_cell(label, line)
    if "unexpected end of data" in text or "EOF" in text:
        return Problem(
            file=label,
            line=starts_at,
            message="Et anførselstegn åpnes på denne linjen, men lukkes aldri.",
            expected='et avsluttende " for hvert innledende "',
        )
    if "expected after" in text:
        return Problem(
            file=label,
            line=line,
            message="Tekst etter et avsluttende anførselstegn.",
            expected='skilletegn eller linjeskift rett etter " (skriv "" for " inne i tekst)',
        )
    return Problem(file=label, line=line, message=f"CSV-filen kan ikke leses ({text}).")


def read_text_table(
    path: Path, label: str, names: list[str] | None = None
) -> tuple[Source | None, list[Problem]]:
    """Read a canonical CSV (UTF-8, comma, header) as strings; index = spreadsheet line number.

    With the schema's column `names`, a wrong header is reported instead of every row that
    then has the wrong number of cells.
    """
    import pandas as pd

    try:
        problems = check_size(path, label)
        if problems:
            return None, problems
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [Problem(file=label, message="Filen mangler.")]
    if not raw.strip():
        return None, [
            Problem(
                file=label,
                message="Filen er tom.",
                expected="en overskriftslinje med kolonnenavn og rader under",
            )
        ]
    text, problems = decode_utf8(raw, label)
    if text is None:
        return None, problems
    header, rows, problems = parse_csv(text, label, check_shape=False)
    if problems:
        return None, problems
    problems = header_problems(label, header, names) if names is not None else []
    problems = problems or shape_problems(header, rows, label)
    if problems:
        return None, problems
    frame = pd.DataFrame([cells for _, cells in rows], columns=range(len(header)), dtype=object)
    frame.columns = header
    frame.index = range(2, len(frame) + 2)
    return Source(frame, label), []


def header_problems(label: str, found: list, names: list[str]) -> list[Problem]:
    """Missing, unknown and repeated columns of a header (line 1), against the schema's names."""
    listed = ", ".join(names)
    problems = [
        Problem(
            file=label,
            line=1,
            column=column,
            message="Kolonnen mangler.",
            expected=f"kolonnene {listed}",
        )
        for column in names
        if column not in found
    ]
    problems += [
        Problem(
            file=label,
            line=1,
            column=str(column),
            message="Ukjent kolonne.",
            found=str(column),
            expected=f"bare kolonnene {listed}",
        )
        for column in found
        if column not in names
    ]
    duplicates = {c for c, n in Counter(found).items() if n > 1}  # linear: a header may be huge
    problems += [
        Problem(
            file=label,
            line=1,
            column=str(c),
            message="Kolonnen står to ganger.",
            expected="hvert kolonnenavn én gang",
        )
        for c in sorted(duplicates)
    ]
    return problems
