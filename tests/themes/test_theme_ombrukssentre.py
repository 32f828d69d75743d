"""The reuse-centre chapter: its calculations, and the notebook run for real with papermill."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pandas as pd
import pytest
import theme_runs
from sirkbok.datapackage import load as data
from sirkbok.themes.ombrukssentre import figures as ombrukssentre_figures
from sirkbok.themes.ombrukssentre import model as ombrukssentre

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "chapters" / "tema" / "ombrukssentre.ipynb"
run = partial(theme_runs.run, NOTEBOOK)
glued = theme_runs.glued


def test_catchment_sums_known_populations_and_names_the_missing() -> None:
    kommuner = pd.DataFrame(
        {
            "navn": pd.array(["A", "B", "C"], dtype="string"),
            "region": pd.array(["r1", "r1", "r2"], dtype="string"),
            "folketall": pd.array([1000, pd.NA, 3000], dtype="Int64"),
        }
    )
    table = ombrukssentre.catchment_by_region(kommuner).set_index("region")
    assert table.loc["r1", "folketall"] == 1000
    assert table.loc["r1", "kommuner_uten_tall"] == "B"
    assert not table.loc["r1", "komplett"]
    assert table.loc["r2", "komplett"]
    three = kommuner.assign(region="r1", folketall=pd.array([pd.NA] * 3, dtype="Int64"))
    assert ombrukssentre.catchment_by_region(three).loc[0, "kommuner_uten_tall"] == "A, B og C"


def test_a_long_region_label_is_wrapped_not_cut() -> None:
    label = "Ringeriksregionen|(uten Jevnaker, Krødsherad og Modum)"
    lines = ombrukssentre_figures.wrapped(label).split("|")
    assert lines[0] == "Ringeriksregionen" and " ".join(lines[1:]) == label.split("|")[1]
    assert all(len(line) <= ombrukssentre_figures.LABEL_CHARACTERS for line in lines)


def test_scaling_needs_a_reference_population() -> None:
    assert ombrukssentre.scale(200, 0, 68_000) is None  # not set: «mangler», never a guess
    assert ombrukssentre.scale(200, 100_000, None) is None
    assert ombrukssentre.scale(200, 100_000, 50_000) == pytest.approx(100)


def test_climate_range_uses_network_low_and_direct_high() -> None:
    low, high = ombrukssentre.climate_range(200, 1.0, 1.05, 1.45)
    assert (low, high) == (pytest.approx(210), pytest.approx(290))
    assert ombrukssentre.climate_range(200, 0.5, 1.05, 1.45)[1] == pytest.approx(145)
    assert ombrukssentre.climate_range(None, 1.0, 1.05, 1.45) == (None, None)


def test_growth_of_retuna_sales() -> None:
    rows = data.load("aktor_tall").set_index("id")
    growth = ombrukssentre.growth(
        float(rows.loc["retuna-salg-2016", "verdi"]), float(rows.loc["retuna-salg-2020", "verdi"])
    )
    assert growth == pytest.approx(15.4 / 8.1)


@pytest.mark.slow
def test_notebook_scales_only_when_the_reference_population_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIRKBOK_FIGURE_DIR", str(tmp_path / "figurer"))
    default = run(tmp_path, "standard")
    assert glued(default, "ombrukssentre_headline") == "mangler"
    for figure in ("befolkning", "klimagevinst"):
        assert (tmp_path / "figurer" / f"ombrukssentre-{figure}.svg").is_file()
    small = float(
        glued(run(tmp_path, "liten", referanse_befolkning=100_000), "ombrukssentre_headline")
    )
    large = float(
        glued(run(tmp_path, "stor", referanse_befolkning=200_000), "ombrukssentre_headline")
    )
    rows = data.load("aktor_tall").set_index("id")
    expected = (
        float(rows.loc["resirkula-ombruk", "verdi"])
        * float(rows.loc["hra-innbyggere", "verdi"])
        / 100_000
    )
    assert small == pytest.approx(expected)
    assert large == pytest.approx(small / 2)  # twice the reference population halves the scaling


def test_furniture_share_default_is_central_and_the_bounds_span_the_unknown_share() -> None:
    """All throughput as sofas was the top of the range; the default now sits in the middle."""
    from sirkbok.themes import parameters as params

    spec = next(p for p in params.specs("ombrukssentre") if p.name == "mobelandel")
    assert params.default("ombrukssentre", "mobelandel") == (spec.minimum + spec.maximum) / 2
    assert ombrukssentre.climate_bounds(200, 1.05, 1.45) == (0, pytest.approx(290))
