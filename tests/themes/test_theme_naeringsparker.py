"""The industrial-park chapter: side streams matched to receivers, and the notebook run for real."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pandas as pd
import pytest
import theme_runs
from sirkbok.core.errors import UserError
from sirkbok.datapackage import load as data
from sirkbok.themes import parameters as params
from sirkbok.themes.naeringsparker import model as naeringsparker

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "chapters" / "tema" / "naeringsparker.ipynb"
run = partial(theme_runs.run, NOTEBOOK)
glued = theme_runs.glued


def actors() -> pd.DataFrame:
    rows = [
        ("park", "naeringspark", "1", "r1", None),
        ("inne", "industri", "1", "r1", "park"),
        ("nabo", "fjernvarme", "1", "r1", None),
        ("fjern", "fjernvarme", "2", "r1", None),
        ("ute", "biogassanlegg", None, "r1", None),  # serves the region from outside it
    ]
    frame = pd.DataFrame(rows, columns=["id", "type", "kommunenummer", "region", "i_park"])
    return frame.astype("string").set_index("id")


def flows() -> pd.DataFrame:
    rows = [
        ("sagbruk", "r1", None, None, "flis og bark", "sidestrom", None, "mangler"),
        ("inne-flis", "r1", "1", "inne", "treflis", "innsats", 100.0, "målt"),
        ("fjern-returtre", "r1", "2", "fjern", "returtre", "innsats", None, "mangler"),
        ("gjodsel", "r1", None, None, "husdyrgjodsel", "sidestrom", None, "mangler"),
    ]
    frame = pd.DataFrame(
        rows,
        columns=["id", "region", "kommunenummer", "aktor", "ressurs", "trinn", "mengde", "status"],
    )
    return frame.astype({c: "string" for c in frame.columns if c != "mengde"}).astype(
        {"mengde": "Float64"}
    )


def test_members_by_nearness_level() -> None:
    members = naeringsparker.park_members(actors(), 2).set_index("aktor")["naerhet"].to_dict()
    assert members == {"inne": 0, "nabo": 1, "fjern": 2}  # «ute» has no municipality: not near
    assert set(naeringsparker.park_members(actors(), 0)["aktor"]) == {"inne"}


def test_region_side_streams_match_receivers_of_the_same_group() -> None:
    exchanges = naeringsparker.candidate_exchanges(flows(), actors(), 2)
    assert set(exchanges["mottaker"]) == {"inne", "fjern"}
    assert (exchanges["status"] == "mangler").all()  # the side stream's quantity is missing
    assert naeringsparker.headline(exchanges) == 2
    unmatched = naeringsparker.unmatched_side_streams(flows(), exchanges)
    assert list(unmatched["id"]) == ["gjodsel"]
    # a side stream known only per region is not near at the municipality level
    assert naeringsparker.candidate_exchanges(flows(), actors(), 1).empty


def test_network_layout_is_fixed_three_columns() -> None:
    members = naeringsparker.park_members(actors(), 2)
    exchanges = naeringsparker.candidate_exchanges(flows(), actors(), 2)
    nodes, edges = naeringsparker.network(members, exchanges, ["sagbruk", "gjodsel"], ["park"])
    again = naeringsparker.network(members, exchanges, ["sagbruk", "gjodsel"], ["park"])
    pd.testing.assert_frame_equal(nodes, again[0])  # same data, same picture
    columns = nodes.groupby("type")["x"].unique().map(list).to_dict()
    assert columns == {"sidestrom": [0], "aktor": [1], "park": [2]}
    assert len(edges[edges["type"] == "utveksling"]) == 2
    assert set(edges.loc[edges["type"] != "utveksling", "type"]) == set(
        naeringsparker.LEVELS.values()
    )
    # the one park is centred against the three actors
    assert nodes.loc[nodes["id"] == "park", "y"].item() == 1


def test_fractional_nearness_is_refused() -> None:
    with pytest.raises(UserError, match="naerhet"):
        naeringsparker.nearness_level(1.5)


@pytest.mark.slow
def test_notebook_headline_grows_with_the_nearness_level(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIRKBOK_FIGURE_DIR", str(tmp_path / "figurer"))
    default = glued(run(tmp_path, "standard"), "naeringsparker_headline")
    for figure in ("nettverk",):  # key figures and exchanges are text: mostly «mangler»
        assert (tmp_path / "figurer" / f"naeringsparker-{figure}.svg").is_file()
    expected = naeringsparker.headline(
        naeringsparker.candidate_exchanges(
            data.load("ressursstrommer"),
            data.load("aktorer").set_index("id"),
            int(params.default("naeringsparker", "naerhet")),
        )
    )
    assert default == expected
    in_park = glued(run(tmp_path, "i-parken", naerhet=0), "naeringsparker_headline")
    assert in_park <= default  # a stricter nearness rule never finds more exchanges
