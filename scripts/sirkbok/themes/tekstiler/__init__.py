"""Ombruk av tekstiler: textile volumes per municipality and the climate benefit of reuse.

`model` computes, `figures` draws; this module is what the rest of the package asks of the theme
(`sirkbok.themes.Theme`, `sirkbok.themes.offers`).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from sirkbok.core.format import estimate, missing
from sirkbok.reader.colours import MAGENTA
from sirkbok.themes.offers import Estimate, Place, Share, defaults, factor_sources
from sirkbok.themes.tekstiler import model
from sirkbok.themes.tekstiler.model import PARAMETERS as PARAMETERS

COLOUR = MAGENTA
RESOURCES = ("tekstiler",)
FACTOR_PREFIXES = ("tekstil_", "plagg_", "fretex_")
# Flows with one row per municipality (`<kind>-<kommunenummer>`) -> the reader's name.
MUNICIPAL_FLOWS = {"tekstiler": "Tekstiler fra husholdningene"}


def municipal_shares(place: Place) -> list[Share]:
    """The municipality's textile waste and the reusable part in its residual waste."""
    volumes = model.volumes_with(place.tables["kommuner"], defaults(PARAMETERS))
    region_volumes = model.region_totals(volumes).set_index("region").loc[place.row()["region"]]
    mine = place.mine(volumes)
    sources = tuple(dict.fromkeys([*place.population_source(), *factor_sources(PARAMETERS)]))
    return [
        Share(
            theme="tekstiler",
            measure=measure,
            unit="tonn per år",
            value=None if missing(mine[column]) else float(mine[column]),
            region_total=float(region_volumes[column]),
            region_missing=str(region_volumes["kommuner_uten_tall"]).replace("; ", ", "),
            sources=sources,
        )
        for column, measure in (
            ("generert_t", "Tekstilavfall som oppstår"),
            ("ombrukbar_restavfall_t", "Ombrukbare klær og sko i restavfallet"),
        )
    ]


def headlines(tables: Mapping[str, pd.DataFrame]) -> list[Estimate]:
    """The chapter's reusable volume, what separate collection gets out, and its climate benefit."""
    values = defaults(PARAMETERS)
    volumes = model.region_totals(model.volumes_with(tables["kommuner"], values))
    reusable = float(volumes["ombrukbar_restavfall_t"].sum())
    collected = model.collected_tonnes(reusable, values["utsortert_andel"])
    low, high = model.replacement_range(
        values["erstatningsgrad_lav"], values["erstatningsgrad_hoy"]
    )
    benefit = [
        estimate(model.climate_benefit(collected, values["produksjon_co2"], rate), approx=False)
        for rate in (low, high)
    ]
    return [
        Estimate(
            "ombrukbar_restavfall_t",
            "Ombrukbare tekstiler i restavfallet, de tre regionene",
            f"{estimate(reusable)} tonn per år",
        ),
        Estimate(
            "innsamlet_t",
            "Ombrukbare tekstiler som den separate innsamlingen får ut",
            f"{estimate(collected)} tonn per år",
        ),
        Estimate(
            "klimagevinst_t",
            "Klimagevinst av innsamlingen",
            f"{benefit[0]}–{benefit[1]} tonn CO₂ per år",
        ),
    ]
