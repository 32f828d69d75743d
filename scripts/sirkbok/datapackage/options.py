"""The options of each row rule under a resource's "checks", typed, and checked before any rule runs.

A rule reads its options as `check["fields"]`, `check["source"]` …; a missing or misspelt option
used to end in a KeyError («Uventet feil»). Each rule's options are a TypedDict here, and the rules
(`row_rules`, `table_rules`) and their sentences (`checks.RULES`) take them typed, so mypy checks
every key they read. `problems` checks each rule in the descriptor against its TypedDict once, when
the descriptor is read (`profile`): every required option there, of the right type, every column it
names a column of the table, no unknown option, and every column a rule reads by name (`READS`:
the municipalities' regions, a source's id) there. The answer is Norwegian and names the file, the
table, the rule and the option, what was found and what was expected.
"""

# No `from __future__ import annotations`: Python 3.11 reads NotRequired only from real annotations.
import json
from typing import Any, NewType, NotRequired, TypedDict, get_type_hints

from sirkbok.core.errors import Problem

Column = NewType("Column", str)  # the name of a column in the same table
Number = NewType("Number", str)  # a column of numbers (integer, number or year) in the same table
Day = NewType("Day", str)  # a column of dates in the same table

# What each kind of column may be, in the descriptor's field types and in words.
KINDS: dict[Any, tuple[set[str] | None, str]] = {
    Column: (None, "en kolonne"),
    Number: ({"integer", "number", "year"}, "en tallkolonne"),
    Day: ({"date"}, "en datokolonne"),
}


class Reference(TypedDict):
    resource: str
    fields: str


class SourceCheck(TypedDict):
    fields: list[Column]
    source: Column


class StatusCheck(TypedDict):
    fields: list[Column]
    status: Column


class ShareCheck(TypedDict):
    fields: list[Number]
    unitField: Column
    unit: str


class RangeCheck(TypedDict):
    low: Number
    value: Number
    high: Number


class MethodCheck(TypedDict):
    status: Column
    value: str
    method: Column


class DateOrderCheck(TypedDict):
    start: Day
    end: Day


class FieldsCheck(TypedDict):
    fields: list[Column]


class ListForeignKeyCheck(TypedDict):
    field: Column
    separator: str
    reference: Reference


class RegionMatchCheck(TypedDict):
    region: Column
    municipality: Column


class ReferenceCheck(TypedDict):
    url: Column
    printed: list[Column]
    publisher: list[Column]
    pending: NotRequired[list[str]]


class MeasuredCheck(TypedDict):
    status: Column
    fields: list[Column]
    method: NotRequired[Column]


class CapacityCheck(TypedDict):
    actor: Column
    measure: Column
    scope: Column
    scopeTotal: str
    throughput: str
    capacity: str
    value: Number
    unitField: Column
    year: Column


class RegionTotalCheck(TypedDict):
    value: Number
    region: Column
    municipality: Column
    groupBy: list[Column]


# What a rule reads by name besides its options: (table, column), None = the rule's own table.
MUNICIPALITIES, NUMBER, REGION, ID = "kommuner", "kommunenummer", "region", "id"
READS: dict[str, list[tuple[str | None, str]]] = {
    "regionMatch": [(MUNICIPALITIES, NUMBER), (MUNICIPALITIES, REGION)],
    "regionTotal": [(MUNICIPALITIES, NUMBER), (MUNICIPALITIES, REGION)],
    "reference": [(None, ID)],
}

COMMON = {"type", "description"}  # every rule may have these: its kind, and a note for people

# rule type -> its options (the same keys as checks.RULES; a test holds them together)
OPTIONS: dict[str, type] = {
    "source": SourceCheck,
    "status": StatusCheck,
    "share": ShareCheck,
    "range": RangeCheck,
    "method": MethodCheck,
    "dateOrder": DateOrderCheck,
    "anyOf": FieldsCheck,
    "unique": FieldsCheck,
    "listForeignKey": ListForeignKeyCheck,
    "regionMatch": RegionMatchCheck,
    "reference": ReferenceCheck,
    "measuredNotComputed": MeasuredCheck,
    "capacity": CapacityCheck,
    "regionTotal": RegionTotalCheck,
}


def _columns(resource: dict) -> dict[str, str]:
    """The table's columns and their field types."""
    return {field["name"]: field.get("type", "string") for field in resource["schema"]["fields"]}


def _wrong(
    value: Any, hint: Any, columns: dict[str, str], resources: dict[str, dict]
) -> str | None:
    """Why `value` does not fit `hint` (in Norwegian), or None when it does."""
    if hint in KINDS:
        if not isinstance(value, str):
            return "et kolonnenavn (tekst)"
        return _not_a(hint, [value], columns)
    item = getattr(hint, "__args__", (None,))[0]
    if item in KINDS or item is str:
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            return "en ikke-tom liste med tekster"
        return _not_a(item, value, columns) if item in KINDS else None
    if hint is Reference:
        name = value.get("resource") if isinstance(value, dict) else None
        target = resources.get(name) if isinstance(name, str) else None
        if target is None:
            return '{"resource": en tabell i datapakken, "fields": en kolonne i den}'
        column = value.get("fields")
        if not isinstance(column, str) or column not in _columns(target):
            return f"en kolonne i tabellen «{name}» under «fields»"
        return None
    return None if isinstance(value, str) and value else "en tekst som ikke er tom"


def _not_a(hint: Any, names: list[str], columns: dict[str, str]) -> str | None:
    """Which columns of the table would fit, when any name in `names` does not."""
    types, words = KINDS[hint]
    fitting = sorted(c for c, kind in columns.items() if types is None or kind in types)
    if all(name in fitting for name in names):
        return None
    return f"{words} i tabellen: " + ", ".join(fitting)


def problems(
    check: dict, resource: dict, resources: dict[str, dict], where: str, label: str
) -> list[Problem]:
    """What is wrong with one rule's options (empty when it can run)."""
    kind = check.get("type")
    spec = OPTIONS.get(kind) if isinstance(kind, str) else None
    if spec is None:
        return [
            Problem(
                file=label,
                message=f"I «{where}»: Ukjent kontrolltype.",
                found=str(kind),
                expected="en av: " + ", ".join(OPTIONS),
            )
        ]
    hints = get_type_hints(spec)
    required: frozenset[str] = getattr(spec, "__required_keys__", frozenset())
    columns = _columns(resource)
    found: list[tuple[str, str, str | None, str]] = []
    for key in sorted(set(check) - set(hints) - COMMON):
        found.append((key, "Ukjent valg for kontrollen.", key, ", ".join([*hints, *COMMON])))
    for key, hint in hints.items():
        if key not in check:
            if key in required:
                found.append((key, "Valget mangler.", None, f"valget «{key}»"))
            continue
        wrong = _wrong(check[key], hint, columns, resources)
        if wrong:
            found.append((key, "Valget har feil verdi.", shown(check[key]), wrong))
    for table, column in READS.get(str(kind), []):
        name = table or resource["name"]
        if column not in (_columns(resources[name]) if name in resources else ()):
            found.append(
                (
                    "",
                    f"Kontrollen leser kolonnen «{column}» i tabellen «{name}», som mangler.",
                    None,
                    f"tabellen «{name}» med kolonnen «{column}»",
                )
            )
    return [
        Problem(
            file=label,
            message=f"I «{where}{'.' + key if key else ''}» (kontrollen «{kind}»): {message}",
            found=value,
            expected=expected,
        )
        for key, message, value, expected in found
    ]


def shown(value: Any) -> str:
    """An option's value as written in the descriptor (JSON; a text bare), cut short."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:79] + "…"
