"""The data package's descriptor, data/datapackage.json: parsed once, pandas-free.

Every layer that needs the package's shape (tables, schemas, units, paths) reads it here, so there
is one parser and one set of messages for a missing or broken descriptor.
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any

from sirkbok.core import context
from sirkbok.core.errors import Problem, UserError
from sirkbok.core.files import inside, not_plain
from sirkbok.datapackage import profile
from sirkbok.datapackage.textcsv import check_size

DESCRIPTOR = "datapackage.json"


def package_file(data_dir: Path | None = None) -> Path:
    return (data_dir or context.current().data_dir) / DESCRIPTOR


def descriptor(data_dir: Path | None = None) -> dict:
    """The parsed data/datapackage.json (kept on the current Book until the file changes)."""
    path = package_file(data_dir)
    linked = not_plain(path, path.parent.parent)  # never read through a link
    if linked:
        raise UserError(linked)
    try:
        stamp = (str(path), path.stat().st_mtime_ns)
    except FileNotFoundError:
        raise UserError(
            Problem(file=str(path), message="Datapakken mangler beskrivelsen datapackage.json.")
        ) from None
    return context.current().memo(f"descriptor {path}", stamp, lambda: _read(path))


def _read(path: Path) -> dict:
    """The descriptor parsed and checked against its profiles (`profile`), or a UserError."""

    label = f"data/{DESCRIPTOR}"
    too_large = check_size(path, label)
    if too_large:
        raise UserError(too_large)

    def no_constant(name: str) -> Any:  # Python's json reads NaN and Infinity; JSON has neither
        raise UserError(
            Problem(
                file=label,
                message=f"Beskrivelsen inneholder «{name}», som ikke er gyldig JSON.",
                expected="endelige tall, for eksempel 400000",
            )
        )

    try:
        data = json.loads(path.read_text(encoding="utf-8"), parse_constant=no_constant)
    except json.JSONDecodeError as error:
        raise UserError(
            Problem(file=str(path), line=error.lineno, message=f"Ugyldig JSON: {error.msg}.")
        ) from None
    except RecursionError:
        raise UserError(
            Problem(
                file=label,
                message="Beskrivelsen er nøstet for dypt til å leses.",
                expected=f"høyst {profile.MAX_DEPTH} nivåer med lister og objekter inni hverandre",
            )
        ) from None
    problems = profile.problems(data, label)
    if problems:
        raise UserError(problems)
    return data


def table_names(data_dir: Path | None = None) -> list[str]:
    """The tables (resource names) in descriptor order."""
    return [resource["name"] for resource in descriptor(data_dir)["resources"]]


def resource(table: str, data_dir: Path | None = None) -> dict:
    """The resource entry for one table; unknown names are a user error listing the known ones."""
    for entry in descriptor(data_dir)["resources"]:
        if entry["name"] == table:
            return entry
    known = ", ".join(table_names(data_dir))
    raise UserError(
        Problem(
            file=f"data/{DESCRIPTOR}",
            message="Ukjent tabell.",
            found=table,
            expected=f"en av: {known}",
        )
    )


def schema(table: str, data_dir: Path | None = None) -> dict:
    """The Table Schema (fields, primaryKey, foreignKeys) of one table."""
    return resource(table, data_dir)["schema"]


def units(data_dir: Path | None = None) -> list[str]:
    """The one controlled list of units every `enhet` column is checked against."""
    return [unit["name"] for unit in descriptor(data_dir)["units"]]


def table_path(table: str, data_dir: Path | None = None) -> Path:
    return resource_path(resource(table, data_dir), data_dir)


def resource_path(entry: dict, data_dir: Path | None = None) -> Path:
    """A resource's file, refused unless it is a plain .csv inside data/ (no `..`, no symlink out)."""
    folder = data_dir or context.current().data_dir
    path = str(entry.get("path", ""))
    if not path.endswith(".csv") or "\\" in path:
        raise UserError(
            Problem(
                file=f"data/{DESCRIPTOR}",
                message=f"Tabellen «{entry.get('name')}» har en ugyldig sti.",
                found=path,
                expected="et filnavn som slutter på .csv, inne i data/",
            )
        )
    try:
        return inside(folder, path)
    except UserError:
        raise UserError(
            Problem(
                file=f"data/{DESCRIPTOR}",
                message=f"Tabellen «{entry.get('name')}» peker ut av data/.",
                found=path,
                expected="et filnavn inne i data/, for eksempel kommuner.csv",
            )
        ) from None


def last_updated(data_dir: Path | None = None) -> _dt.date:
    """The date the book's knowledge is as of (`sist_oppdatert` in datapackage.json): one place.

    Text about proposals says «vedtak ikke kjent per <date>», so it cannot go stale unnoticed.
    """
    value = descriptor(data_dir).get("sist_oppdatert")
    try:
        return _dt.date.fromisoformat(str(value))
    except ValueError:
        raise UserError(
            Problem(
                file=f"data/{DESCRIPTOR}",
                column="sist_oppdatert",
                message="Datoen boka sist ble oppdatert, mangler eller er ugyldig.",
                found=str(value),
                expected="en dato på formen ÅÅÅÅ-MM-DD",
            )
        ) from None
