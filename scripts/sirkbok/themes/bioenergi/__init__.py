"""Bioenergi: the energy in the known wood flows, and the forest-residue (GROT) method.

`model` computes, `figures` draws; this module is what the rest of the package asks of the theme
(`sirkbok.themes.Theme`, `sirkbok.themes.offers`).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from sirkbok.core.format import estimate
from sirkbok.core.format import text as escape
from sirkbok.reader.colours import ORANGE
from sirkbok.themes.bioenergi import model
from sirkbok.themes.bioenergi.model import PARAMETERS as PARAMETERS
from sirkbok.themes.offers import Estimate, Place, defaults

COLOUR = ORANGE
RESOURCES = ("treflis", "bark", "returtre", "flis og bark", "rundvirke", "grot", "varme")
FACTOR_PREFIXES = (
    "flis_",
    "pellets_",
    "ved_",
    "tre_",
    "gran_",
    "furu_",
    "bjork_",
    "grot_",
    "sagbruk_",
)
# Flows with one row per municipality (`<kind>-<kommunenummer>`) -> the reader's name.
MUNICIPAL_FLOWS = {"avvirkning": "Avvirkning (rundvirke)"}


def municipal_note(place: Place) -> str:
    """No estimate per municipality yet; what the data package knows of its wood."""
    grid = model.knowledge_grid(place.tables["kommuner"], place.tables["ressursstrommer"])
    wood = grid[grid["kommunenummer"] == place.number].reset_index(drop=True)
    known = wood[wood["status"] != "mangler"] if not wood.empty else wood
    listed = "; ".join(
        f"{escape(r['ressurs'])}: {escape(r['kjent']) or escape(r['status'])}"
        for _, r in known.iterrows()
    )
    return "ingen anslag per kommune, fordi avvirkningen i kommunen ikke er hentet ennå." + (
        f" Kjent fra datapakken: {listed}." if listed else ""
    )


def headlines(tables: Mapping[str, pd.DataFrame]) -> list[Estimate]:
    """The energy in the chips Hunton Fiber uses, when the data package has that flow."""
    wood = defaults(PARAMETERS)
    flows = model.wood_flows(tables["ressursstrommer"]).set_index("id")
    if "hunton-flis" not in flows.index:
        return []
    chips = model.chips_loose_gwh(
        float(flows.loc["hunton-flis", "mengde"]), wood["flis_densitet"], wood["flis_energi"]
    )
    return [
        Estimate(
            "hunton_gwh",
            "Energien i flisen Hunton Fiber bruker (løse m³)",
            f"{estimate(chips)} GWh per år",
        )
    ]
