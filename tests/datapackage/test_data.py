"""The landed data package: valid, typed by the loader, canonical, generated files current."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, sirkbok
from pybtex.database import parse_file
from sirkbok.book import bibtex
from sirkbok.core.errors import UserError
from sirkbok.datapackage import importer, register, textcsv
from sirkbok.datapackage import load as data

DATA = ROOT / "data"
FACTOR_IDS = """matavfall_metan matavfall_dieselekv matavfall_energi_banks matavfall_biogass_vs
matavfall_metanandel gjodsel_metan_storfe gjodsel_metan_svin gjodsel_metan_fjorfe
gjodsel_energi_storfe gjodsel_energi_svin gjodsel_energi_fjorfe gjodsel_energi_gard
samrotning_gevinst metan_energi diesel_energi biogass_diesel_regel biogass_klima_naturgass
biogass_klima_diesel diesel_co2 flis_energi pellets_energi ved_energi tre_energi_20
tre_energi_30 gran_energi_20 gran_energi_50 furu_energi_20 furu_energi_50 bjork_energi_20
bjork_energi_50 flis_densitet flis_energi_se grot_per_rundvirke grot_uttak_maks
sagbruk_biprodukt_andel tekstil_generert tekstil_restavfall tekstil_restavfall_ombrukbar
tekstil_kjopt tekstil_innlevert tekstil_eksport_andel tekstil_avfall_andel fretex_ombruk_andel
tekstil_produksjon_co2 tekstil_innlevert_co2 plagg_ombruk_co2 ombruk_mobler_direkte
ombruk_mobler_nettverk matsvinn_husholdning_2017""".split()


@pytest.fixture(autouse=True)
def _real_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIRKBOK_ROOT", str(ROOT))
    monkeypatch.delenv("SIRKBOK_TABLES", raising=False)


def test_landed_package_is_valid_through_the_cli() -> None:
    result = sirkbok("validate", root=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Datapakken er gyldig: {len(data.table_names())} tabeller, ")
    assert "Traceback" not in result.stderr


def test_loader_returns_typed_tables() -> None:
    kommuner = data.load("kommuner")
    assert len(kommuner) == 12
    assert str(kommuner["folketall"].dtype) == "Int64"
    assert str(kommuner["areal_km2"].dtype) == "Float64"
    assert str(kommuner["kommunenummer"].dtype) == "string"
    assert pd.api.types.is_datetime64_any_dtype(kommuner["folketall_dato"])
    modum = kommuner.set_index("kommunenummer").loc["3316"]
    # Unknown until SSB fills it: the encyclopaedia pages found named no SSB table (issue 22).
    assert pd.isna(modum["folketall"]) and pd.isna(modum["areal_km2"])
    assert modum["status"] == "mangler"
    assert "07459" in modum["fylles_fra"]
    assert set(kommuner["region"]) == {"gjovikregionen", "hadelandsregionen", "ringeriksregionen"}
    assert set(data.load("tema")["id"]) == {
        "naeringsparker",
        "biogass",
        "bioenergi",
        "tekstiler",
        "ombrukssentre",
    }


def test_every_factor_the_notebooks_use_exists() -> None:
    for factor_id in FACTOR_IDS:
        factor = data.factor(factor_id)
        assert factor.source and factor.grade in {"H", "M", "L"}
        assert factor.value is not None or (factor.low is not None and factor.high is not None)
    metan = data.factor("matavfall_metan")
    assert metan.value == pytest.approx(83.3) and metan.status == "estimat" and metan.method
    assert data.factor("gjodsel_energi_gard").value is None
    with pytest.raises(UserError, match="Ukjent faktor"):
        data.factor("finnes_ikke")


def test_every_one_row_lookup_names_the_table_the_column_and_the_key() -> None:
    """`data.one_row` is the one lookup by key, in a loaded table or in one computed from it (a
    theme's numbers per municipality); the pages, the region lists and the biogas derivation use it,
    so an unknown key is the user's error, never an IndexError («Uventet feil»)."""
    from sirkbok.book import regions
    from sirkbok.themes import biogass as biogass_theme
    from sirkbok.themes import offers
    from sirkbok.themes.biogass import model as biogass

    kommuner = data.load("kommuner")
    assert data.one_row("kommuner", "kommunenummer", "3407", "x", "y", kommuner)["navn"] == "Gjøvik"
    computed = kommuner.assign(dobbel=kommuner["folketall"] * 2)
    tables = {name: data.load(name) for name in ("kommuner", "statistikk")}
    unknown_place = offers.Place("0000", "Ingen", None, 0, tables)
    cases = [
        (
            lambda: data.one_row("kommuner", "kommunenummer", "0000", "Ukjent.", "et nr", computed),
            "data/kommuner.csv, kolonne «kommunenummer»: Ukjent. Fant: «0000». "
            "Forventet: et nr fra data/kommuner.csv.",
        ),
        (
            lambda: biogass_theme.municipal_shares(unknown_place),
            "data/kommuner.csv, kolonne «kommunenummer»: Ukjent kommunenummer. Fant: «0000».",
        ),
        (
            lambda: regions.render_block(ROOT, "ingen-region"),
            "data/regioner.csv, kolonne «id»: Ukjent region. Fant: «ingen-region».",
        ),
        (
            lambda: biogass.food_waste_per_inhabitant(data.load("statistikk"), 1800),
            "data/statistikk.csv, kolonne «id»: Statistikken mangler dette året. Fant: «",
        ),
    ]
    for lookup, said in cases:
        with pytest.raises(UserError) as error:
            lookup()
        assert said in str(error.value), str(error.value)


def test_declared_tables_are_enforced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIRKBOK_TABLES", "kommuner, faktorer")
    monkeypatch.setenv("SIRKBOK_NOTEBOOK", "chapters/tema/biogass.ipynb")
    assert len(data.load("kommuner")) == 12
    with pytest.raises(UserError) as error:
        data.load("ressursstrommer")
    assert "chapters/tema/biogass.ipynb" in str(error.value) and "ressursstrommer" in str(
        error.value
    )


def test_schema_and_table_names() -> None:
    assert data.schema("kommuner")["primaryKey"] == ["kommunenummer"]
    assert {
        "regioner",
        "kommuner",
        "tema",
        "milepaeler",
        "aktorer",
        "aktor_tall",
        "statistikk",
        "faktorer",
        "ressursstrommer",
        "kilder",
    } <= set(data.table_names())
    with pytest.raises(UserError, match="Ukjent tabell"):
        data.schema("finnes_ikke")


def test_files_are_canonical_csv() -> None:
    for table in data.table_names():
        path = data.table_path(table)
        source, problems = textcsv.read_text_table(path, table)
        assert source is not None and not problems
        assert importer.canonical_csv(source.frame, data.schema(table)) == path.read_text("utf-8")


def test_missing_flows_name_where_they_will_come_from() -> None:
    flows = data.load("ressursstrommer")
    missing = flows[flows["status"] == "mangler"]
    assert missing["mengde"].isna().all() and missing["fylles_fra"].notna().all()
    assert {"HRA Trollmyra", "Mjøsanlegget", "Hunton Fiber", "Vardar Varme"} <= set(
        flows["til"]
    ) | set(flows["fra"])


def test_register_is_generated_from_the_descriptor() -> None:
    assert (DATA / "README.md").read_text("utf-8") == register.markdown(data.descriptor())


def test_generated_bibliography_parses_and_has_every_source(tmp_path: Path) -> None:
    target = bibtex.write_bibtex(tmp_path / "references.bib")
    entries = parse_file(str(target)).entries
    ids = [row["id"] for row in csv.DictReader((DATA / "kilder.csv").open(encoding="utf-8"))]
    assert sorted(entries) == sorted(ids)
    assert str(entries["banks2011"].persons["author"][0]) == "Banks, C. J."
    assert "65 prosent" in entries["ssb-avfall2020"].fields["note"]
    keys = [
        line.split(" – ")[0].strip()
        for line in (ROOT / "chapters/_bibkeys.txt").read_text("utf-8").splitlines()[2:]
        if " – " in line
    ]
    assert set(keys) <= set(ids)
