"""Ombrukssentre: catchment populations, and throughput, turnover and climate scenarios scaled
from the reference centres. The reference catchment population is not in the sources, so scaling
per inhabitant only happens when the reader sets it; until then the scaled scenarios read «mangler».
"""

from __future__ import annotations

import pandas as pd

from sirkbok.core.format import estimate, listing, number
from sirkbok.themes.parameter import Parameter

PARAMETERS: list[Parameter] = [
    Parameter(
        name="referanse_befolkning",
        description="Befolkningsgrunnlaget til referansesenteret Resirkula (Sirkula IKS, Hamar)",
        unit="innbyggere (0 = ikke satt)",
        minimum=0,
        maximum=2_000_000,
        assumption=0.0,
        reason="Befolkningsgrunnlaget til Resirkula er ikke funnet i kildene. Verdien 0 betyr "
        "«ikke satt»: da vises de skalerte scenarioene som mangler. Sett tallet selv når det "
        "er kjent.",
    ),
    Parameter(
        name="klimafaktor_direkte",
        description="Spart klimagassutslipp per tonn møbler ved direkte ombruk",
        unit="tonn CO₂e per tonn",
        minimum=0,
        maximum=10,
        factor="ombruk_mobler_direkte",
    ),
    Parameter(
        name="klimafaktor_nettverk",
        description="Spart klimagassutslipp per tonn møbler ombrukt gjennom et nettverk for "
        "forberedelse til ombruk",
        unit="tonn CO₂e per tonn",
        minimum=0,
        maximum=10,
        factor="ombruk_mobler_nettverk",
    ),
    Parameter(
        name="mobelandel",
        description="Andel av mengden som regnes med WRAP-faktorene for møbler",
        unit="andel 0–1",
        minimum=0,
        maximum=1,
        assumption=0.5,
        reason="Varesammensetningen ved referansesentrene er ikke publisert, så andelen kan ligge "
        "hvor som helst mellom 0 og 1. Standardverdien 0,5 er midt i dette spennet, ikke et målt "
        "tall; kapitlet viser også gevinsten med andel 0 og 1. Mengde som ikke er møbler, regnes "
        "uten klimagevinst.",
    ),
]


def catchment_by_region(kommuner: pd.DataFrame) -> pd.DataFrame:
    """Population per region over municipalities with a figure, naming those without one as prose
    lists them («A, B og C»)."""
    rows = []
    for region, group in kommuner.groupby("region", sort=True):
        missing = group.loc[group["folketall"].isna(), "navn"].tolist()
        rows.append(
            {
                "region": region,
                "folketall": int(group["folketall"].dropna().sum()),
                "kommuner_uten_tall": listing(missing),
                "komplett": not missing,
            }
        )
    return pd.DataFrame(rows)


def scale(
    reference_value: float, reference_population: float, population: float | None
) -> float | None:
    """`reference_value` per inhabitant of the reference, times `population`.

    Returns None (shown as «mangler») when the reference population is not set (0) or the
    population is unknown: a scaled figure is never produced from a missing input.
    """
    if not reference_population or population is None or pd.isna(population):
        return None
    return reference_value * float(population) / reference_population


def climate_range(
    tonnes: float | None, mobelandel: float, klimafaktor_nettverk: float, klimafaktor_direkte: float
) -> tuple[float | None, float | None]:
    """Avoided emissions (t CO₂e/år), low via a reuse network and high via direct reuse."""
    if tonnes is None:
        return None, None
    furniture = tonnes * mobelandel
    return furniture * klimafaktor_nettverk, furniture * klimafaktor_direkte


def climate_bounds(
    tonnes: float | None, klimafaktor_nettverk: float, klimafaktor_direkte: float
) -> tuple[float | None, float | None]:
    """The whole possible range when the furniture share is unknown: none (0) to all via direct reuse."""
    low, _ = climate_range(tonnes, 0.0, klimafaktor_nettverk, klimafaktor_direkte)
    _, high = climate_range(tonnes, 1.0, klimafaktor_nettverk, klimafaktor_direkte)
    return low, high


def growth(first: float, last: float) -> float:
    """How many times a figure grew between two years (e.g. ReTuna's sales 2016 → 2020)."""
    return last / first


def scenario_b(
    hra: pd.Series, ringerike: pd.Series, reference: float, note: str, region: str
) -> str:
    """Scenario B in words: missing while the reference centre's population is unknown (`reference`
    is 0 then, and the scaled rows are empty), else its tonnes, turnover and climate benefit for
    HRA's area (`hra`) and for Ringeriksregionen (`ringerike`, named `region`). `note` is the
    reference population's `params.note`."""

    if pd.isna(hra["tonn"]):
        return (
            "mangler. Resirkulas befolkningsgrunnlag finnes ikke i kildene, så tonn og omsetning kan "
            "ikke regnes per innbygger. Scenarioet regnes ut når det tallet er kjent."
        )
    return (
        f"estimat. Med et befolkningsgrunnlag for Resirkula på {number(reference)} innbyggere "
        f"{note} tilsvarer Resirkulas tall {estimate(hra['tonn'])} tonn og over "
        f"{estimate(hra['omsetning_mill_kr'], approx=False)} mill. kr i året for HRAs område, og "
        f"{estimate(ringerike['tonn'])} tonn og over "
        f"{estimate(ringerike['omsetning_mill_kr'], approx=False)} mill. kr for {region}. "
        f"Klimagevinsten for HRAs område blir mellom {estimate(hra['klima_lav'], approx=False)} og "
        f"{estimate(hra['klima_hoy'], approx=False)} tonn CO₂e i året."
    )
