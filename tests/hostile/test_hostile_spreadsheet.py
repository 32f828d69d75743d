"""Spreadsheets are data, never code: formula-like text goes out as text and comes back unchanged."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from conftest import state
from openpyxl import load_workbook
from sirkbok import cli

FORMULA_LIKE = ["=1+1", "+47 123", "-5 %", "@SUM(A1)", '=HYPERLINK("http://evil.example","x")']


def test_formula_like_text_round_trips_through_template_and_import(
    book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = book / "data/kommuner.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    column = rows[0].index("merknad")
    for row, value in zip(rows[1:], FORMULA_LIKE, strict=False):
        row[column] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), "utf-8")
    assert cli.main(["validate"]) == 0
    before = state(book)

    workbook = tmp_path / "kommuner.xlsx"
    assert cli.main(["template", "--table", "kommuner", "--out", str(workbook)]) == 0
    with zipfile.ZipFile(workbook) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(name) for name in sheets)  # not one formula
    sheet = load_workbook(workbook)["kommuner"]
    cells = [sheet.cell(row=r, column=column + 1) for r in range(2, 2 + len(FORMULA_LIKE))]
    assert [c.value for c in cells] == FORMULA_LIKE
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)

    capsys.readouterr()
    assert cli.main(["import", str(workbook), "--table", "kommuner", "--yes"]) == 0
    assert "Ingen endringer: tabellen er lik filen." in capsys.readouterr().out
    assert state(book) == before


def test_formula_like_text_in_an_imported_csv_is_kept_as_text(
    book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = book / "data/kommuner.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    column = rows[0].index("merknad")
    rows[2][column] = "=1+1"
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(
        [[c.replace(".", ",") if i == 7 else c for i, c in enumerate(r)] for r in rows]
    )
    source = tmp_path / "kommuner.csv"
    source.write_bytes(out.getvalue().encode("cp1252"))
    assert cli.main(["import", str(source), "--table", "kommuner", "--yes"]) == 0
    assert "merknad: «" in capsys.readouterr().out
    written = list(csv.reader(path.open(encoding="utf-8")))
    assert written[2][column] == "=1+1"


def test_figure_downloads_quote_formula_like_text_and_keep_numbers() -> None:
    """The CSV next to each figure: text from data opens in Excel as typed, numbers stay numbers."""
    import pandas as pd
    from sirkbok import charts

    table = pd.DataFrame({"navn": FORMULA_LIKE, "mengde": [-5.0, 1.5, 2.0, 3.0, 4.0]})
    rows = list(csv.reader(io.StringIO(charts.excel_csv(table).decode("utf-8-sig")), delimiter=";"))
    assert [row[0] for row in rows[1:]] == ["'" + value for value in FORMULA_LIKE]
    assert [row[1] for row in rows[1:]] == ["-5,00", "1,50", "2,00", "3,00", "4,00"]
