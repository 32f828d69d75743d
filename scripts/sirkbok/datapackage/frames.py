"""A table as the validator and its rules see it, and the problems they report per row.

`Source` is a table's text as read (`textcsv`), `Table` what a rule from `checks` gets: the text,
the typed values and the package's other tables. `row_problems` turns a column of True/False into
problems, kept few however many rows are wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sirkbok.core.errors import Problem

if TYPE_CHECKING:
    import pandas as pd

KEPT = 50  # problems kept per rule and column (as many as are ever printed); the rest are counted


@dataclass
class Source:
    """A table's text as read: string cells ("" = empty), index = spreadsheet line, and a label."""

    frame: pd.DataFrame
    label: str


@dataclass(frozen=True)
class Table:
    """What a rule sees: one table's text and typed values, and the package's other tables."""

    raw: pd.DataFrame
    values: pd.DataFrame
    label: str
    sources: dict[str, Source]
    resources: dict[str, dict]


def row_problems(
    mask: pd.Series, values: pd.Series, label: str, column: str, message: str, expected: str | None
) -> list[Problem]:
    """One Problem per True in `mask` (index = line), the first KEPT of them; the last one kept
    counts the rest (`repeats`), so a million bad rows cost a few problems, not gigabytes."""
    hits = values[mask]
    problems = [
        Problem(label, message, int(line), column, str(value), expected)
        for line, value in hits.iloc[:KEPT].items()
    ]
    if len(hits) > KEPT:
        problems[-1] = replace(problems[-1], repeats=len(hits) - KEPT)
    return problems


def any_value(frame: pd.DataFrame, fields: Sequence[str]) -> pd.Series:
    """True for each row with a value in any of `fields`."""
    return (frame[list(fields)] != "").any(axis=1)
