"""`sirkbok import FILE --table NAME`: bring a Norwegian spreadsheet into the data package safely.

Accepts a CSV saved by Norwegian Excel (semicolons, decimal comma, Windows-1252 or UTF-8 with BOM),
a plain UTF-8 CSV with commas, and .xlsx (read by `sheets`). The schema's field type decides how each cell is read, so
a number is never guessed: `1,5` is 1.5 in a semicolon file, and `1.234` there is refused because it
could mean 1234 or 1,234. The result is validated together with the rest of the package, shown as
rows added, changed and removed by primary key, and written as canonical UTF-8 CSV (temp file +
rename) only when it validates and the user confirms (--yes, or an answer on a terminal).
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import re
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sirkbok.core import context, locks
from sirkbok.core.errors import Problem, UserError
from sirkbok.core.files import clean_temporary, write_atomic
from sirkbok.datapackage import descriptor, validate
from sirkbok.datapackage.frames import Source
from sirkbok.datapackage.sheets import Sheet, read_csv_sheet, read_xlsx_sheet
from sirkbok.datapackage.textcsv import header_problems, read_text_table, shape_problems

if TYPE_CHECKING:
    import pandas as pd

SPACES = "\u00a0\u202f\u2009 "
GROUPED = re.compile(r"-?\d{1,3}(?:[ ]\d{3})+(?:[.,]\d+)?")
NORWEGIAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
BOOLEANS = {
    "true": "true",
    "false": "false",
    "sann": "true",
    "usann": "false",
    "ja": "true",
    "nei": "false",
    "1": "true",
    "0": "false",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", metavar="FIL", help="Regnearket: CSV (semikolon eller komma) eller .xlsx."
    )
    parser.add_argument(
        "--table",
        required=True,
        metavar="TABELL",
        help="Tabellen i data/ som filen skal erstatte, f.eks. ressursstrommer.",
    )
    parser.add_argument(
        "--yes", action="store_true", help="Skriv tabellen uten å spørre når den er gyldig."
    )


def format_number(value: float) -> str:
    """Shortest text that reads back as the same number: 45000.0 -> 45000, 0.3 -> 0.3."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def canonical_number(text: str) -> str:
    """`0.30` -> `0.3`, `45000.0` -> `45000`: one spelling per number so diffs show real changes."""
    if "." in text and "e" not in text.lower():
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _number_cell(value: Any, kind: str, decimal_comma: bool) -> tuple[str, str | None]:
    """A number cell as canonical text, or an explanation of why it cannot be read safely."""
    if isinstance(value, bool):
        return str(value), "en sannhetsverdi i et tallfelt"
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return "", None
        if isinstance(value, float) and math.isinf(value):
            return str(value), "et uendelig tall"
        return canonical_number(format_number(value)), None
    text = str(value).strip().replace("\u2212", "-")
    if GROUPED.fullmatch(text.replace("\u00a0", " ").replace("\u202f", " ")):
        text = re.sub(f"[{SPACES}]", "", text)
    if decimal_comma:
        if "." in text:
            return text, (
                "punktum i et tall i en fil med desimalkomma: det kan bety tusenskille "
                "eller desimaltegn"
            )
        text = text.replace(",", ".")
    elif "," in text:
        return text, (
            "komma i et tall i en fil med komma som skilletegn: det kan bety tusenskille "
            "eller desimaltegn"
        )
    if kind == "number" and re.fullmatch(r"-?\d+(\.\d+)?", text):
        text = canonical_number(text)
    return text, None


def _date_cell(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    text = str(value).strip()
    match = NORWEGIAN_DATE.fullmatch(text)
    if match:
        day, month, year = match.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return text


def _text_cell(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def normalise(sheet: Sheet, schema: dict[str, Any]) -> pd.DataFrame:
    """The sheet as canonical text cells in schema order (index = spreadsheet line), or refuse."""
    import pandas as pd

    fields = schema["fields"]
    names = [spec["name"] for spec in fields]
    # `sirkbok template` writes units after names: "folketall (innbyggere)" is folketall
    sheet.header = [h if h in names else re.sub(r"\s*\([^()]*\)$", "", h) for h in sheet.header]
    problems = header_problems(sheet.label, sheet.header, names)
    if not problems and sheet.delimiter:  # the header is right: now every row must fit it
        problems = shape_problems(sheet.header, sheet.rows, sheet.label, sheet.delimiter)
    if problems:
        raise UserError(problems)
    position = {name: sheet.header.index(name) for name in names}
    kinds = {spec["name"]: spec.get("type", "string") for spec in fields}
    lines, cells = [], []
    comma_lines: list[int] = []
    for line, record in sheet.rows:
        values = [None if (i >= len(record)) else record[i] for i in range(len(sheet.header))]
        if all(v is None or str(v).strip() == "" for v in values):
            continue  # blank rows that spreadsheets leave behind
        row = []
        for name in names:
            value = values[position[name]]
            kind = kinds[name]
            if value is None or (isinstance(value, str) and value.strip() == ""):
                row.append("")
            elif kind in ("number", "integer", "year"):
                text, why = _number_cell(value, kind, sheet.decimal_comma)
                if why:
                    problems.append(
                        Problem(
                            file=sheet.label,
                            line=line,
                            column=name,
                            message=f"Tallet kan ikke leses sikkert ({why}).",
                            found=str(value),
                            expected="desimalkomma uten tusenskille (f.eks. 1234,5) i filer med "
                            "semikolon, desimalpunktum (f.eks. 1234.5) i filer med komma",
                        )
                    )
                if isinstance(value, str) and "," in value:
                    comma_lines.append(line)
                row.append(text)
            elif kind == "date":
                row.append(_date_cell(value))
            elif kind == "boolean":
                text = _text_cell(value).lower()
                row.append(BOOLEANS.get(text, text))
            else:
                row.append(_text_cell(value))
        lines.append(line)
        cells.append(row)
    if problems and comma_lines and sheet.decimal_comma:
        problems.insert(
            0,
            Problem(
                file=sheet.label,
                message=f"Filen bruker både desimalkomma (f.eks. linje "
                f"{comma_lines[0]}) og punktum i tall.",
                expected="bare desimalkomma, uten punktum som tusenskille",
            ),
        )
    if problems:
        raise UserError(problems)
    return pd.DataFrame(cells, columns=names, index=lines, dtype=object).astype(str)


def canonical_csv(frame: pd.DataFrame, schema: dict[str, Any]) -> str:
    """UTF-8 CSV text with commas, a header, LF line ends and one spelling per number."""
    names = [spec["name"] for spec in schema["fields"]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    kinds = {spec["name"]: spec.get("type", "string") for spec in schema["fields"]}
    numbers = [name for name in names if kinds[name] == "number"]
    frame = frame[names].copy()
    for name in numbers:
        frame[name] = frame[name].map(lambda text: canonical_number(text) if text else text)
    writer.writerows(frame.itertuples(index=False, name=None))
    return out.getvalue()


def diff(
    old: pd.DataFrame, new: pd.DataFrame, key: list[str], numbers: list[str]
) -> tuple[list[str], list[str], list[tuple[str, list[str]]]]:
    """Rows added, removed and changed (with `column: old → new`) by primary key."""

    def keyed(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        for name in numbers:
            frame[name] = frame[name].map(lambda text: canonical_number(text) if text else text)
        frame.index = frame[key].agg(" | ".join, axis=1) if len(key) > 1 else frame[key[0]]
        return frame

    old, new = keyed(old), keyed(new)
    added = [k for k in new.index if k not in old.index]
    removed = [k for k in old.index if k not in new.index]
    changed = []
    for k in new.index:
        if k not in old.index:
            continue
        before, after = old.loc[k], new.loc[k]
        columns = [
            f"{c}: «{before[c]}» → «{after[c]}»"
            for c in new.columns
            if c in old.columns and before[c] != after[c]
        ]
        if columns:
            changed.append((k, columns))
    return added, removed, changed


def key_problems(frame: pd.DataFrame, key: list[str], label: str) -> list[Problem]:
    """Rows of the imported file whose primary key is empty or repeats an earlier row's."""
    joined = frame[key].agg(" | ".join, axis=1)
    empty = (frame[key] == "").any(axis=1)
    first: dict[str, int] = {}
    problems = []
    for line, value in joined.items():
        if empty[line]:
            problems.append(
                Problem(
                    file=label,
                    line=int(line),
                    column=", ".join(key),
                    message="Nøkkelen mangler.",
                    expected="en verdi i " + " og ".join(key),
                )
            )
        elif value in first:
            problems.append(
                Problem(
                    file=label,
                    line=int(line),
                    column=", ".join(key),
                    message=f"Nøkkelen står allerede på linje {first[value]}.",
                    found=value,
                    expected="en unik nøkkel",
                )
            )
        else:
            first[value] = int(line)
    return problems


def _confirm(target: str) -> bool:
    try:
        answer = input(f"Skrive endringene til {target}? [j/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in {"j", "ja", "y", "yes"}


def run(args: argparse.Namespace) -> int:

    root = context.current().root
    with locks.data(root, write=True):  # validated and written with no one else in data/
        return _import(args)


def _import(args: argparse.Namespace) -> int:

    data_dir = context.current().data_dir
    clean_temporary(data_dir)  # what a killed import left behind
    source_path = Path(args.file)
    label = str(args.file)
    if not source_path.is_file():
        raise UserError(Problem(file=label, message="Filen finnes ikke."))
    schema = descriptor.schema(args.table, data_dir)
    target = descriptor.table_path(args.table, data_dir)
    target_label = f"data/{target.name}"
    if source_path.suffix.lower() in (".xlsx", ".xlsm"):
        sheet = read_xlsx_sheet(source_path, label, args.table)
    elif source_path.suffix.lower() in (".csv", ".txt", ".tsv"):
        sheet = read_csv_sheet(source_path, label)
    else:
        raise UserError(
            Problem(
                file=label,
                message="Ukjent filtype.",
                found=source_path.suffix,
                expected=".csv (fra Excel eller et redigeringsprogram) eller .xlsx",
            )
        )
    frame = normalise(sheet, schema)
    if frame.empty:
        raise UserError(
            Problem(
                file=label,
                message="Filen har ingen rader med data.",
                expected="minst én rad under overskriftslinjen",
            )
        )

    key = schema["primaryKey"]
    key = [key] if isinstance(key, str) else key
    own = key_problems(frame, key, label)
    if own:  # the diff pairs rows by key: it needs the file's own keys to be whole and unique
        own.append(
            Problem(file=label, message=f"Ingenting er skrevet til {target_label}: rett nøklene.")
        )
        raise UserError(own)
    old_source, _ = read_text_table(target, target_label)
    numbers = [spec["name"] for spec in schema["fields"] if spec.get("type") == "number"]
    if old_source is not None and list(old_source.frame.columns) == list(frame.columns):
        added, removed, changed = diff(old_source.frame, frame, key, numbers)
    else:
        added, removed, changed = list(frame[key[0]]), [], []
    print(
        f"Import av {label} til {target_label}: {len(added)} nye, {len(changed)} endrede og "
        f"{len(removed)} fjernede rader."
    )
    for k in added:
        print(f"  + {k}")
    for k, columns in changed:
        print(f"  ~ {k}: " + "; ".join(columns))
    for k in removed:
        print(f"  - {k}")

    result = validate.validate_package(data_dir, {args.table: Source(frame, label)})
    if result.problems:
        result.problems.append(
            Problem(
                file=label,
                message=f"Ingenting er skrevet til {target_label}: "
                "rett feilene over og importer på nytt.",
            )
        )
        raise UserError(result.problems)
    if not (added or removed or changed):
        print("Ingen endringer: tabellen er lik filen. Ingenting er skrevet.")
        return 0
    if not args.yes and not (sys.stdin.isatty() and _confirm(target_label)):
        print(f"Ingenting er skrevet. Kjør med --yes for å skrive {target_label}.")
        return 0
    write_atomic(target, canonical_csv(frame, schema))
    print(f"Skrev {target_label} ({len(frame)} rader). Datapakken er gyldig.")
    return 0
