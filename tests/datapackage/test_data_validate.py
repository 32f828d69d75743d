"""`sirkbok validate` on corrupted copies: each problem named with file, line, column; no change."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, sirkbok, snapshot
from sirkbok import cli
from sirkbok.datapackage import load as data


def replace(name: str, old: str, new: str) -> Callable[[Path], None]:
    def change(data: Path) -> None:
        text = (data / name).read_text("utf-8")
        assert old in text, old
        (data / name).write_text(text.replace(old, new, 1), "utf-8")

    return change


def write(name: str, content: bytes) -> Callable[[Path], object]:
    return lambda data: (data / name).write_bytes(content)


CASES = {
    "feil datatype": (
        replace("kommuner.csv", ",6973,", ",6 973x,"),
        "data/kommuner.csv, linje 3, kolonne «folketall»: Feil datatype. Fant: «6 973x».",
    ),
    "ukjent kommunenummer": (
        replace(
            "ressursstrommer.csv",
            "hunton-flis,gjovikregionen,3407,",
            "hunton-flis,gjovikregionen,3499,",
        ),
        "data/ressursstrommer.csv, linje 9, kolonne «kommunenummer»: Verdien "
        "finnes ikke i data/kommuner.csv",
    ),
    "ukjent kommune i tema": (
        replace("tema.csv", "3236;3318", "3236;1234"),
        "data/tema.csv, linje 5, kolonne «ansvarlige_kommuner»: «1234» finnes "
        "ikke i data/kommuner.csv",
    ),
    "duplisert nøkkel": (
        replace("faktorer.csv", "diesel_energi,", "metan_energi,"),
        "data/faktorer.csv, linje 16, kolonne «id»: Nøkkelen står allerede på linje "
        "15. Fant: «metan_energi».",
    ),
    "negativ mengde": (
        replace("ressursstrommer.csv", ",5000,t/år", ",-5000,t/år"),
        "data/ressursstrommer.csv, linje 2, kolonne «mengde»: Negativ mengde er ikke "
        "tillatt. Fant: «-5000».",
    ),
    "manglende kilde": (
        replace("ressursstrommer.csv", "2014,aktuellindustri-hra", "2014,"),
        "data/ressursstrommer.csv, linje 2, kolonne «kilde»: Raden har tall, men ingen kilde.",
    ),
    "ukjent kilde": (
        replace("faktorer.csv", "tu-romerike2017", "tu-romerike2018"),
        "data/faktorer.csv, linje 2, kolonne «kilde»: Verdien finnes ikke i data/kilder.csv",
    ),
    "ukjent enhet": (
        replace("ressursstrommer.csv", ",5000,t/år", ",5000,tonn i året"),
        "data/ressursstrommer.csv, linje 2, kolonne «enhet»: Ukjent enhet. Fant: «tonn i året».",
    ),
    "andel over 1": (
        replace("aktor_tall.csv", "0.31,,,andel", "31,,,andel"),
        "data/aktor_tall.csv, linje 15, kolonne «verdi»: En andel må ligge mellom 0 og "
        "1. Fant: «31».",
    ),
    "mottak over kapasitet": (
        replace("aktor_tall.csv", "mottak,totalt,30000", "mottak,totalt,46000"),
        "data/aktor_tall.csv, linje 12, kolonne «verdi»: Mottaket er større "
        "enn kapasiteten (45000 t/år) for aktøren mjosanlegget. Fant: «46000».",
    ),
    "status mangler med verdi": (
        replace(
            "ressursstrommer.csv",
            ",,t/år,,,mangler,Horisont",
            ",12,t/år,,aktuellindustri-hra,mangler,Horisont",
        ),
        "data/ressursstrommer.csv, linje 7, kolonne «status»: Status er "
        "«mangler», men raden har verdi i mengde.",
    ),
    "region stemmer ikke med kommunen": (
        replace(
            "aktorer.csv",
            '3443,"Raufoss, Vestre Toten",gjovikregionen',
            '3443,"Raufoss, Vestre Toten",hadelandsregionen',
        ),
        "data/aktorer.csv, linje 12, kolonne «region»: Kommune 3443 hører til gjovikregionen.",
    ),
    "tom linje midt i filen": (
        replace("tema.csv", "\nbioenergi,", "\n\nbioenergi,"),
        "data/tema.csv, linje 4, kolonne «id»: Tom linje.",
    ),
    "tom fil": (write("tema.csv", b""), "data/tema.csv: Filen er tom."),
    "manglende kolonne": (
        replace("regioner.csv", "id,navn,kortnavn,", "id,navn,"),
        "data/regioner.csv, linje 1, kolonne «kortnavn»: Kolonnen mangler.",
    ),
    "ukjent kolonne": (
        replace("regioner.csv", ",merknad\n", ",merknad,farge\n"),
        "data/regioner.csv, linje 1, kolonne «farge»: Ukjent kolonne.",
    ),
    "kilde uten adresse eller trykt referanse": (
        replace(
            "kilder.csv",
            "Hole kommune,,,https://www.hole.kommune.no/regionraadet-ringeriksregionen.576684.no.html,",
            "Hole kommune,,,,",
        ),
        "data/kilder.csv, linje 5, kolonne «url»: Kilden har verken adresse eller en fullstendig "
        "trykt referanse; mangler aar, sider. Fant: «hole-ipr». Forventet: en adresse",
    ),
    "trykt referanse uten side": (
        replace("kilder.csv", ",102,612--620,", ",102,,"),
        "data/kilder.csv, linje 53, kolonne «url»: Kilden har verken adresse eller en fullstendig "
        "trykt referanse; mangler sider. Fant: «banks2011».",
    ),
    "målt verdi som er regnet ut (merknad)": (
        replace(
            "faktorer.csv",
            "kWh/m3 fast,treteknisk2002,2002,M,målt,,\n",
            "kWh/m3 fast,treteknisk2002,2002,M,målt,,Regnet om fra kWh per tonn\n",
        ),
        "data/faktorer.csv, linje 26, kolonne «merknad»: Verdien har status «målt», men teksten "
        "sier at den er regnet ut. Fant: «Regnet om fra kWh per tonn».",
    ),
    "målt verdi som er regnet ut (metode)": (
        replace("faktorer.csv", "M,estimat,2 700 000 L", "M,målt,2 700 000 L"),
        "data/faktorer.csv, linje 3, kolonne «metode»: Verdien har status «målt», men teksten "
        "sier at den er regnet ut.",
    ),
    "windows-1252": (
        lambda d: (d / "tema.csv").write_bytes(
            (d / "tema.csv").read_text("utf-8").encode("cp1252")
        ),
        "data/tema.csv, linje 2: Filen er ikke UTF-8.",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_corrupted_table_is_refused(
    case: str, data_book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change, expected = CASES[case]
    change(data_book / "data")
    before = snapshot(data_book / "data")
    assert cli.main(["validate"]) == 1
    err = capsys.readouterr().err
    assert snapshot(data_book / "data") == before
    assert "Traceback" not in err
    assert err.rstrip().endswith("feil funnet.")
    if expected:
        assert f"feil: {expected}" in err, err


def test_region_total_must_equal_its_municipalities(
    data_book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flows = data_book / "data" / "ressursstrommer.csv"
    lines = flows.read_text("utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    rows = [r for r in rows if not r.startswith("matavfall-")]
    members = {"3446": 30, "3234": 20}  # Gran and Lunner: the whole Hadelandsregionen
    rows += [
        f"matavfall-{k},hadelandsregionen,{k},hra,matavfall,avfall,,,{v},t/år,2024,kildenotat,"
        "estimat,,"
        for k, v in members.items()
    ]
    rows.append(
        "matavfall-hadeland,hadelandsregionen,,,matavfall,avfall,,,60,t/år,2024,"
        "kildenotat,estimat,,"
    )
    flows.write_text("\n".join([header, *rows]) + "\n", "utf-8")
    assert cli.main(["validate"]) == 1
    err = capsys.readouterr().err
    line = len(rows) + 1
    assert (
        f"data/ressursstrommer.csv, linje {line}, kolonne «mengde»: Regionsummen stemmer ikke "
        "med summen av kommunene (50 fra 2 kommuner). Fant: «60»."
    ) in err
    flows.write_text(flows.read_text("utf-8").replace(",60,t/år", ",50,t/år"), "utf-8")
    assert cli.main(["validate"]) == 0


def test_every_problem_of_a_run_is_listed(data_book: Path) -> None:
    for change in (
        CASES["negativ mengde"][0],
        replace("kommuner.csv", ",6973,", ",x,"),
        replace("tema.csv", "3236;3318", "3236;3319"),
    ):
        change(data_book / "data")
    result = sirkbok("validate", root=data_book)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count("feil: ") == 3
    assert "Datapakken er ikke gyldig: 3 feil funnet." in result.stderr


@pytest.mark.parametrize("table", data.table_names(ROOT / "data"))
def test_a_corrupted_copy_of_any_table_is_refused(
    table: str, data_book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = data.table_path(table, data_book / "data")
    lines = path.read_text("utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n", "utf-8")  # the first row again
    before = snapshot(data_book / "data")
    assert cli.main(["validate"]) == 1
    err = capsys.readouterr().err
    assert snapshot(data_book / "data") == before
    assert f"feil: data/{path.name}, linje {len(lines) + 1}, kolonne «" in err
    assert "Nøkkelen står allerede på linje 2." in err
