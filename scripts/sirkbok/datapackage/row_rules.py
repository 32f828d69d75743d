"""The rules that look at each row on its own: sources, status, shares, ranges, methods, dates.

Each takes its options (typed in `options`, checked when the descriptor is read) and a `Table`, and
returns its problems; `checks.RULES` names them and says each in words.
"""

from __future__ import annotations

from sirkbok.core.errors import Problem
from sirkbok.core.vocabulary import MISSING
from sirkbok.datapackage import options
from sirkbok.datapackage.frames import Table, any_value, row_problems


def source(check: options.SourceCheck, table: Table) -> list[Problem]:
    raw = table.raw
    label = table.label
    missing = any_value(raw, check["fields"]) & (raw[check["source"]] == "")
    return row_problems(
        missing,
        raw[check["source"]],
        label,
        check["source"],
        "Raden har tall, men ingen kilde.",
        "en kildenøkkel fra data/kilder.csv",
    )


def status(check: options.StatusCheck, table: Table) -> list[Problem]:
    raw = table.raw
    label = table.label
    status, has_value = raw[check["status"]], any_value(raw, check["fields"])
    fields = ", ".join(check["fields"])
    problems = row_problems(
        (status == MISSING) & has_value,
        status,
        label,
        check["status"],
        f"Status er «mangler», men raden har verdi i {fields}.",
        "tom verdi når status er «mangler», ellers status «målt» eller «estimat»",
    )
    problems += row_problems(
        (status != MISSING) & (status != "") & ~has_value,
        status,
        label,
        check["status"],
        f"Raden har ingen verdi i {fields}.",
        "status «mangler» når verdien er ukjent",
    )
    return problems


def share(check: options.ShareCheck, table: Table) -> list[Problem]:
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


def value_range(check: options.RangeCheck, table: Table) -> list[Problem]:
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


def method(check: options.MethodCheck, table: Table) -> list[Problem]:
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


def date_order(check: options.DateOrderCheck, table: Table) -> list[Problem]:
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


def any_of(check: options.FieldsCheck, table: Table) -> list[Problem]:
    raw = table.raw
    label = table.label
    empty = ~any_value(raw, check["fields"])
    return row_problems(
        empty,
        raw[check["fields"][0]],
        label,
        check["fields"][0],
        "Raden mangler verdi.",
        "en verdi i " + " eller ".join(check["fields"]),
    )


def reference(check: options.ReferenceCheck, table: Table) -> list[Problem]:
    """A source a reader can find: an address, or a full printed reference (issue 12).

    Printed means title, publisher or author, year and where in it (page, table or number). Ids in
    `pending` are known gaps shown in the data chapter; a new source cannot join them silently.
    """
    raw, label = table.raw, table.label
    pending = set(check.get("pending", []))
    has_url = raw[check["url"]] != ""
    has_publisher = any_value(raw, check["publisher"])
    problems = []
    for line in raw.index[~has_url & ~raw[options.ID].isin(pending)]:
        missing: list[str] = [c for c in check["printed"] if raw.at[line, c] == ""]
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
                    found=raw.at[line, options.ID],
                    expected="en adresse (http…) i «url», eller tittel, utgiver eller forfatter, "
                    "år og side, tabell eller nummer i «sider»",
                )
            )
    return problems


COMPUTED_WORDS = (
    r"\b(?:beregnet|utregnet|regnet (?:ut|om)|omregnet|utledet|avledet|summert|sum av|"
    r"midtpunkt|gjennomsnitt av|estimat)\b|\d\s*[×/÷]\s*\d|\[derived\]"
)


def measured_not_computed(check: options.MeasuredCheck, table: Table) -> list[Problem]:
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
