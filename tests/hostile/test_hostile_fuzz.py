"""Fuzzing the spreadsheet readers: random bytes and random shapes of CSV and .xlsx files give a
clean import or a Norwegian error (UserError), never any other exception, and never a write."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sirkbok.core.errors import UserError
from sirkbok.datapackage import importer, textcsv

ROOT = Path(__file__).resolve().parents[2]
HEADER = (ROOT / "data/kommuner.csv").read_text("utf-8").splitlines()[0].split(",")
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["3310", "1,5", "1.5", "1e400", "inf", "=1+1", '"', '""', ";", "\x00", ""]),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
header = st.one_of(st.just(HEADER), st.lists(st.sampled_from(HEADER + ["x", ""]), max_size=14))
rows = st.lists(st.lists(cells, max_size=14), max_size=8)


def import_quietly(path: Path) -> None:
    """`sirkbok import` without --yes and without a terminal: reads, validates, writes nothing."""
    args = argparse.Namespace(file=str(path), table="kommuner", yes=False)
    try:
        assert importer.run(args) == 0
    except UserError as error:
        assert error.problems and all(str(p) for p in error.problems)


@pytest.fixture
def untouched(data_book: Path) -> Iterator[Path]:
    before = {p.name: p.read_bytes() for p in (data_book / "data").iterdir()}
    yield data_book
    assert {p.name: p.read_bytes() for p in (data_book / "data").iterdir()} == before


@FUZZ
@given(raw=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_random_bytes(raw: bytes, suffix: str, untouched: Path, tmp_path: Path) -> None:
    path = tmp_path / f"kommuner{suffix}"
    path.write_bytes(raw)
    import_quietly(path)
    if suffix == ".csv":
        source, problems = textcsv.read_text_table(path, "data/kommuner.csv", HEADER)
        assert (source is None) == bool(problems)


@FUZZ
@given(
    top=header,
    body=rows,
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_NONE]),
)
def test_random_csv_shapes(
    top: list[str],
    body: list[list[str]],
    delimiter: str,
    encoding: str,
    quoting: Literal[0, 1, 2, 3],
    untouched: Path,
    tmp_path: Path,
) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, quoting=quoting, escapechar="\\")
    try:
        writer.writerows([top, *body])
    except csv.Error:
        return  # a shape the writer itself cannot write
    path = tmp_path / "kommuner.csv"
    path.write_bytes(out.getvalue().encode(encoding, errors="replace"))
    import_quietly(path)
    source, problems = textcsv.read_text_table(path, "data/kommuner.csv", HEADER)
    assert (source is None) == bool(problems)


xlsx_cells = st.one_of(
    st.none(),
    cells.map(lambda text: text.replace("\x00", "")),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1)),
)


@FUZZ
@given(top=header, body=st.lists(st.lists(xlsx_cells, max_size=14), max_size=8))
def test_random_xlsx_shapes(
    top: list[str], body: list[list], untouched: Path, tmp_path: Path
) -> None:
    import re

    book = Workbook()
    sheet = book.worksheets[0]
    for row in [top, *body]:
        clean = [
            re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", v) if isinstance(v, str) else v for v in row
        ]
        sheet.append(clean)
    path = tmp_path / "kommuner.xlsx"
    book.save(path)
    import_quietly(path)
