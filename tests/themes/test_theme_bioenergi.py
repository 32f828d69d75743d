"""The bioenergy chapter: its conversions, and the notebook run for real with papermill."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pandas as pd
import pytest
import theme_runs
from sirkbok.datapackage import load as data
from sirkbok.themes import parameters as params
from sirkbok.themes.bioenergi import model as bioenergi

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "chapters" / "tema" / "bioenergi.ipynb"
run = partial(theme_runs.run, NOTEBOOK)
glued = theme_runs.glued


def test_chips_in_loose_cubic_metres() -> None:
    # 1 000 loose m³ × 300 kg × 2 MWh per tonne = 600 MWh
    assert bioenergi.chips_loose_gwh(1000, 300, 2) == pytest.approx(0.6)


def test_wood_in_solid_cubic_metres() -> None:
    assert bioenergi.chips_solid_gwh(1000, 2000) == pytest.approx(2.0)


def test_grot_method_and_missing_harvest() -> None:
    # 1 000 m³ × 0,5 × 0,5 × 2 000 kWh = 500 MWh
    assert bioenergi.grot_energy_mwh(1000, 0.5, 0.5, 2000) == pytest.approx(500)
    assert bioenergi.grot_energy_mwh(None, 0.5, 0.5, 2000) is None
    assert bioenergi.grot_energy_mwh(pd.NA, 0.5, 0.5, 2000) is None


def test_knowledge_grid_marks_missing_and_derives_grot() -> None:
    kommuner = pd.DataFrame({"kommunenummer": ["1", "2"], "navn": ["A", "B"], "region": ["r", "r"]})
    flows = pd.DataFrame(
        {
            "kommunenummer": ["1", "1", "2", "2"],
            "ressurs": ["rundvirke", "treflis", "rundvirke", "varme"],
            "mengde": pd.array([pd.NA, 100.0, 5000.0, pd.NA], dtype="Float64"),
            "enhet": ["m3/år", "m3/år", "m3/år", "GWh/år"],
            "status": ["mangler", "målt", "målt", "mangler"],
            "fylles_fra": ["SSB", pd.NA, pd.NA, "selskapet"],
        }
    )
    grid = bioenergi.knowledge_grid(kommuner, flows).set_index(["kommune", "ressurs"])
    assert grid.loc[("A", "Rundvirke"), "status"] == "mangler"
    assert grid.loc[("A", "GROT"), "status"] == "mangler"  # cannot be computed without harvest
    assert grid.loc[("B", "GROT"), "status"] == "estimat"
    assert grid.loc[("A", "Treflis"), "mengde"] == 100
    assert pd.isna(grid.loc[("B", "Varme"), "mengde"])


def test_real_grid_covers_every_municipality() -> None:
    grid = bioenergi.knowledge_grid(data.load("kommuner"), data.load("ressursstrommer"))
    assert set(grid["kommune"]) == set(data.load("kommuner")["navn"])


@pytest.mark.slow
def test_notebook_headline_follows_density_and_removal_share(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIRKBOK_FIGURE_DIR", str(tmp_path / "figurer"))
    default = run(tmp_path, "standard")
    chips = glued(default, "bioenergi_headline")
    grot = glued(default, "bioenergi_grot_mwh_per_1000m3")
    for figure in ("treflyter",):  # the municipality grid is a list of gaps now
        assert (tmp_path / "figurer" / f"bioenergi-{figure}.svg").is_file()
    halved = run(
        tmp_path,
        "halv",
        flis_densitet=params.default("bioenergi", "flis_densitet") / 2,
        grot_uttaksandel=params.default("bioenergi", "grot_uttaksandel") / 2,
    )
    assert glued(halved, "bioenergi_headline") == pytest.approx(chips / 2)
    assert glued(halved, "bioenergi_grot_mwh_per_1000m3") == pytest.approx(grot / 2)
