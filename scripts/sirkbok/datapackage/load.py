"""The data package in data/: descriptor, schemas and the loader notebooks use instead of paths.

`load(table)` returns a validated, typed DataFrame (Int64/Float64/string/datetime/boolean, missing =
<NA>): the whole package is validated once per process and again only when a file in data/ changes,
so a notebook can never compute on a table that breaks a key, a unit or a source rule.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import pandas as pd

from sirkbok.core import context
from sirkbok.core.context import Book
from sirkbok.core.errors import Problem, UserError
from sirkbok.datapackage.descriptor import (
    descriptor,
    last_updated,
    package_file,
    resource,
    schema,
    table_names,
    table_path,
    units,
)
from sirkbok.datapackage.validate import package_stamp, validated_tables

T = TypeVar("T")

__all__ = [
    "Factor",
    "derived",
    "descriptor",
    "factor",
    "last_updated",
    "load",
    "package_file",
    "resource",
    "schema",
    "table_names",
    "table_path",
    "validated_tables",
    "units",
]


def _declared_tables_guard(book: Book, table: str) -> None:
    """A notebook may read only the tables it declares, so `sirkbok regenerate` knows its inputs."""
    allowed = book.tables
    if allowed is None:
        return
    if table not in allowed:
        raise UserError(
            Problem(
                file=book.notebook or "notatboka",
                message=f"Notatboka leser tabellen «{table}» uten å ha oppgitt den i metadataene "
                "(«sirkbok»: {«tables»: [...]}).",
                found=", ".join(sorted(allowed)) or "ingen tabeller",
                expected=f"at «{table}» står i listen over tabeller i notatbokas metadata",
            )
        )


def load(table: str, book: Book | None = None) -> pd.DataFrame:
    """The validated, typed table `table` of `book` (default: the current Book), a copy: callers
    may change it freely."""
    book = book or context.current()
    _declared_tables_guard(book, table)
    resource(table, book.data_dir)  # unknown names give the list of known tables
    return validated_tables(book.data_dir, book)[table].copy()


def derived(key: str, compute: Callable[[], T], book: Book | None = None) -> T:
    """`compute()`, a value made from the tables, kept on `book` (default: the current Book) until
    a file in data/ changes: for a lookup a page asks for once per row."""
    book = book or context.current()
    return book.memo(key, package_stamp(book.data_dir), compute)


@dataclass(frozen=True)
class Factor:
    """One conversion or emission factor with its range, unit, source and grade."""

    id: str
    name: str
    value: float | None
    low: float | None
    high: float | None
    unit: str
    source: str
    year: int | None
    grade: str
    status: str
    method: str | None
    note: str | None


def _optional(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def one_row(
    table: str,
    column: str,
    key: str,
    unknown: str,
    expected: str,
    frame: pd.DataFrame | None = None,
) -> pd.Series:
    """The row of `table` whose `column` is `key`; an unknown key is the user's error, naming the
    table, the column and the key. `frame`: the table already loaded, or computed row by row from
    it (a theme's figures per municipality), looked up instead of loading the table again."""
    frame = load(table) if frame is None else frame
    match = frame[frame[column] == key]
    if match.empty:
        raise UserError(
            Problem(
                file=f"data/{table}.csv",
                column=column,
                message=unknown,
                found=key,
                expected=f"{expected} fra data/{table}.csv",
            )
        )
    return match.iloc[0]


def factor(factor_id: str) -> Factor:
    """The factor `factor_id` from faktorer.csv; `value` is None when only a range is given.

    The table is read once per data package (`derived`): every theme parameter asks for one."""
    factors = derived("factors", _factors)
    if factor_id not in factors:
        one_row("faktorer", "id", factor_id, "Ukjent faktor.", "en id")  # raises, naming the id
    return factors[factor_id]


def _factors() -> dict[str, Factor]:
    frame = load("faktorer")
    found: dict[str, Factor] = {}
    for position in range(len(frame)):
        row = frame.iloc[position]
        found.setdefault(str(row["id"]), _factor(row))
    return found


def _factor(row: pd.Series) -> Factor:
    def number(column: str) -> float | None:
        value = _optional(row[column])
        return None if value is None else float(value)

    year = _optional(row["aar"])
    return Factor(
        id=str(row["id"]),
        name=str(row["navn"]),
        value=number("verdi"),
        low=number("lav"),
        high=number("hoy"),
        unit=str(row["enhet"]),
        source=str(row["kilde"]),
        year=None if year is None else int(year),
        grade=str(row["kildegrad"]),
        status=str(row["status"]),
        method=_optional(row["metode"]),
        note=_optional(row["merknad"]),
    )
