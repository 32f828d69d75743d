"""`sirkbok import`: Norwegian spreadsheets are read exactly, previewed, written only when valid."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import ROOT, sirkbok, snapshot
from openpyxl import Workbook
from sirkbok import cli
from sirkbok.datapackage import load as data


def kommuner_rows() -> list[list[str]]:
    return list(csv.reader((ROOT / "data/kommuner.csv").open(encoding="utf-8")))


def excel_csv(rows: list[list[str]], path: Path, encoding: str = "cp1252") -> Path:
    """What Norwegian Excel saves: semicolons, decimal comma, CRLF."""
    norwegian = [rows[0]] + [
        [cell.replace(".", ",") if i == 7 else cell for i, cell in enumerate(r)] for r in rows[1:]
    ]
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(norwegian)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def import_(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    code = cli.main(["import", str(path), "--table", "kommuner", *extra])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_excel_csv_with_decimal_comma_is_read_exactly(
    encoding: str, data_book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = kommuner_rows()
    rows[2][7] = "1.5"  # Hole's area, written «1,5» by Excel: must become 1.5, never 15
    source = excel_csv(rows, tmp_path / "kommuner.csv", encoding)
    code, out, err = import_(source, capsys, "--yes")
    assert code == 0, err
    assert "0 nye, 1 endrede og 0 fjernede rader" in out
    assert "~ 3310: areal_km2: «192.68» → «1.5»" in out
    assert data.load("kommuner").set_index("kommunenummer").loc["3310", "areal_km2"] == 1.5
    assert "Krødsherad" in (data_book / "data/kommuner.csv").read_text("utf-8")
    assert not (data_book / "data/kommuner.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_xlsx_is_imported_and_diffed(
    data_book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = kommuner_rows()
    book_ = Workbook()
    sheet = book_.worksheets[0]
    sheet.append(rows[0])
    for row in rows[1:]:
        cells: list[object] = list(row)
        cells[4] = int(row[4]) if row[4] else None
        cells[7] = float(row[7]) if row[7] else None
        if row[1] == "Gran":
            cells[4] = 13600
            cells[5] = "1.1.2026"  # a Norwegian date typed as text
        sheet.append(cells)
    sheet.append([None] * len(rows[0]))  # Excel's trailing blank row
    path = tmp_path / "kommuner.xlsx"
    book_.save(path)
    before = snapshot(data_book / "data")
    code, out, err = import_(path, capsys)  # no --yes and no terminal: preview only
    assert code == 0, err
    assert "0 nye, 1 endrede og 0 fjernede rader" in out
    assert (
        "~ 3446: folketall: «13660» → «13600»; folketall_dato: «2025-01-01» → «2026-01-01»" in out
    )
    assert "Ingenting er skrevet" in out
    assert snapshot(data_book / "data") == before


def test_removing_a_referenced_row_is_refused(
    data_book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [r for r in kommuner_rows() if r[1] != "Modum"]
    source = excel_csv(rows, tmp_path / "kommuner.csv")
    before = snapshot(data_book / "data")
    code, out, err = import_(source, capsys, "--yes")
    assert code == 1 and snapshot(data_book / "data") == before
    assert "0 nye, 0 endrede og 1 fjernede rader" in out and "  - 3316" in out
    assert "data/ressursstrommer.csv, linje" in err and "Fant: «3316»" in err
    assert "Ingenting er skrevet til data/kommuner.csv" in err


def refused(data_book: Path, source: Path, capsys: pytest.CaptureFixture[str]) -> str:
    before = snapshot(data_book / "data")
    code, _, err = import_(source, capsys, "--yes")
    assert code == 1
    assert snapshot(data_book / "data") == before
    assert "Traceback" not in err
    return err


def test_ambiguous_number_is_refused(
    data_book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = kommuner_rows()
    source = excel_csv(rows, tmp_path / "kommuner.csv")
    text = source.read_bytes().decode("cp1252").replace(";1555,11;", ";1.555;")
    source.write_bytes(text.encode("cp1252"))
    err = refused(data_book, source, capsys)
    assert "Filen bruker både desimalkomma" in err
    assert (
        f"{source}, linje 2, kolonne «areal_km2»: Tallet kan ikke leses sikkert (punktum i et "
        "tall i en fil med desimalkomma"
    ) in err and "Fant: «1.555»" in err


def test_comma_in_number_of_comma_file_is_refused(
    data_book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = kommuner_rows()
    rows[1][7] = "1,5"
    source = tmp_path / "kommuner.csv"
    with source.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    err = refused(data_book, source, capsys)
    assert "linje 2, kolonne «areal_km2»" in err and "komma i et tall" in err


def test_empty_file_is_refused(
    data_book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "tom.csv"
    source.write_bytes(b"")
    assert f"feil: {source}: Filen er tom." in refused(data_book, source, capsys)


def test_missing_and_unexpected_columns_are_refused(
    data_book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [[c for i, c in enumerate(r) if i != 3] + ["x"] for r in kommuner_rows()]
    rows[0][-1] = "innbyggere"
    err = refused(data_book, excel_csv(rows, tmp_path / "kommuner.csv"), capsys)
    assert "linje 1, kolonne «fylke»: Kolonnen mangler." in err
    assert "linje 1, kolonne «innbyggere»: Ukjent kolonne." in err
    assert "Forventet: bare kolonnene kommunenummer, navn, region, fylke" in err


def test_wrong_type_in_import_is_refused_with_its_line(
    data_book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = kommuner_rows()
    rows[4][4] = "mange"
    err = refused(data_book, excel_csv(rows, tmp_path / "kommuner.csv"), capsys)
    assert f"{tmp_path / 'kommuner.csv'}, linje 5, kolonne «folketall»: Feil datatype." in err


def test_cli_import_without_changes_and_unknown_table(data_book: Path, tmp_path: Path) -> None:
    source = excel_csv(kommuner_rows(), tmp_path / "kommuner.csv")
    result = sirkbok("import", str(source), "--table", "kommuner", "--yes", root=data_book)
    assert result.returncode == 0 and "Ingen endringer" in result.stdout
    result = sirkbok("import", str(source), "--table", "kommunene", root=data_book)
    assert result.returncode == 1 and "Ukjent tabell" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_encoding_and_repeated_column_are_refused(
    data_book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "kommuner.csv"
    source.write_bytes(b"kommunenummer;navn\n3305;Ringerike\x81\n")
    err = refused(data_book, source, capsys)
    assert f"{source}, linje 2: Tegnkodingen er verken UTF-8 eller Windows-1252." in err
    rows = kommuner_rows()
    rows = [r + [r[1]] for r in rows]
    err = refused(data_book, excel_csv(rows, source), capsys)
    assert "linje 1, kolonne «navn»: Kolonnen står to ganger." in err
