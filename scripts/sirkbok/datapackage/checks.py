"""The data package's own row rules: one registry, one function and one Norwegian sentence per kind.

A resource lists its rules under "checks" in data/datapackage.json. `sirkbok validate` runs them,
the data register (data/README.md) and the Excel template's explanation sheet describe them, all
from `RULES`, so a new kind of rule is one entry here. Every rule works on whole columns at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sirkbok.core.errors import Problem, UserError
from sirkbok.core.vocabulary import MISSING

if TYPE_CHECKING:
    import pandas as pd

STATUS_MISSING = MISSING
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


def limit(value: float, field_type: str) -> str:
    """A bound from the descriptor as people read it: `400 000`, `0,5`; a year stays `2100`."""
    from sirkbok.core.format import number

    if field_type == "year":
        return str(int(value))
    if float(value).is_integer():
        return number(value)
    return number(value, 6).rstrip("0")


def _any_value(frame: pd.DataFrame, fields: list[str]) -> pd.Series:
    return (frame[fields] != "").any(axis=1)


def _source(check: dict, table: Table) -> list[Problem]:
    raw = table.raw
    label = table.label
    missing = _any_value(raw, check["fields"]) & (raw[check["source"]] == "")
    return row_problems(
        missing,
        raw[check["source"]],
        label,
        check["source"],
        "Raden har tall, men ingen kilde.",
        "en kildenøkkel fra data/kilder.csv",
    )


def _status(check: dict, table: Table) -> list[Problem]:
    raw = table.raw
    label = table.label
    status, has_value = raw[check["status"]], _any_value(raw, check["fields"])
    fields = ", ".join(check["fields"])
    problems = row_problems(
        (status == STATUS_MISSING) & has_value,
        status,
        label,
        check["status"],
        f"Status er «mangler», men raden har verdi i {fields}.",
        "tom verdi når status er «mangler», ellers status «målt» eller «estimat»",
    )
    problems += row_problems(
        (status != STATUS_MISSING) & (status != "") & ~has_value,
        status,
        label,
        check["status"],
        f"Raden har ingen verdi i {fields}.",
        "status «mangler» når verdien er ukjent",
    )
    return problems


def _share(check: dict, table: Table) -> list[Problem]:
    raw = table.raw
    values = table.values
    label = table.label
    is_share = raw[check["unitField"]] == check["unit"]
    problems = []
    for column in check["fields"]:
        number = values[column]
        outside = is_share & ((number < 0) | (number > 1)).fillna(False).astype(bool)
        problems += row_problems(
            outside,
            raw[column],
            label,
            column,
            "En andel må ligge mellom 0 og 1.",
            "et tall fra 0 til 1 (f.eks. 0.65 for 65 %)",
        )
    return problems


def _range(check: dict, table: Table) -> list[Problem]:
    raw = table.raw
    values = table.values
    label = table.label
    low, value, high = (values[check[k]] for k in ("low", "value", "high"))
    problems = []
    for small, big, column, text in (
        (low, value, check["low"], "større enn verdien"),
        (value, high, check["high"], "mindre enn verdien"),
        (low, high, check["high"], "mindre enn den lave verdien"),
    ):
        wrong = (small > big).fillna(False).astype(bool)
        problems += row_problems(
            wrong, raw[column], label, column, f"Verdien er {text}.", "lav ≤ verdi ≤ høy"
        )
    return problems


def _method(check: dict, table: Table) -> list[Problem]:
    raw = table.raw
    label = table.label
    wrong = (raw[check["status"]] == check["value"]) & (raw[check["method"]] == "")
    return row_problems(
        wrong,
        raw[check["method"]],
        label,
        check["method"],
        "Et estimat må oppgi metoden.",
        "regnestykket på siterte verdier",
    )


def _date_order(check: dict, table: Table) -> list[Problem]:
    raw = table.raw
    values = table.values
    label = table.label
    wrong = (values[check["end"]] < values[check["start"]]).fillna(False).astype(bool)
    return row_problems(
        wrong,
        raw[check["end"]],
        label,
        check["end"],
        "Sluttdatoen er før startdatoen.",
        f"en dato etter «{check['start']}»",
    )


def _any_of(check: dict, table: Table) -> list[Problem]:
    raw = table.raw
    label = table.label
    empty = ~_any_value(raw, check["fields"])
    return row_problems(
        empty,
        raw[check["fields"][0]],
        label,
        check["fields"][0],
        "Raden mangler verdi.",
        "en verdi i " + " eller ".join(check["fields"]),
    )


def _unique(check: dict, table: Table) -> list[Problem]:
    raw = table.raw
    label = table.label
    column = raw[check["fields"][0]]
    return row_problems(
        column.duplicated(keep="first") & (column != ""),
        column,
        label,
        check["fields"][0],
        "Verdien står flere ganger.",
        "en unik verdi",
    )


def _list_foreign_key(check: dict, table: Table) -> list[Problem]:
    raw = table.raw
    label = table.label
    sources = table.sources
    resources = table.resources
    target = check["reference"]["resource"]
    if target not in sources:
        return []
    known = set(sources[target].frame[check["reference"]["fields"]])
    column = raw[check["field"]]
    items = column[column != ""].str.split(check["separator"]).explode().str.strip()
    unknown = items[~items.isin(known)]
    where = f"data/{resources[target]['path']}"
    return [
        Problem(
            file=label,
            line=int(line),
            column=check["field"],
            message=f"«{item}» finnes ikke i {where}.",
            found=str(column[line]),
            expected=f"verdier fra kolonnen «{check['reference']['fields']}» i {where}, "
            f"skilt med «{check['separator']}»",
        )
        for line, item in unknown.items()
    ]


def _region_match(check: dict, table: Table) -> list[Problem]:
    raw = table.raw
    label = table.label
    sources = table.sources
    if "kommuner" not in sources:
        return []
    municipalities = sources["kommuner"].frame.set_index("kommunenummer")["region"]
    municipalities = municipalities[~municipalities.index.duplicated()]
    region, number = raw[check["region"]], raw[check["municipality"]]
    expected_region = number.map(municipalities)
    wrong = (region != "") & (number != "") & expected_region.notna() & (expected_region != region)
    return [
        Problem(
            file=label,
            line=int(line),
            column=check["region"],
            message=f"Kommune {number[line]} hører til {expected_region[line]}.",
            found=region[line],
            expected=str(expected_region[line]),
        )
        for line in raw.index[wrong]
    ]


def _reference(check: dict, table: Table) -> list[Problem]:
    """A source a reader can find: an address, or a full printed reference (issue 12).

    Printed means title, publisher or author, year and where in it (page, table or number). Ids in
    `pending` are known gaps shown in the data chapter; a new source cannot join them silently.
    """
    raw, label = table.raw, table.label
    pending = set(check.get("pending", []))
    has_url = raw[check["url"]] != ""
    has_publisher = _any_value(raw, check["publisher"])
    problems = []
    for line in raw.index[~has_url & ~raw["id"].isin(pending)]:
        missing = [c for c in check["printed"] if raw.at[line, c] == ""]
        if not has_publisher[line]:
            missing.insert(1, " eller ".join(check["publisher"]))
        if missing:
            problems.append(
                Problem(
                    file=label,
                    line=int(line),
                    column=check["url"],
                    message="Kilden har verken adresse eller en fullstendig trykt referanse; "
                    f"mangler {', '.join(missing)}.",
                    found=raw.at[line, "id"],
                    expected="en adresse (http…) i «url», eller tittel, utgiver eller forfatter, "
                    "år og side, tabell eller nummer i «sider»",
                )
            )
    return problems


COMPUTED_WORDS = (
    r"\b(?:beregnet|utregnet|regnet (?:ut|om)|omregnet|utledet|avledet|summert|sum av|"
    r"midtpunkt|gjennomsnitt av|estimat)\b|\d\s*[×/÷]\s*\d|\[derived\]"
)


def _measured_not_computed(check: dict, table: Table) -> list[Problem]:
    """A value marked «målt» whose note says it was computed, or that has a method, is an estimate."""
    raw, label = table.raw, table.label
    problems = []
    measured = raw[check["status"]] == "målt"
    for column in [*check["fields"], *([check["method"]] if check.get("method") else [])]:
        computed = raw[column].str.contains(COMPUTED_WORDS, case=False, regex=True)
        if column == check.get("method"):
            computed = raw[column] != ""
        problems += row_problems(
            measured & computed,
            raw[column],
            label,
            column,
            "Verdien har status «målt», men teksten sier at den er regnet ut.",
            "status «estimat» med metoden oppgitt, eller en merknad uten regnestykke",
        )
    return problems


def _capacity(check: dict, table: Table) -> list[Problem]:
    """Throughput must not exceed the capacity for the same actor, unit and year (empty = any)."""
    raw, values, label = table.raw, table.values, table.label
    total = raw[check["scope"]] == check["scopeTotal"]
    columns = [check["actor"], check["unitField"], check["year"], check["value"]]
    measure = raw[check["measure"]]
    flows = values.loc[total & (measure == check["throughput"]), columns].reset_index(names="line")
    caps = values.loc[total & (measure == check["capacity"]), columns]
    pairs = flows.merge(caps, on=[check["actor"], check["unitField"]], suffixes=("", "_cap"))
    year, cap_year = pairs[check["year"]], pairs[check["year"] + "_cap"]
    same_year = (year.isna() | cap_year.isna() | (year == cap_year)).astype(bool)
    over = same_year & (pairs[check["value"]] > pairs[check["value"] + "_cap"]).fillna(False)
    problems = []
    for row in pairs[over.astype(bool)].itertuples(index=False):
        row = row._asdict()
        problems.append(
            Problem(
                file=label,
                line=int(row["line"]),
                column=check["value"],
                message=f"Mottaket er større enn kapasiteten ({row[check['value'] + '_cap']:g} "
                f"{row[check['unitField']]}) for aktøren {row[check['actor']]}.",
                found=f"{row[check['value']]:g}",
                expected="et mottak som ikke overstiger kapasiteten",
            )
        )
    return problems


def _region_total(check: dict, table: Table) -> list[Problem]:
    """A region row (no municipality) must equal the sum of its municipalities' rows."""
    values, label, sources = table.values, table.label, table.sources
    if "kommuner" not in sources:
        return []
    members = sources["kommuner"].frame.groupby("region")["kommunenummer"].nunique()
    value, region, municipality = check["value"], check["region"], check["municipality"]
    keys = [region, *check["groupBy"]]
    frame = values[keys + [value, municipality]].copy()
    frame[keys] = frame[keys].astype("string").fillna("")
    has_value = frame[value].notna()
    region_rows = frame[has_value & frame[municipality].isna() & (frame[region] != "")]
    if region_rows.empty:
        return []
    parts = (
        frame[has_value & frame[municipality].notna()]
        .groupby(keys)
        .agg(summen=(value, "sum"), kommuner=(municipality, "nunique"))
        .reset_index()
    )
    merged = region_rows.reset_index(names="line").merge(parts, on=keys)
    merged["alle"] = merged[region].map(members).fillna(0).to_numpy() == merged["kommuner"]
    tolerance = 1e-9 * merged[value].abs().clip(lower=1)
    wrong = (merged["alle"] & ((merged[value] - merged["summen"]).abs() > tolerance)) | (
        ~merged["alle"] & (merged["summen"] > merged[value] + tolerance)
    )
    return [
        Problem(
            file=label,
            line=int(row["line"]),
            column=value,
            message=f"Regionsummen stemmer ikke med summen av kommunene ({row['summen']:g} "
            f"fra {row['kommuner']} kommuner).",
            found=f"{row[value]:g}",
            expected="summen av kommunenes rader"
            if row["alle"]
            else "minst summen av kommunene som har tall",
        )
        for row in merged[wrong.astype(bool)].to_dict("records")
    ]


@dataclass(frozen=True)
class Rule:
    """How a kind of rule runs, and how it reads in words."""

    run: Callable[[dict, Table], list[Problem]]
    describe: Callable[[dict], str]


RULES: dict[str, Rule] = {
    "source": Rule(
        _source,
        lambda c: f"rader med tall i {', '.join(c['fields'])} må ha kilde i «{c['source']}»",
    ),
    "status": Rule(
        _status,
        lambda c: f"«{c['status']}» er «mangler» nøyaktig når {', '.join(c['fields'])} er tomme",
    ),
    "share": Rule(_share, lambda c: f"verdier med enhet «{c['unit']}» ligger mellom 0 og 1"),
    "range": Rule(_range, lambda c: f"«{c['low']}» ≤ «{c['value']}» ≤ «{c['high']}»"),
    "method": Rule(_method, lambda c: f"rader med status «{c['value']}» oppgir «{c['method']}»"),
    "dateOrder": Rule(_date_order, lambda c: f"«{c['end']}» er ikke før «{c['start']}»"),
    "anyOf": Rule(
        _any_of,
        lambda c: "minst én av " + " og ".join(f"«{f}»" for f in c["fields"]) + " er fylt ut",
    ),
    "unique": Rule(_unique, lambda c: f"«{c['fields'][0]}» er unik"),
    "listForeignKey": Rule(
        _list_foreign_key,
        lambda c: (
            f"hvert element i «{c['field']}» finnes i «{c['reference']['resource']}.{c['reference']['fields']}»"
        ),
    ),
    "regionMatch": Rule(
        _region_match, lambda c: f"«{c['municipality']}» ligger i regionen i «{c['region']}»"
    ),
    "reference": Rule(
        _reference,
        lambda c: (
            "hver kilde har en adresse eller en fullstendig trykt referanse (tittel, utgiver eller forfatter, år, side eller tabell)"
        ),
    ),
    "measuredNotComputed": Rule(
        _measured_not_computed,
        lambda c: "en verdi med status «målt» er ikke regnet ut (da er den et estimat med metode)",
    ),
    "capacity": Rule(
        _capacity,
        lambda c: (
            f"«{c['throughput']}» er ikke større enn «{c['capacity']}» for samme aktør, enhet og år"
        ),
    ),
    "regionTotal": Rule(
        _region_total,
        lambda c: f"en regionsum i «{c['value']}» er lik summen av regionens kommuner",
    ),
}


def run(check: dict, table: Table) -> list[Problem]:
    """Apply one rule from the descriptor; an unknown kind is the descriptor's error."""
    rule = RULES.get(check.get("type", ""))
    if rule is None:
        raise UserError(
            Problem(
                file="data/datapackage.json",
                message="Ukjent kontrolltype.",
                found=str(check.get("type")),
                expected="en av: " + ", ".join(RULES),
            )
        )
    return rule.run(check, table)


def describe(check: dict) -> str:
    """The rule in one Norwegian phrase, for the data register and the Excel template."""
    rule = RULES.get(check.get("type", ""))
    return rule.describe(check) if rule else str(check.get("type"))
