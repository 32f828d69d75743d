"""The data package's own row rules: one registry, one function and one Norwegian sentence per kind.

A resource lists its rules under "checks" in data/datapackage.json. `sirkbok validate` runs them,
the data register (data/README.md) and the Excel template's explanation sheet describe them, all
from `RULES`, so a new kind of rule is one entry here, its options in `options` and its function in
`row_rules` (a row on its own) or `table_rules` (rows against rows or other tables). Every rule
works on whole columns at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sirkbok.core.errors import Problem
from sirkbok.datapackage import row_rules, table_rules
from sirkbok.datapackage.frames import Table

OptionsT = TypeVar("OptionsT")


@dataclass(frozen=True)
class Rule(Generic[OptionsT]):
    """How a kind of rule runs on its options `OptionsT` (a TypedDict in `options`), and how it reads."""

    run: Callable[[OptionsT, Table], list[Problem]]
    describe: Callable[[OptionsT], str]


def rule(
    run: Callable[[OptionsT, Table], list[Problem]], describe: Callable[[OptionsT], str]
) -> Rule[Any]:
    """A registry entry; mypy checks `describe` against the options `run` takes."""
    return Rule(run, describe)


RULES: dict[str, Rule[Any]] = {
    "source": rule(
        row_rules.source,
        lambda c: f"rader med tall i {', '.join(c['fields'])} må ha kilde i «{c['source']}»",
    ),
    "status": rule(
        row_rules.status,
        lambda c: f"«{c['status']}» er «mangler» nøyaktig når {', '.join(c['fields'])} er tomme",
    ),
    "share": rule(
        row_rules.share, lambda c: f"verdier med enhet «{c['unit']}» ligger mellom 0 og 1"
    ),
    "range": rule(
        row_rules.value_range, lambda c: f"«{c['low']}» ≤ «{c['value']}» ≤ «{c['high']}»"
    ),
    "method": rule(
        row_rules.method, lambda c: f"rader med status «{c['value']}» oppgir «{c['method']}»"
    ),
    "dateOrder": rule(row_rules.date_order, lambda c: f"«{c['end']}» er ikke før «{c['start']}»"),
    "anyOf": rule(
        row_rules.any_of,
        lambda c: "minst én av " + " og ".join(f"«{f}»" for f in c["fields"]) + " er fylt ut",
    ),
    "unique": rule(table_rules.unique, lambda c: f"«{c['fields'][0]}» er unik"),
    "listForeignKey": rule(
        table_rules.list_foreign_key,
        lambda c: (
            f"hvert element i «{c['field']}» finnes i «{c['reference']['resource']}.{c['reference']['fields']}»"
        ),
    ),
    "regionMatch": rule(
        table_rules.region_match,
        lambda c: f"«{c['municipality']}» ligger i regionen i «{c['region']}»",
    ),
    "reference": rule(
        row_rules.reference,
        lambda c: (
            "hver kilde har en adresse eller en fullstendig trykt referanse (tittel, utgiver eller forfatter, år, side eller tabell)"
        ),
    ),
    "measuredNotComputed": rule(
        row_rules.measured_not_computed,
        lambda c: "en verdi med status «målt» er ikke regnet ut (da er den et estimat med metode)",
    ),
    "capacity": rule(
        table_rules.capacity,
        lambda c: (
            f"«{c['throughput']}» er ikke større enn «{c['capacity']}» for samme aktør, enhet og år"
        ),
    ),
    "regionTotal": rule(
        table_rules.region_total,
        lambda c: f"en regionsum i «{c['value']}» er lik summen av regionens kommuner",
    ),
}


def run(check: dict, table: Table) -> list[Problem]:
    """Apply one rule from the descriptor. Its kind and options were checked when the descriptor
    was read (`options.problems`), so `check` is the TypedDict its rule takes."""
    return RULES[check["type"]].run(check, table)


def describe(check: dict) -> str:
    """The rule in one Norwegian phrase, for the data register and the Excel template."""
    return RULES[check["type"]].describe(check)
