"""Strict parsing: every malformed table is an error naming file, line and column, in both
`sirkbok validate` (data/*.csv as committed) and `sirkbok import` (a spreadsheet); nothing changes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import as_csv, rows, set_cell, state
from sirkbok import cli

LINE3 = "3310,Hole,ringeriksregionen,Buskerud,6973,"


def raw(edit: Callable[[str], str]) -> Callable[[list[list[str]]], str]:
    """A change to the CSV text itself (for what csv.writer would never write)."""
    return lambda table: edit(as_csv(table))


# case -> (change, expected text in the message)
CASES = {
    "rad med ekstra celle": (
        raw(lambda t: t.replace(LINE3, LINE3 + "ekstra,", 1)),
        "data/kommuner.csv, linje 3: Raden har 13 felt, men overskriften har 12.",
    ),
    "rad med for få celler": (
        raw(lambda t: t.replace(LINE3, "3310,Hole,", 1).replace("6973,", "", 1)),
        "data/kommuner.csv, linje 3, kolonne «",
    ),
    "anførselstegn som aldri lukkes": (
        raw(lambda t: t + '3999,"Aldri lukket,ringeriksregionen\n'),
        "data/kommuner.csv, linje 14: Et anførselstegn åpnes på denne linjen, men lukkes aldri.",
    ),
    "tekst etter et anførselstegn": (
        raw(lambda t: t.replace(LINE3, '3310,"Hole"x,ringeriksregionen,Buskerud,6973,', 1)),
        "data/kommuner.csv, linje 3: Tekst etter et avsluttende anførselstegn.",
    ),
    "NUL-tegn": (
        set_cell("navn", "Ho\x00le"),
        "data/kommuner.csv, linje 3, kolonne «navn»: Cellen inneholder et NUL-tegn",
    ),
    "1e400 (uendelig)": (
        set_cell("areal_km2", "1e400"),
        "data/kommuner.csv, linje 3, kolonne «areal_km2»: Feil datatype. Fant: «1e400».",
    ),
    "inf som tekst": (
        set_cell("areal_km2", "inf"),
        "linje 3, kolonne «areal_km2»: Feil datatype. Fant: «inf».",
    ),
    "nan som tekst": (
        set_cell("areal_km2", "nan"),
        "linje 3, kolonne «areal_km2»: Feil datatype. Fant: «nan».",
    ),
    "1_0": (
        set_cell("folketall", "69_73"),
        "linje 3, kolonne «folketall»: Feil datatype. Fant: «69_73».",
    ),
    "arabisk-indiske sifre": (
        set_cell("folketall", "\u0666\u0669\u0667\u0663"),
        "linje 3, kolonne «folketall»: Feil datatype. Fant: «\u0666\u0669\u0667\u0663».",
    ),
    "celle over 128 kB": (
        set_cell("merknad", "x" * 140_000),
        "data/kommuner.csv, linje 3: En celle er for lang.",
    ),
    "kontrolltegn (BEL)": (
        set_cell("navn", "Ho\u0007le"),
        "data/kommuner.csv, linje 3, kolonne «navn»: Cellen inneholder U+0007 (et kontrolltegn)",
    ),
    "retningstegn (RLO)": (
        set_cell("navn", "Ho\u202ele"),
        "data/kommuner.csv, linje 3, kolonne «navn»: Cellen inneholder U+202E",
    ),
    "HTML i en tekst": (
        set_cell("merknad", "<script>alert(1)</script>"),
        "linje 3, kolonne «merknad»: Teksten inneholder markering",
    ),
}


def with_label(message: str, label: str) -> str:
    return message.replace("data/kommuner.csv", label)


@pytest.mark.parametrize("case", list(CASES))
def test_validate_refuses(case: str, book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    change, expected = CASES[case]
    (book / "data/kommuner.csv").write_bytes(change(rows(book)).encode("utf-8"))
    before = state(book)
    assert cli.main(["validate"]) == 1
    err = capsys.readouterr().err
    assert expected in err, err
    assert "Traceback" not in err
    assert state(book) == before


@pytest.mark.parametrize("case", list(CASES))
def test_import_refuses(
    case: str, book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change, expected = CASES[case]
    source = tmp_path / "kommuner.csv"
    source.write_bytes(change(rows(book)).encode("utf-8"))
    before = state(book)
    assert cli.main(["import", str(source), "--table", "kommuner", "--yes"]) == 1
    err = capsys.readouterr().err
    assert with_label(expected, str(source)) in err, err
    assert "Traceback" not in err
    assert state(book) == before


def test_utf16_is_refused_in_data_and_read_by_import(
    book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (book / "data/kommuner.csv").read_text("utf-8").replace("6973", "6974")
    source = tmp_path / "kommuner.csv"
    source.write_bytes(text.encode("utf-16"))  # with its BOM, as Excel's «Unicode text»
    before = state(book)
    assert cli.main(["import", str(source), "--table", "kommuner"]) == 0
    out = capsys.readouterr().out
    assert "~ 3310: folketall: «6973» → «6974»" in out
    assert state(book) == before  # no --yes: nothing written
    (book / "data/kommuner.csv").write_bytes(text.encode("utf-16"))
    assert cli.main(["validate"]) == 1
    assert "data/kommuner.csv, linje 1: Filen er lagret som UTF-16." in capsys.readouterr().err


def test_an_existing_key_twice_is_refused_before_the_diff(
    book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """pandas used to crash on this («truth value of a Series is ambiguous»)."""
    table = rows(book)
    table.append(list(table[2]))
    source = tmp_path / "kommuner.csv"
    source.write_text(as_csv(table), "utf-8")
    before = state(book)
    assert cli.main(["import", str(source), "--table", "kommuner", "--yes"]) == 1
    err = capsys.readouterr().err
    line = len(table)
    assert (
        f"{source}, linje {line}, kolonne «kommunenummer»: Nøkkelen står allerede på linje 3. "
        "Fant: «3310»." in err
    ), err
    assert "ambiguous" not in err and "Traceback" not in err
    assert state(book) == before


def test_a_descriptor_path_outside_data_is_refused(
    book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    descriptor = book / "data/datapackage.json"
    descriptor.write_text(
        descriptor.read_text("utf-8").replace('"path": "tema.csv"', '"path": "../_toc.csv"'),
        "utf-8",
    )
    (book / "_toc.csv").write_text((book / "data/tema.csv").read_text("utf-8"), "utf-8")
    before = state(book)
    assert cli.main(["validate"]) == 1
    err = capsys.readouterr().err
    assert (
        "data/datapackage.json: I «resources[2] «tema».path»: Verdien har feil form. "
        "Fant: «../_toc.csv». Forventet: et filnavn i data/" in err
    ), err
    assert state(book) == before
