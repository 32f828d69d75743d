"""Property: for generated flow rows, validation never crashes and accepts exactly the valid tables.

An independent, row-by-row oracle (plain Python, no pandas) states the rules; the vectorised
validator must agree with it on every generated table.
"""

from __future__ import annotations

import csv
import re

import pandas as pd
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sirkbok.datapackage import frames, textcsv, validate
from sirkbok.datapackage import load as data

DATA = ROOT / "data"
SCHEMA = data.schema("ressursstrommer", DATA)
FIELDS = {f["name"]: f for f in SCHEMA["fields"]}
UNITS = data.units(DATA)
MUNICIPALITIES = {
    r["kommunenummer"]: r["region"]
    for r in csv.DictReader((DATA / "kommuner.csv").open(encoding="utf-8"))
}
SOURCES = [r["id"] for r in csv.DictReader((DATA / "kilder.csv").open(encoding="utf-8"))]


# Every other table read once: each example then costs only the checks.
def _read(name: str) -> frames.Source:
    source, problems = textcsv.read_text_table(data.table_path(name, DATA), f"data/{name}.csv")
    assert source is not None and not problems, problems
    return source


PACKAGE = {name: _read(name) for name in data.table_names(DATA)}
NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")

quantities = st.one_of(
    st.just(""),
    st.floats(min_value=0, max_value=1e9, allow_nan=False).map(repr),
    st.floats(min_value=-1e6, max_value=-0.001).map(repr),
    st.sampled_from(["1,5", "abc", "1 000", "-0", " 5", "1e3", "NaN", "inf"]),
)
rows = st.fixed_dictionaries(
    {
        "kommunenummer": st.sampled_from(["", "9999", "0301", *MUNICIPALITIES]),
        "ressurs": st.sampled_from([*FIELDS["ressurs"]["constraints"]["enum"], "stein", ""]),
        "trinn": st.sampled_from([*FIELDS["trinn"]["constraints"]["enum"], "ferdig"]),
        "mengde": quantities,
        "enhet": st.sampled_from([*UNITS[:6], "tonn", ""]),
        "aar": st.sampled_from(["", "2024", "24", "år"]),
        "kilde": st.sampled_from(["", "ukjent-kilde", *SOURCES[:5]]),
        "status": st.sampled_from(["målt", "estimat", "mangler", "kanskje", ""]),
    }
)


def row_is_valid(row: dict[str, str]) -> bool:
    """The rules for one generated row, written out one by one."""
    quantity = row["mengde"]
    if quantity and not (NUMBER.fullmatch(quantity) and float(quantity) >= 0):
        return False
    if row["kommunenummer"] and row["kommunenummer"] not in MUNICIPALITIES:
        return False
    if row["ressurs"] not in FIELDS["ressurs"]["constraints"]["enum"]:
        return False
    if row["trinn"] not in FIELDS["trinn"]["constraints"]["enum"] or row["enhet"] not in UNITS:
        return False
    if row["aar"] and not re.fullmatch(r"\d{4}", row["aar"]):
        return False
    if row["kilde"] and row["kilde"] not in SOURCES:
        return False
    if row["status"] not in ("målt", "estimat", "mangler"):
        return False
    if (row["status"] == "mangler") == bool(quantity):
        return False
    return not (quantity and not row["kilde"])


def as_table(generated: list[dict[str, str]]) -> pd.DataFrame:
    records = []
    for i, row in enumerate(generated):
        region = MUNICIPALITIES.get(row["kommunenummer"], "")
        records.append({name: "" for name in FIELDS} | row | {"id": f"r{i}", "region": region})
    frame = pd.DataFrame(records, columns=list(FIELDS), dtype=object).astype(str)
    frame.index = range(2, len(frame) + 2)
    return frame


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows, min_size=1, max_size=12))
def test_validator_agrees_with_the_rules(generated: list[dict[str, str]]) -> None:
    frame = as_table(generated)
    result = validate.validate_package(
        DATA, PACKAGE | {"ressursstrommer": frames.Source(frame, "data/ressursstrommer.csv")}
    )
    invalid_lines = {i + 2 for i, row in enumerate(generated) if not row_is_valid(row)}
    reported = {p.line for p in result.problems if p.file == "data/ressursstrommer.csv"}
    assert reported == invalid_lines, [str(p) for p in result.problems]
    assert all(p.file == "data/ressursstrommer.csv" for p in result.problems)
