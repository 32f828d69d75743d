"""A spreadsheet as the user saved it, read into rows of cells: CSV from Excel or an editor, or .xlsx.

Norwegian Excel saves «CSV (semikolondelt)» in Windows-1252 with semicolons and decimal commas,
«CSV UTF-8» with a BOM, and «Unicode-tekst» as UTF-16; an editor saves UTF-8 with commas. The
header line tells the delimiter, and the delimiter how numbers are written. An .xlsx keeps its
cells' types. Sizes are bounded before anything is parsed or unpacked (`sirkbok import` uses this).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sirkbok.core.errors import Problem, UserError
from sirkbok.datapackage.textcsv import MAX_ROWS, check_size, parse_csv, too_large


@dataclass
class Sheet:
    """Cells as read: header, rows (each with its spreadsheet line) and how numbers are written."""

    label: str
    header: list[str]
    rows: list[tuple[int, list[Any]]]
    decimal_comma: bool
    delimiter: str | None = None  # a CSV's; its rows must have as many cells as the header


def _decode(raw: bytes, label: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with its BOM («Unicode-tekst» from Excel), or cp1252."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as error:
            raise UserError(
                Problem(
                    file=label,
                    message="Filen sier den er UTF-16, men kan ikke leses som det.",
                    found=f"ugyldige byte ved posisjon {error.start}",
                    expected="lagre filen fra Excel som «CSV UTF-8»",
                )
            ) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")  # Windows-1252, as Norwegian Excel saves «CSV (semikolondelt)»
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise UserError(
            Problem(
                file=label,
                line=line,
                message="Tegnkodingen er verken UTF-8 eller Windows-1252.",
                expected="lagre filen fra Excel som «CSV UTF-8» eller «CSV (semikolondelt)»",
            )
        ) from None


def read_csv_sheet(path: Path, label: str) -> Sheet:
    """A CSV from Excel or an editor: the header sets the delimiter (semicolon = decimal comma)."""
    problems = check_size(path, label)
    if problems:
        raise UserError(problems)
    text = _decode(path.read_bytes(), label)
    if not text.strip():
        raise UserError(
            Problem(
                file=label,
                message="Filen er tom.",
                expected="en overskriftslinje med kolonnenavn og rader under",
            )
        )
    first = text.lstrip().splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    if "\t" in first and first.count("\t") > max(first.count(";"), first.count(",")):
        delimiter = "\t"
    header, rows, problems = parse_csv(text, label, delimiter, spreadsheet=True, check_shape=False)
    if problems:
        raise UserError(problems)
    header = [cell.strip() for cell in header]
    return Sheet(label, header, rows, decimal_comma=delimiter != ",", delimiter=delimiter)


def read_xlsx_sheet(path: Path, label: str, table: str) -> Sheet:
    """The sheet named after the table, else the first sheet; typed cells keep their types."""
    from openpyxl import load_workbook

    problems = check_size(path, label) or _unpacked_size(path, label)
    if problems:
        raise UserError(problems)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
        formulas = load_workbook(path, read_only=True, data_only=False)
        sheet = book[table] if table in book.sheetnames else book.worksheets[0]
        records, unsaved = [], []
        # The same sheet twice: saved values, and formulas. A formula whose value was never saved
        # (a file written by a program, not Excel) reads as empty, and must not erase a value.
        written = formulas[sheet.title].iter_rows(values_only=True)
        for row, as_written in zip(sheet.iter_rows(values_only=True), written, strict=False):
            records.append(list(row))
            unsaved += _unsaved(label, sheet.title, len(records), row, as_written)
            if len(records) > MAX_ROWS + 1:
                raise UserError(
                    too_large(
                        label, "Arket har for mange rader.", MAX_ROWS, "rader", line=len(records)
                    )
                )
        book.close()
        formulas.close()
    except UserError:
        raise
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise UserError(
            Problem(
                file=label,
                message=f"Filen kan ikke leses som .xlsx ({type(error).__name__}: {error}).",
                expected="en Excel-arbeidsbok (.xlsx) lagret av Excel eller LibreOffice",
            )
        ) from None
    if unsaved:
        raise UserError(unsaved)
    if not records or all(cell is None for cell in records[0]):
        raise UserError(
            Problem(
                file=label,
                message="Arket er tomt.",
                expected="kolonnenavn på første rad og data under",
            )
        )
    header = ["" if cell is None else str(cell).strip() for cell in records[0]]
    while header and header[-1] == "":
        header.pop()
    rows = [(number + 2, record) for number, record in enumerate(records[1:])]
    return Sheet(label, header, rows, decimal_comma=True)


def _unsaved(
    label: str, title: str, line: int, values: tuple[Any, ...], written: tuple[Any, ...]
) -> list[Problem]:
    """Cells holding a formula but no saved value, named as the spreadsheet names them."""
    from openpyxl.utils import get_column_letter

    return [
        Problem(
            file=label,
            line=line,
            message=f"Ark «{title}», celle {get_column_letter(index + 1)}{line}: en formel uten "
            "lagret verdi. Ingenting er importert.",
            found=str(getattr(formula, "text", formula))[:200],
            expected="en verdi: åpne arbeidsboka i Excel eller LibreOffice og lagre den (da regnes "
            "formlene ut og verdiene lagres), eller skriv inn verdien i stedet for formelen",
        )
        for index, (value, formula) in enumerate(zip(values, written, strict=False))
        if value is None and formula is not None
    ]


# An .xlsx is a zip: its parts are checked unpacked, before openpyxl inflates them into memory.
MAX_XLSX_UNPACKED = 200_000_000


def _unpacked_size(path: Path, label: str) -> list[Problem]:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            size = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        return [
            Problem(
                file=label,
                message=f"Filen er ikke en gyldig .xlsx-fil ({error}).",
                expected="en Excel-arbeidsbok (.xlsx)",
            )
        ]
    if size <= MAX_XLSX_UNPACKED:
        return []
    found = f"{size:,} byte utpakket".replace(",", " ")
    return [
        too_large(
            label, "Arbeidsboka er for stor når den pakkes ut.", MAX_XLSX_UNPACKED, "byte", found
        )
    ]
