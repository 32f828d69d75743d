"""Bioenergi: the energy in the known wood flows, and the forest-residue (GROT) method.

Only a few wood flows are published (Hunton's chips, Vardar's heat); the rest, and every
municipality's harvest volume (SSB table 03895), are missing. The chapter therefore shows the
conversion factors, the method as a worked formula, and a map of what is and is not known,
rather than a regional total.
"""

from __future__ import annotations

import pandas as pd

from sirkbok.core.format import number, percent
from sirkbok.core.vocabulary import ESTIMATE, MISSING, STATUSES
from sirkbok.themes.parameter import Parameter

PARAMETERS: list[Parameter] = [
    Parameter(
        name="flis_densitet",
        description="Vekt av flis per løs kubikkmeter",
        unit="kg per løs m³",
        minimum=100,
        maximum=600,
        factor="flis_densitet",
    ),
    Parameter(
        name="flis_energi",
        description="Energi i flis per tonn, samme kilde og fuktighet som densiteten",
        unit="MWh per tonn",
        minimum=1,
        maximum=5.5,
        factor="flis_energi_se",
    ),
    Parameter(
        name="energi_per_fastkubikk",
        description="Effektiv brennverdi for gran med 50 % fuktighet, per fast kubikkmeter",
        unit="kWh per m³ fast",
        minimum=1000,
        maximum=3000,
        factor="gran_energi_50",
    ),
    Parameter(
        name="grot_per_rundvirke",
        description="Greiner og topper (GROT) igjen på hogstflaten per kubikkmeter avvirket "
        "rundvirke",
        unit="m³ per m³",
        minimum=0,
        maximum=1,
        factor="grot_per_rundvirke",
    ),
    Parameter(
        name="grot_uttaksandel",
        description="Andel av GROT som tas ut av skogen (kilden anbefaler høyst 70 %)",
        unit="andel 0–0,7",
        minimum=0,
        maximum=0.7,
        factor="grot_uttak_maks",
    ),
]

WOOD_RESOURCES = ["rundvirke", "grot", "treflis", "bark", "returtre", "flis og bark", "varme"]
RESOURCE_LABELS = {
    "rundvirke": "Rundvirke",
    "grot": "GROT",
    "treflis": "Treflis",
    "bark": "Bark",
    "returtre": "Returtre",
    "varme": "Varme",
}
STATUS_ORDER = list(STATUSES)


def chips_loose_gwh(cubic_metres: float, density_kg: float, mwh_per_tonne: float) -> float:
    """Energy in chips measured in loose m³: volume × density × energy per tonne."""
    return cubic_metres * density_kg / 1000 * mwh_per_tonne / 1000


def chips_solid_gwh(cubic_metres: float, kwh_per_solid_m3: float) -> float:
    """Energy in wood measured in solid m³: volume × energy per solid m³."""
    return cubic_metres * kwh_per_solid_m3 / 1e6


def grot_energy_mwh(
    harvest_m3: float | None, grot_ratio: float, removal_share: float, kwh_per_solid_m3: float
) -> float | None:
    """Forest-residue energy from a harvest: harvest × GROT ratio × removal share × energy per m³.

    A missing harvest volume gives a missing result, never zero.
    """
    if harvest_m3 is None or pd.isna(harvest_m3):
        return None
    return float(harvest_m3) * grot_ratio * removal_share * kwh_per_solid_m3 / 1000


def wood_flows(ressursstrommer: pd.DataFrame) -> pd.DataFrame:
    """The wood and heat flows of the resource-flow table (actors' flows first, then the rest)."""
    flows = ressursstrommer[ressursstrommer["ressurs"].isin(WOOD_RESOURCES)].copy()
    flows["har_aktor"] = flows["aktor"].notna()
    return (
        flows.sort_values(["har_aktor", "id"], ascending=[False, True])
        .drop(columns=["har_aktor"])
        .reset_index(drop=True)
    )


def _combine(statuses: list[str]) -> str:
    """The best status in a cell: a measured value beats an estimate beats a missing one."""
    return min(statuses, key=STATUS_ORDER.index)


def knowledge_grid(kommuner: pd.DataFrame, ressursstrommer: pd.DataFrame) -> pd.DataFrame:
    """Per municipality and resource: whether a quantity is measured, estimated or missing.

    The GROT column is derived: it can be computed only where the harvest volume is known.
    Cells with no registered flow are left out (nothing is known to exist there).
    """
    flows = ressursstrommer[
        ressursstrommer["ressurs"].isin(RESOURCE_LABELS) & ressursstrommer["kommunenummer"].notna()
    ]
    rows = []
    names = dict(zip(kommuner["kommunenummer"], kommuner["navn"], strict=True))
    regions = dict(zip(kommuner["kommunenummer"], kommuner["region"], strict=True))
    for (code, resource), group in flows.groupby(["kommunenummer", "ressurs"], sort=True):
        status = _combine(group["status"].tolist())
        known = group[group["mengde"].notna()]
        rows.append(
            {
                "kommunenummer": code,
                "kommune": names.get(code, code),
                "region": regions.get(code, pd.NA),
                "ressurs": RESOURCE_LABELS[resource],
                "status": status,
                "antall_strommer": len(group),
                "mengde": float(known["mengde"].sum()) if len(known) else None,
                "kjent": "; ".join(
                    f"{number(row['mengde'])} {str(row['enhet']).replace('m3', 'm³')}"
                    for _, row in known.iterrows()
                ),
                "fylles_fra": "; ".join(sorted(set(group["fylles_fra"].dropna()))),
            }
        )
        if resource == "rundvirke":
            rows.append(
                {
                    "kommunenummer": code,
                    "kommune": names.get(code, code),
                    "region": regions.get(code, pd.NA),
                    "ressurs": RESOURCE_LABELS["grot"],
                    "status": ESTIMATE if status != MISSING else MISSING,
                    "antall_strommer": 0,
                    "mengde": None,
                    "kjent": "",
                    "fylles_fra": "beregnes når avvirkningen er hentet",
                }
            )
    frame = pd.DataFrame(rows)
    frame["mengde"] = frame["mengde"].astype("Float64")
    return frame


def gaps(grid: pd.DataFrame, municipalities: int) -> pd.DataFrame:
    """What `knowledge_grid` lacks, one row per wood flow: the municipalities it is missing for
    («alle 12 kommuner» when it is missing for each of the `municipalities`) and where to fetch it."""
    rows = []
    for resource, group in grid[grid["status"] == MISSING].groupby("ressurs", sort=False):
        every = len(group) == municipalities
        rows.append(
            {
                "Treflyt": resource,
                "Mangler for": f"alle {len(group)} kommuner"
                if every
                else ", ".join(group["kommune"]),
                "Kan hentes fra": "; ".join(sorted(set(group["fylles_fra"]) - {""})),
            }
        )
    return pd.DataFrame(rows, columns=["Treflyt", "Mangler for", "Kan hentes fra"])


def upper_bound(share: float) -> dict[str, str]:
    """The GROT example's phrases: at the largest removal share the source allows, the figures are
    upper bounds, not expectations, and the text says so in four places; otherwise it says nothing."""
    top = next(p.maximum for p in PARAMETERS if p.name == "grot_uttaksandel")
    if share < top:
        return dict.fromkeys(["grot-grense", "grot-hoyst", "grot-estimat", "grot-fordi"], "")
    return {
        "grot-grense": f" (øvre grense: uttaksandelen er satt til {percent(share)}, den største "
        "andelen kilden mener bør tas ut)",
        "grot-hoyst": "høyst ",
        "grot-estimat": ", øvre grense",
        "grot-fordi": ", fordi hele den største anbefalte andelen regnes som tatt ut",
    }


def leader_without_actors(actors: pd.DataFrame) -> str:
    """A sentence when the data package has no bioenergy actor in Hadelandsregionen, which is
    proposed to lead the theme; nothing when it has one."""
    if (actors["region"] == "hadelandsregionen").any():
        return ""
    return (
        "Datapakken har ennå ingen bioenergiaktører registrert i Hadelandsregionen, selv om "
        "regionen er foreslått å lede temaet."
    )
