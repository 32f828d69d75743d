"""Biogass: the food-waste potential per municipality and region, and the plants' intake.

`model` computes, `figures` draws; this module is what the rest of the package asks of the theme
(`sirkbok.themes.Theme`, `sirkbok.themes.offers`).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from sirkbok.core.format import estimate, missing
from sirkbok.reader.colours import GREEN
from sirkbok.themes.biogass import model
from sirkbok.themes.biogass.model import PARAMETERS as PARAMETERS
from sirkbok.themes.offers import Estimate, Place, Share, defaults, factor_sources

COLOUR = GREEN
RESOURCES = ("matavfall", "husdyrgjodsel", "biogass", "biorest")
FACTOR_PREFIXES = (
    "matavfall_",
    "gjodsel_",
    "samrotning_",
    "metan_",
    "diesel_",
    "biogass_",
    "matsvinn_",
)
# Flows with one row per municipality (`<kind>-<kommunenummer>`) -> the reader's name.
MUNICIPAL_FLOWS = {"matavfall": "Matavfall fra husholdningene"}


def municipal_shares(place: Place) -> list[Share]:
    """The municipality's food waste and its energy, next to the region's totals."""
    kommuner = place.tables["kommuner"]
    region = place.row()["region"]
    potential = model.potential_with(kommuner, defaults(PARAMETERS))
    totals = model.per_region(potential).set_index("region").loc[region]
    mine = place.mine(potential)
    sources = tuple(
        dict.fromkeys(
            [
                *place.population_source(),
                model.food_waste_per_inhabitant(place.tables["statistikk"]).source,
                *factor_sources(PARAMETERS),
            ]
        )
    )
    return [
        Share(
            theme="biogass",
            measure=measure,
            unit=unit,
            value=None if missing(mine[column]) else float(mine[column]),
            region_total=float(totals[column]),
            region_missing=str(totals["mangler"]),
            sources=sources,
        )
        for column, measure, unit in (
            ("matavfall_t", "Utsortert matavfall fra husholdningene", "tonn per år"),
            ("energi_gwh", "Energi i biogassen fra matavfallet", "GWh per år"),
        )
    ]


def municipal_actors(place: Place) -> list[tuple[str, str]]:
    """(plant id, why) for the biogas plants that the municipality's food waste goes to."""
    catchments = model.plant_catchments(place.tables["ressursstrommer"])
    return [
        (plant, "matavfallet fra kommunen går hit")
        for plant, served in catchments.items()
        if place.number in served
    ]


def headlines(tables: Mapping[str, pd.DataFrame]) -> list[Estimate]:
    """The chapter's estimates for the three regions together and per region."""
    regions = dict(zip(tables["regioner"]["id"], tables["regioner"]["kortnavn"], strict=True))
    potential = model.potential_with(tables["kommuner"], defaults(PARAMETERS))
    total = model.totals(potential)
    found = [
        Estimate(column, label, f"{estimate(total[column])} {unit}")
        for column, label, unit in (
            ("matavfall_t", "Utsortert matavfall, de tre regionene", "tonn per år"),
            ("energi_gwh", "Energi i biogassen, de tre regionene", "GWh per år"),
            ("co2e_t", "Unngåtte utslipp når biogassen erstatter diesel", "tonn CO₂e per år"),
        )
    ]
    for row in model.per_region(potential).itertuples():
        found.append(
            Estimate(
                f"{row.region}/energi_gwh",
                f"Energi i biogassen, {regions.get(row.region, row.region)}",
                f"{estimate(row.energi_gwh)} GWh per år",
            )
        )
    return found
