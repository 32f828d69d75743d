"""Check an SSB response against its declared table and pick the book's values out of it.

Everything a response could do wrong is a refusal naming the table and the dimension (in
Norwegian), raised before anything is written: another table, a missing or unexpected dimension,
other region or measure codes, another unit, more than one period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sirkbok.core.errors import Problem, UserError
from sirkbok.update import jsonstat
from sirkbok.update.ssb_tables import METRIC, PERIOD, REGION, SYMBOLS, Table

YEAR = re.compile(r"^[0-9]{4}$")
# The table title goes into kilder.csv and the bibliography: plain text only, of a sane length.
PLAIN = re.compile(r"^[^\x00-\x1f\x7f{}\\<>`|\[\]]+$")
MAX_LABEL = 300
MISSING = ("..", ":", ".")  # symbols that mean there is no number to write
# A summed-away dimension may come back with one category: accepted only when that is the whole
# (its label says so), never a part such as one sex or one age group.
TOTALS = ("i alt", "totalt", "total", "sum", "begge kjønn", "alle ")


@dataclass(frozen=True)
class Value:
    municipality: str
    value: float | None
    status: str | None  # SSB's symbol when the value is missing or confidential

    @property
    def explained(self) -> str:
        """The symbol and its meaning; an unknown symbol is named as such, never echoed."""
        if self.status in SYMBOLS:
            return f"«{self.status}» ({SYMBOLS[self.status]})"
        return "et tegn som ikke er blant SSBs standardtegn"


@dataclass(frozen=True)
class Answer:
    table: Table
    label: str
    updated: str
    period: str
    values: tuple[Value, ...]


def _refuse(table: Table, dimension: str | None, message: str, found: str, expected: str) -> None:
    where = f"SSB-tabell {table.id}" + (f", dimensjon «{dimension}»" if dimension else "")
    raise UserError(
        Problem(
            file=where,
            message=f"{message} Svaret er avvist, og ingenting er skrevet.",
            found=found,
            expected=expected,
        )
    )


def _codes(codes: tuple[str, ...] | list[str]) -> str:
    return ", ".join(codes) if codes else "ingen"


def check(table: Table, doc: object, municipalities: list[str]) -> Answer:
    """The values of `municipalities` for the latest period, or a refusal (UserError)."""
    try:
        data = jsonstat.read(doc)
    except jsonstat.FormatError as error:
        _refuse(table, None, f"Svaret er ikke gyldig JSON-stat 2.0: {error}", "", "JSON-stat 2.0")
        raise AssertionError from error  # unreachable: _refuse raises
    if not data.label.startswith(f"{table.id}:"):
        _refuse(table, None, "Svaret gjelder en annen tabell.", data.label[:80], f"«{table.id}: …»")
    if len(data.label) > MAX_LABEL or not PLAIN.match(data.label):
        _refuse(
            table,
            None,
            "Tabelltittelen i svaret har tegn eller en lengde en SSB-tittel ikke har.",
            data.label[:80],
            f"vanlig tekst på høyst {MAX_LABEL} tegn",
        )
    required = (REGION, METRIC, PERIOD)
    for name in required:
        if data.dimension(name) is None:
            _refuse(table, name, "Dimensjonen mangler i svaret.", "", f"dimensjonen «{name}»")
    for dimension in data.dimensions:
        if dimension.name in required:
            continue
        if dimension.name not in table.eliminated:
            _refuse(
                table,
                dimension.name,
                "Svaret har en dimensjon tabellen ikke er deklarert med.",
                dimension.name,
                _codes([*required, *table.eliminated]),
            )
        labels = [dimension.labels.get(code, code).lower() for code in dimension.codes]
        if len(labels) != 1 or not labels[0].startswith(TOTALS):
            _refuse(
                table,
                dimension.name,
                "Dimensjonen skulle vært summert bort, men svaret har en del av den, ikke summen.",
                _codes([dimension.labels.get(code, code) for code in dimension.codes]),
                "at dimensjonen mangler, eller én kategori som er summen (f.eks. «I alt»)",
            )
    region = data.dimension(REGION)
    metric = data.dimension(METRIC)
    period = data.dimension(PERIOD)
    assert region and metric and period
    if sorted(region.codes) != sorted(municipalities):
        _refuse(
            table,
            REGION,
            "Svaret har andre kommunenumre enn de boka spør etter.",
            _codes(sorted(region.codes)),
            _codes(sorted(municipalities)),
        )
    if metric.codes != (table.metric,):
        _refuse(table, METRIC, "Svaret har et annet mål.", _codes(metric.codes), table.metric)
    unit = metric.units.get(table.metric)
    if unit != table.unit:
        _refuse(table, METRIC, "Svaret har en annen enhet.", unit or "ingen enhet", table.unit)
    if len(period.codes) != 1 or not YEAR.match(period.codes[0]):
        _refuse(
            table, PERIOD, "Svaret skal ha nøyaktig ett år.", _codes(period.codes), "ett årstall"
        )
    values = {
        cell.codes[REGION]: Value(
            cell.codes[REGION], None if cell.status in MISSING else cell.value, cell.status
        )
        for cell in data.cells
    }
    for found in values.values():
        if found.value is None and found.status is None:
            _refuse(
                table,
                REGION,
                f"Kommune {found.municipality} har verken tall eller SSB-tegn.",
                "null",
                "et tall eller et tegn i «status»",
            )
        if found.value is not None and found.value < 0:
            _refuse(table, REGION, "Et tall er negativt.", str(found.value), "0 eller mer")
    return Answer(
        table=table,
        label=data.label,
        updated=data.updated,
        period=period.codes[0],
        values=tuple(values[code] for code in municipalities),
    )
