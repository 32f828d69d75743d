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
    from sirkbok.reader import charts

    table = pd.DataFrame({"navn": FORMULA_LIKE, "mengde": [-5.0, 1.5, 2.0, 3.0, 4.0]})
    rows = list(csv.reader(io.StringIO(charts.excel_csv(table).decode("utf-8-sig")), delimiter=";"))
    assert [row[0] for row in rows[1:]] == ["'" + value for value in FORMULA_LIKE]
    assert [row[1] for row in rows[1:]] == ["-5,00", "1,50", "2,00", "3,00", "4,00"]


def _with_formula(book: Path, tmp_path: Path, saved_value: str | None) -> tuple[Path, str]:
    """The kommuner template with Hole's population as a formula, saved by a program (no value
    kept, as openpyxl or a script writes it) or, with `saved_value`, as Excel saves it."""
    import re

    from openpyxl.utils import get_column_letter

    workbook = tmp_path / "kommuner.xlsx"
    assert cli.main(["template", "--table", "kommuner", "--out", str(workbook)]) == 0
    loaded = load_workbook(workbook)
    sheet = loaded["kommuner"]
    header = [str(cell.value) for cell in sheet[1]]
    column = next(i for i, name in enumerate(header) if re.match(r"folketall( \(|$)", name)) + 1
    row = next(r for r in range(2, sheet.max_row + 1) if str(sheet.cell(r, 1).value) == "3310")
    sheet.cell(row, column).value = "=6900+73"
    loaded.save(workbook)
    if saved_value is not None:  # what Excel writes: the formula and the value it computed
        with zipfile.ZipFile(workbook) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
        name = next(n for n in parts if b"<f>6900+73</f>" in parts[n])
        parts[name] = parts[name].replace(
            b"<f>6900+73</f><v />", f"<f>6900+73</f><v>{saved_value}</v>".encode()
        )
        with zipfile.ZipFile(workbook, "w") as archive:
            for part, data in parts.items():
                archive.writestr(part, data)
    return workbook, f"{get_column_letter(column)}{row}"


def test_a_formula_without_a_saved_value_is_refused_by_sheet_and_cell(
    book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """openpyxl reads such a cell as empty: `--yes` used to erase Hole's population."""
    workbook, cell = _with_formula(book, tmp_path, saved_value=None)
    before = state(book)
    capsys.readouterr()
    assert cli.main(["import", str(workbook), "--table", "kommuner", "--yes"]) == 1
    err = capsys.readouterr().err
    assert (
        f"feil: {workbook}, linje {cell[1:]}: Ark «kommuner», celle {cell}: en formel uten lagret "
        "verdi. Ingenting er importert. Fant: «=6900+73»." in err
    ), err
    assert "åpne arbeidsboka i Excel eller LibreOffice og lagre den" in err
    assert state(book) == before


def test_a_formula_with_its_saved_value_imports_the_value(
    book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook, _ = _with_formula(book, tmp_path, saved_value="6973")
    before = state(book)
    capsys.readouterr()
    assert cli.main(["import", str(workbook), "--table", "kommuner", "--yes"]) == 0
    assert "Ingen endringer: tabellen er lik filen." in capsys.readouterr().out
    assert state(book) == before


def test_a_written_template_is_readable_by_everyone(book: Path, tmp_path: Path) -> None:
    """0644, not mkstemp's 0600: a web server running as another user can serve it."""
    import stat

    out = tmp_path / "kommuner.xlsx"
    assert cli.main(["template", "--table", "kommuner", "--out", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
