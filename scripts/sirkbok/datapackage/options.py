"""The options of each row rule under a resource's "checks", typed, and checked before any rule runs.

A rule reads its options as `check["fields"]`, `check["source"]` …; a missing or misspelt option
used to end in a KeyError («Uventet feil»). Each rule's options are a TypedDict here, and the rules
(`row_rules`, `table_rules`) and their sentences (`checks.RULES`) take them typed, so mypy checks
every key they read. `problems` checks each rule in the descriptor against its TypedDict once, when
the descriptor is read (`profile`): every required option there, of the right type, every column it
names a column of the table, no unknown option. The answer is Norwegian and names the file, the
table, the rule and the option, what was found and what was expected.
"""

# No `from __future__ import annotations`: Python 3.11 reads NotRequired only from real annotations.
import json
from typing import Any, NewType, NotRequired, TypedDict, get_type_hints

from sirkbok.core.errors import Problem

Column = NewType("Column", str)  # the name of a column in the same table


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
    fields: list[Column]
    unitField: Column
    unit: str


class RangeCheck(TypedDict):
    low: Column
    value: Column
    high: Column


class MethodCheck(TypedDict):
    status: Column
    value: str
    method: Column


class DateOrderCheck(TypedDict):
    start: Column
    end: Column


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
    value: Column
    unitField: Column
    year: Column


class RegionTotalCheck(TypedDict):
    value: Column
    region: Column
    municipality: Column
    groupBy: list[Column]


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


def _columns(resource: dict) -> set[str]:
    return {field["name"] for field in resource["schema"]["fields"]}


def _wrong(value: Any, hint: Any, columns: set[str], resources: dict[str, dict]) -> str | None:
    """Why `value` does not fit `hint` (in Norwegian), or None when it does."""
    if hint is Column:
        if not isinstance(value, str):
            return "et kolonnenavn (tekst)"
        return None if value in columns else "en kolonne i tabellen: " + ", ".join(sorted(columns))
    if hint == list[Column] or hint == list[str]:
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            return "en ikke-tom liste med tekster"
        if hint == list[Column]:
            unknown = [v for v in value if v not in columns]
            if unknown:
                return "kolonner i tabellen: " + ", ".join(sorted(columns))
        return None
    if hint is Reference:
        name = value.get("resource") if isinstance(value, dict) else None
        target = resources.get(name) if isinstance(name, str) else None
        if target is None:
            return '{"resource": en tabell i datapakken, "fields": en kolonne i den}'
        column = value.get("fields")
        if not isinstance(column, str) or column not in _columns(target):
            return f"en kolonne i tabellen «{name}» under «fields»"
        return None
    return None if isinstance(value, str) else "en tekst"


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
    return [
        Problem(
            file=label,
            message=f"I «{where}.{key}» (kontrollen «{kind}»): {message}",
            found=value,
            expected=expected,
        )
        for key, message, value, expected in found
    ]


def shown(value: Any) -> str:
    """An option's value as written in the descriptor (JSON; a text bare), cut short."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:79] + "…"
