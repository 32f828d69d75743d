"""The biogas chapter: its calculations, and the notebook run for real with papermill."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pandas as pd
import pytest
import theme_runs
from sirkbok.datapackage import load as data
from sirkbok.themes import parameters as params
from sirkbok.themes.biogass import model as biogass

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "chapters" / "tema" / "biogass.ipynb"
run = partial(theme_runs.run, NOTEBOOK)
glued = theme_runs.glued


def statistics(food: float, total: float, per_inhabitant: float, year: int = 2023) -> pd.DataFrame:
    rows = [
        (f"norge-matavfall-{year}", year, food, "ssb"),
        (f"norge-husholdningsavfall-{year}", year, total, "ssb"),
        (f"norge-husholdningsavfall-per-innb-{year}", year, per_inhabitant, "ssb"),
    ]
    return pd.DataFrame(rows, columns=["id", "aar", "verdi", "kilde"]).astype(
        {"id": "string", "aar": "Int64", "verdi": "Float64", "kilde": "string"}
    )


def municipalities() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kommunenummer": ["1", "2", "3"],
            "navn": ["A", "B", "C"],
            "region": ["r1", "r1", "r2"],
            "folketall": pd.array([1000, pd.NA, 3000], dtype="Int64"),
        }
    )


def test_food_waste_per_inhabitant_uses_ssbs_implied_population() -> None:
    # 200 000 t of 2 000 000 t at 400 kg per inhabitant: 5 million people, 40 kg each
    derived = biogass.food_waste_per_inhabitant(statistics(200, 2000, 400))
    assert derived.value == pytest.approx(40)
    assert derived.year == 2023


def test_food_waste_years_need_all_three_series() -> None:
    table = pd.concat([statistics(200, 2000, 400, 2022), statistics(210, 2100, 400, 2023)])
    table = table[table["id"] != "norge-matavfall-2022"]
    assert biogass.food_waste_years(table) == [2023]


def test_potential_chain_and_missing_population() -> None:
    frame = biogass.potential(
        municipalities(),
        kg_per_inhabitant=40,
        sorting_factor=1.5,
        methane_per_tonne=100,
        methane_kwh=10,
        diesel_kwh=10,
        climate_t_per_twh=250_000,
    )
    first = frame.iloc[0]
    assert first["matavfall_t"] == pytest.approx(60)  # 1000 × 40 kg × 1,5
    assert first["metan_nm3"] == pytest.approx(6000)
    assert first["energi_gwh"] == pytest.approx(0.06)
    assert first["diesel_l"] == pytest.approx(6000)
    assert first["co2e_t"] == pytest.approx(15)
    assert frame.loc[1, "status"] == "mangler"
    assert pd.isna(frame.loc[1, "energi_gwh"])  # missing stays missing, never zero


def test_region_totals_are_flagged_incomplete() -> None:
    frame = biogass.potential(municipalities(), 40, 1, 100, 10, 10, 250_000)
    regions = biogass.per_region(frame).set_index("region")
    assert not regions.loc["r1", "komplett"]
    assert regions.loc["r1", "mangler"] == "B"
    assert regions.loc["r2", "komplett"]
    total = biogass.totals(frame)
    assert total["folketall"] == 4000
    assert total["mangler"] == "B"


def test_sensitivity_varies_one_input_at_a_time() -> None:
    base = {"kg_per_inhabitant": 40, "sorting_factor": 1.0, "kwh_per_tonne": 800}
    table = biogass.sensitivity(
        10_000, base, {"sorting_factor": (0.5, 2.0), "kwh_per_tonne": (400, 900)}
    )
    reference = 10_000 * 40 / 1000 * 800 / 1e6
    assert table.loc[0, "inndata"] == "sorting_factor"  # widest first
    assert table.loc[0, "gwh_lav"] == pytest.approx(reference / 2)
    assert table.loc[0, "gwh_hoy"] == pytest.approx(reference * 2)
    assert list(table["gwh_basis"]) == pytest.approx([reference, reference])


def test_manure_scenario_scales_with_tonnes() -> None:
    factors = {"storfe": 15, "svin": 16.8, "fjorfe": 84}
    energy = {"storfe": 150, "svin": 167, "fjorfe": 837}
    table = biogass.manure_scenario(10_000, factors, energy).set_index("gjodseltype")
    assert table.loc["Storfe", "energi_gwh"] == pytest.approx(1.5)
    assert table.loc["Fjørfe", "metan_m3"] == pytest.approx(840_000)


def test_plant_comparison_keeps_missing_intake() -> None:
    kommuner = data.load("kommuner")
    defaults = params.defaults("biogass")
    frame = biogass.potential(
        kommuner, defaults["matavfall_per_innbygger"], 1, 83.3, 9.92, 10.056, 250_000
    )
    table = biogass.plant_comparison(
        frame,
        data.load("ressursstrommer"),
        data.load("aktor_tall"),
        {"gjovikregionen": "Gjøvikregionen"},
    )
    assert set(table["anlegg"]) == {"hra-trollmyra", "mjosanlegget"}
    missing = table[table["status"] == "mangler"]
    assert (missing["anlegg"] == "mjosanlegget").all() and missing["verdi_t"].isna().all()


@pytest.mark.slow
def test_notebook_headline_doubles_with_the_sorting_factor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIRKBOK_FIGURE_DIR", str(tmp_path / "figurer"))
    default = run(tmp_path, "standard")
    headline = glued(default, "biogass_headline")
    assert headline > 0
    for figure in ("kommuner", "anlegg", "gjodsel", "folsomhet"):
        assert (tmp_path / "figurer" / f"biogass-{figure}.svg").is_file()
    doubled = run(
        tmp_path, "dobbel", utsorteringsfaktor=2 * params.default("biogass", "utsorteringsfaktor")
    )
    assert glued(doubled, "biogass_headline") == pytest.approx(2 * headline)


def test_energy_range_compares_gross_with_gross() -> None:
    """The recoverable 405 kWh/t (Banks) is another basis and stays out of the gross range."""
    from sirkbok.datapackage import load as data

    def value(factor_id: str) -> float:
        found = data.factor(factor_id).value
        assert found is not None, factor_id
        return found

    low, high = biogass.gross_energy_range(
        value("matavfall_metan"),
        value("metan_energi"),
        value("matavfall_dieselekv"),
        value("diesel_energi"),
    )
    assert low == pytest.approx(83.3 * 9.92)
    assert high == pytest.approx(90 * 10.056)
    assert low > value("matavfall_energi_banks")
