"""The textiles chapter: its calculations, and the notebook run for real with papermill."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pandas as pd
import pytest
import theme_runs
from sirkbok.core.errors import UserError
from sirkbok.themes import parameters as params
from sirkbok.themes.tekstiler import model as tekstiler

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "chapters" / "tema" / "tekstiler.ipynb"
run = partial(theme_runs.run, NOTEBOOK)
glued = theme_runs.glued


def municipalities() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kommunenummer": pd.array(["1", "2", "3"], dtype="string"),
            "navn": pd.array(["A", "B", "C"], dtype="string"),
            "region": pd.array(["r1", "r1", "r2"], dtype="string"),
            "folketall": pd.array([1000, pd.NA, 3000], dtype="Int64"),
        }
    )


def test_volumes_are_population_times_kilos_and_missing_stays_missing() -> None:
    volumes = tekstiler.municipal_volumes(municipalities(), 24, 9, 6, 0.5)
    first = volumes.iloc[0]
    assert first["generert_t"] == pytest.approx(24)  # 1 000 × 24 kg
    assert first["restavfall_t"] == pytest.approx(9)
    assert first["innlevert_t"] == pytest.approx(6)
    assert first["ombrukbar_restavfall_t"] == pytest.approx(4.5)
    assert volumes.loc[1, "status"] == "mangler"
    assert pd.isna(volumes.loc[1, "restavfall_t"])  # never zero-filled


def test_region_totals_name_the_municipality_left_out() -> None:
    totals = tekstiler.region_totals(tekstiler.municipal_volumes(municipalities(), 24, 9, 6, 0.5))
    totals = totals.set_index("region")
    assert not totals.loc["r1", "komplett"]
    assert totals.loc["r1", "kommuner_uten_tall"] == "B"
    assert totals.loc["r1", "restavfall_t"] == pytest.approx(9)
    assert totals.loc["r2", "komplett"]


def test_climate_benefit_is_linear_in_the_replacement_rate() -> None:
    assert tekstiler.climate_benefit(100, 15, 0) == 0
    assert tekstiler.climate_benefit(100, 15, 0.5) == pytest.approx(750)
    curve = tekstiler.benefit_curve(pd.Series({"r1": 100.0}), 15, steps=4)
    assert list(curve["klimagevinst_t_co2"]) == pytest.approx([0, 375, 750, 1125, 1500])


def test_swapped_replacement_range_is_refused_in_norwegian() -> None:
    with pytest.raises(UserError, match="erstatningsgrad_lav"):
        tekstiler.replacement_range(0.8, 0.2)


@pytest.mark.slow
def test_notebook_headline_follows_the_residual_waste_factor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIRKBOK_FIGURE_DIR", str(tmp_path / "figurer"))
    default = run(tmp_path, "standard")
    headline = glued(default, "tekstiler_headline")
    assert headline > 0
    for figure in ("mengder-region", "ombrukbart-kommuner", "klimagevinst"):
        assert (tmp_path / "figurer" / f"tekstiler-{figure}.svg").is_file()
    assert glued(default, "tekstiler_klima_lav") == 0  # the default range starts at 0
    residual = params.default("tekstiler", "restavfall_per_innbygger")
    doubled = run(
        tmp_path, "dobbel", restavfall_per_innbygger=2 * residual, erstatningsgrad_lav=0.5
    )
    assert glued(doubled, "tekstiler_headline") == pytest.approx(2 * headline)
    # the climate benefit is the collected tonnes × footprint × replacement rate
    footprint = params.default("tekstiler", "produksjon_co2")
    assert glued(doubled, "tekstiler_klima_lav") == pytest.approx(2 * headline * footprint * 0.5)
