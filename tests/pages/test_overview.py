"""The overview chapter: data coverage counting, and the notebook run for real with papermill."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pandas as pd
import pytest
import theme_runs
from sirkbok.datapackage import load as data
from sirkbok.pages import coverage
from sirkbok.themes import parameters as params

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "chapters" / "tema" / "oversikt.ipynb"
run = partial(theme_runs.run, NOTEBOOK)
glued = theme_runs.glued


def small_package() -> dict[str, pd.DataFrame]:
    kommuner = pd.DataFrame(
        {"kommunenummer": ["1", "2"], "region": ["r1", "r2"], "status": ["målt", "mangler"]}
    )
    aktorer = pd.DataFrame(
        {
            "id": ["a", "ref"],
            "region": ["r1", pd.NA],
            "tema": ["biogass", "ombrukssentre"],
            "referanse": pd.array([False, True], dtype="boolean"),
        }
    )
    aktor_tall = pd.DataFrame(
        {"id": ["a-1", "ref-1"], "aktor": ["a", "ref"], "status": ["målt", "målt"]}
    )
    strommer = pd.DataFrame(
        {
            "id": ["s1", "s2", "s3"],
            "region": [pd.NA, "r2", pd.NA],
            "aktor": ["a", pd.NA, pd.NA],
            "kommunenummer": [pd.NA, pd.NA, "2"],
            "ressurs": ["matavfall", "rundvirke", "tekstiler"],
            "status": ["målt", "mangler", "mangler"],
        }
    )
    faktorer = pd.DataFrame({"id": ["gran_energi_50", "ukjent"], "status": ["målt", "estimat"]})
    return {
        "kommuner": kommuner,
        "aktorer": aktorer,
        "aktor_tall": aktor_tall,
        "ressursstrommer": strommer,
        "faktorer": faktorer,
    }


def test_values_get_region_and_theme() -> None:
    table = coverage.values(**small_package()).set_index("id")
    assert table.loc["s1", "region"] == "r1"  # from the actor
    assert table.loc["s3", "region"] == "r2"  # from the municipality
    assert table.loc["s2", "tema"] == "bioenergi"
    assert table.loc["ref-1", "region"] == coverage.REFERENCE
    assert table.loc["gran_energi_50", "tema"] == "bioenergi"
    assert table.loc["ukjent", "tema"] == coverage.COMMON
    assert table.loc["2", "tema"] == coverage.COMMON


def test_counts_fill_every_theme_and_status() -> None:
    counts = coverage.counts(coverage.values(**small_package()), ["r1", "r2"])
    r2 = counts[counts["region"] == "r2"].set_index("tema")
    assert set(r2.index) == {*coverage.THEMES, coverage.COMMON}
    assert r2.loc["tekstiler", "mangler"] == 1
    assert r2.loc["naeringsparker", "i_alt"] == 0
    assert pd.isna(r2.loc["naeringsparker", "andel_mangler"])
    assert r2.loc["bioenergi", "andel_mangler"] == 1


def test_real_package_is_counted_completely() -> None:
    tables = {
        name: data.load(name)
        for name in ("kommuner", "aktorer", "aktor_tall", "ressursstrommer", "faktorer")
    }
    table = coverage.values(**tables)
    expected = sum(len(tables[name]) for name in tables if name != "aktorer")
    assert len(table) == expected
    assert set(table["status"]) <= set(coverage.STATUSES)
    assert set(table["tema"]) <= {*coverage.THEMES, coverage.COMMON}


@pytest.mark.slow
def test_notebook_reuses_the_theme_parameters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIRKBOK_FIGURE_DIR", str(tmp_path / "figurer"))
    default = run(tmp_path, "standard")
    biogas = glued(default, "oversikt_biogass_gwh")
    missing = glued(default, "oversikt_mangler_andel")
    assert 0 < missing < 1
    for figure in ("aktorer", "dekning"):
        assert (tmp_path / "figurer" / f"oversikt-{figure}.svg").is_file()
    doubled = run(
        tmp_path, "dobbel", utsorteringsfaktor=2 * params.default("biogass", "utsorteringsfaktor")
    )
    assert glued(doubled, "oversikt_biogass_gwh") == pytest.approx(2 * biogas)
    assert glued(doubled, "oversikt_mangler_andel") == pytest.approx(missing)  # data, not estimates
