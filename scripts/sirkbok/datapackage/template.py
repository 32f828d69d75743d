"""`sirkbok template --table TABLE`: an Excel workbook made from a table's schema, for Excel users.

The first sheet (named after the table, which is what `sirkbok import` reads) holds the current
rows, so a correction is "change a cell, save, import". Headers carry the unit; enum fields, units
and foreign keys get drop-down lists; cells get number formats; the sheet «Forklaring» explains
every column. All of it comes from data/datapackage.json, so the template cannot disagree with the
validator.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path
from typing import Any

from sirkbok.core.errors import Problem, UserError, from_exception, relative
from sirkbok.core.files import inside, write_atomic
from sirkbok.core.format import FORMULA_START
from sirkbok.datapackage import checks, wording
from sirkbok.datapackage import descriptor as package
from sirkbok.datapackage.validate import validated_tables

TEMPLATE_FOLDER = "maler"  # where the site build puts one template per table (book.sphinx_ext)

TYPE_NAMES = {
    "string": "tekst",
    "integer": "heltall",
    "number": "tall (desimalkomma)",
    "date": "dato (ÅÅÅÅ-MM-DD)",
    "year": "årstall",
    "boolean": "sann/usann",
}
NUMBER_FORMATS = {
    "string": "@",
    "integer": "#,##0",
    "number": "General",
    "date": "yyyy-mm-dd",
    "year": "0",
    "boolean": "General",
}
EXTRA_ROWS = 200  # drop-down lists also cover this many empty rows for new data
LISTS_SHEET = "Lister"
HELP_SHEET = "Forklaring"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--table",
        required=True,
        metavar="TABELL",
        help="Tabellen i data/, for eksempel kommuner (samme valg som i sirkbok import).",
    )
    parser.add_argument(
        "--out",
        metavar="FIL",
        default=None,
        help="Hvor malen skal lagres (standard: TABELL.xlsx i mappa du står i).",
    )
    parser.add_argument(
        "--empty", action="store_true", help="Lag malen uten dagens rader (for helt nye data)."
    )


def run(args: argparse.Namespace) -> int:
    out = Path(args.out) if args.out else Path.cwd() / f"{args.table}.xlsx"
    if out.suffix.lower() != ".xlsx":
        raise UserError(
            Problem(
                file=str(out),
                message="Malen må lagres som .xlsx.",
                found=out.suffix or "ingen filendelse",
                expected=".xlsx",
            )
        )
    if out.exists():
        raise UserError(
            Problem(
                file=str(out),
                message=(
                    "Filen finnes allerede, og malen skriver ikke over den. Slett den eller "
                    "velg et annet navn med --out."
                ),
            )
        )
    rows = write_template(args.table, out, prefill=not args.empty)
    shown = relative(out, Path.cwd())
    print(f"Laget {shown} for tabellen {args.table} ({rows} rader fylt inn).")
    print("\nNeste steg:")
    print(
        f"  1. Åpne {shown} i Excel, rett eller legg til rader i arket «{args.table}». "
        f"Arket «{HELP_SHEET}» forklarer hver kolonne."
    )
    print("  2. Lagre som Excel-arbeidsbok (.xlsx).")
    print(
        f"  3. Se hva som endres: `.venv/bin/sirkbok import {shown} --table {args.table}`, "
        "og skriv det med --yes."
    )
    print(
        "  4. Sjekk boka med `.venv/bin/sirkbok check`, og send endringen som et endringsforslag."
    )
    return 0


def _cell(value: Any, field_type: str) -> Any:
    """A typed table value as an Excel cell value (missing -> empty cell)."""
    import pandas as pd

    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if field_type == "date":
        return pd.Timestamp(value).date()
    if field_type in ("integer", "year"):
        return int(value)
    if field_type == "number":
        return float(value)
    if field_type == "boolean":
        return bool(value)
    return str(value)


def header(field: dict) -> str:
    """`folketall (innbyggere)`: the field name, which `sirkbok import` reads, and its unit."""
    return f"{field['name']} ({field['unit']})" if field.get("unit") else field["name"]


def allowed_values(table: str, field: dict, descriptor: dict) -> tuple[list[str], str] | None:
    """The drop-down list for a field and where it comes from; None when any value may be typed."""
    enum = field.get("constraints", {}).get("enum")
    if enum:
        return [str(v) for v in enum], "fast liste"
    if field.get("isUnit"):
        return [u["name"] for u in descriptor.get("units", [])], "enhetslista i datapakken"
    for key in package.schema(table).get("foreignKeys", []):
        fields = key["fields"]
        if (fields if isinstance(fields, str) else fields[0]) == field["name"]:
            target = key["reference"]["resource"] or table
            column = key["reference"]["fields"]
            column = column if isinstance(column, str) else column[0]
            values = [str(v) for v in validated_tables()[target][column].dropna()]
            return values, f"«{column}» i tabellen {target}"
    return None


def write_template(table: str, out: Path, prefill: bool = True) -> int:
    """Write the workbook atomically; returns how many rows were filled in."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    descriptor = package.descriptor()
    resource = package.resource(table)
    fields = resource["schema"]["fields"]
    unit_titles = {u["name"]: u.get("title", u["name"]) for u in descriptor.get("units", [])}
    frame = validated_tables()[table].copy() if prefill else None
    book = Workbook()
    sheet = book.worksheets[0]  # a new workbook has exactly one sheet
    sheet.title = table
    lists = book.create_sheet(LISTS_SHEET)
    help_sheet = book.create_sheet(HELP_SHEET, index=1)
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    last_row = 1 + (len(frame) if frame is not None else 0) + EXTRA_ROWS
    explanations = []
    for number, field in enumerate(fields, start=1):
        letter = get_column_letter(number)
        constraints = field.get("constraints", {})
        required = bool(constraints.get("required"))
        top = sheet.cell(row=1, column=number, value=header(field))
        top.font = bold
        if required:
            top.fill = required_fill
        if field.get("description") or field.get("title"):
            top.comment = Comment(field.get("description") or field["title"], "sirkbok")
        kind = field.get("type", "string")
        values = [] if frame is None else [_cell(v, kind) for v in frame[field["name"]].tolist()]
        _write_column(sheet, number, letter, values, NUMBER_FORMATS.get(kind, "General"))
        width = max([len(header(field))] + [len(str(v)) for v in values[:49] if v is not None])
        sheet.column_dimensions[letter].width = min(max(width + 2, 10), 60)
        allowed = allowed_values(table, field, descriptor)
        if allowed:
            values, origin = allowed
            lists.cell(row=1, column=number, value=field["name"]).font = bold
            for row, value in enumerate(values, start=2):
                lists.cell(row=row, column=number, value=value).number_format = "@"
            strict = origin == "fast liste" or origin.startswith("enhets")
            validation = DataValidation(
                type="list",
                allow_blank=not required,
                formula1=f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}",
                showErrorMessage=True,
                errorStyle="stop" if strict else "warning",
                errorTitle="Ukjent verdi",
                error=(
                    "Velg en verdi fra lista."
                    if strict
                    else f"Verdien står ikke i {origin}. Legg den inn der først, eller velg fra "
                    "lista."
                ),
            )
            validation.add(f"{letter}2:{letter}{last_row}")
            sheet.add_data_validation(validation)
        explanations.append(_explain(field, required, allowed, unit_titles))
    sheet.freeze_panes = "A2"
    lists.sheet_state = "hidden"
    _write_help(help_sheet, table, resource, explanations, bold)
    for cell in help_sheet["C"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for worksheet in book.worksheets:
        text_not_formula(worksheet)
    out = inside(out.parent, out.name)
    buffer = io.BytesIO()
    try:  # the finished workbook moves into place in one step (0644, never half-written)
        book.save(buffer)
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out, buffer.getvalue())
    except OSError as error:  # a missing, read-only or full folder: named as the user wrote it
        named = OSError(error.errno, error.strerror, str(out))
        raise UserError(from_exception(named) or str(error)) from None
    return 0 if frame is None else len(frame)


def _write_column(
    sheet: Any, number: int, letter: str, values: list[Any], number_format: str
) -> None:
    """The column's values from row 2, each in the column's number format. Rows typed in later get
    the format from the column's default style (`<col style>`, which Excel and LibreOffice give
    every cell not yet in the file) instead of one styled empty cell per row: that made most of
    the cells and of the time it takes to write a template. "General" is every cell's default."""
    for row, value in enumerate(values, start=2):
        cell = sheet.cell(row=row, column=number, value=value)
        if number_format != "General":
            cell.number_format = number_format
    if number_format != "General":
        sheet.column_dimensions[letter].number_format = number_format


def text_not_formula(worksheet: Any) -> None:
    """Every text cell stays text: openpyxl makes `=…` a live formula, so such cells are set back
    to strings, and formula-like text gets Excel's quote prefix (shown as typed, never evaluated,
    also after the user edits the cell). `sirkbok import` reads the text back unchanged."""
    for row in worksheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                if cell.data_type == "f":
                    cell.data_type = "s"
                if cell.value.startswith(FORMULA_START):
                    cell.quotePrefix = True


def _explain(
    field: dict, required: bool, allowed: tuple[list[str], str] | None, unit_titles: dict[str, str]
) -> list[str]:
    constraints = field.get("constraints", {})
    rules = []
    if allowed:
        values, origin = allowed
        shown = ", ".join(values[:12]) + (" …" if len(values) > 12 else "")
        rules.append(f"velg fra nedtrekkslista ({origin}): {shown}")
    if "pattern" in constraints:
        rules.append(f"mønster {constraints['pattern']}")
    in_words = wording.bounds(field)
    if in_words:
        rules.append(in_words)
    unit = field.get("unit")
    description = " – ".join(t for t in (field.get("title"), field.get("description")) if t)
    return [
        header(field),
        description,
        TYPE_NAMES.get(field.get("type", "string"), "tekst"),
        f"{unit} ({unit_titles[unit]})" if unit in unit_titles else (unit or ""),
        "ja" if required else "nei",
        "; ".join(rules),
    ]


def _write_help(sheet: Any, table: str, resource: dict, rows: list[list[str]], bold: Any) -> None:
    sheet.append([f"Mal for tabellen «{table}»: {resource.get('title', table)}"])
    sheet["A1"].font = bold
    if resource.get("description"):
        sheet.append([resource["description"]])
    sheet.append(
        [
            f"Rett eller legg til rader i arket «{table}». Ikke endre overskriftene. Gule "
            "overskrifter må fylles ut. Tall skrives som tall, datoer som ÅÅÅÅ-MM-DD. Et "
            "tall vi ikke kjenner, står tomt med status «mangler»: ikke gjett."
        ]
    )
    for rule in _table_rules(resource):
        sheet.append([rule])
    sheet.append(
        [
            f"Lagret? Kjør `sirkbok import FIL.xlsx --table {table}` for å se endringene, "
            "og skriv dem med --yes."
        ]
    )
    sheet.append([])
    sheet.append(["Kolonne", "Beskrivelse", "Type", "Enhet", "Påkrevd", "Tillatte verdier"])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for row in rows:
        sheet.append(row)
    for letter, width in zip("ABCDEF", (28, 60, 20, 28, 10, 60), strict=True):
        sheet.column_dimensions[letter].width = width


def _table_rules(resource: dict) -> list[str]:
    """The package's row rules for this table, in words (the same words as the data register)."""
    rules = [checks.describe(check).capitalize() + "." for check in resource.get("checks", [])]
    key = resource["schema"].get("primaryKey")
    if key:
        names = ", ".join([key] if isinstance(key, str) else key)
        rules.append(f"Hver rad kjennes igjen på {names}: endrer du den, blir det en ny rad.")
    return rules
