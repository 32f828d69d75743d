"""Ombruk av tekstiler: textile volumes per municipality from per-inhabitant factors, and the
climate benefit of reuse as a range over the replacement rate (no single sourced value exists)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from sirkbok.core import format as fmt
from sirkbok.core.errors import Problem, UserError
from sirkbok.core.vocabulary import ESTIMATE, MISSING
from sirkbok.themes.parameter import Parameter

PARAMETERS: list[Parameter] = [
    Parameter(
        name="generert_per_innbygger",
        description="Tekstilavfall som oppstår per innbygger og år",
        unit="kg per innbygger og år",
        minimum=0,
        maximum=100,
        factor="tekstil_generert",
    ),
    Parameter(
        name="restavfall_per_innbygger",
        description="Klær og sko som havner i restavfallet, per innbygger og år",
        unit="kg per innbygger og år",
        minimum=0,
        maximum=100,
        factor="tekstil_restavfall",
    ),
    Parameter(
        name="innlevert_per_innbygger",
        description="Tekstiler levert til innsamling for ombruk og gjenvinning, per innbygger "
        "og år",
        unit="kg per innbygger og år",
        minimum=0,
        maximum=100,
        factor="tekstil_innlevert",
    ),
    Parameter(
        name="ombrukbar_andel",
        description="Andel av klærne og skoene i restavfallet som holder ombrukskvalitet",
        unit="andel 0–1",
        minimum=0,
        maximum=1,
        factor="tekstil_restavfall_ombrukbar",
    ),
    Parameter(
        name="produksjon_co2",
        description="Klimafotavtrykk fra produksjon av nye tekstiler",
        unit="kg CO₂ per kg tekstil",
        minimum=0,
        maximum=100,
        factor="tekstil_produksjon_co2",
    ),
    Parameter(
        name="utsortert_andel",
        description="Andel av de ombrukbare tekstilene i restavfallet som separat innsamling "
        "får ut",
        unit="andel 0–1",
        minimum=0,
        maximum=1,
        assumption=1.0,
        reason="Ingen publisert verdi for regionene. Verdien 1 viser hele potensialet (en øvre "
        "grense), ikke en forventning; sett en lavere andel for et mer forsiktig anslag.",
    ),
    Parameter(
        name="erstatningsgrad_lav",
        description="Laveste erstatningsgrad: hvor stor del av et nytt plagg et ombrukt plagg "
        "erstatter",
        unit="andel 0–1",
        minimum=0,
        maximum=1,
        assumption=0.0,
        reason="Det finnes ingen publisert enkeltverdi for erstatningsgraden; klimagevinsten "
        "avhenger av den (Sandin og Peters 2018). Spennet vises derfor fra 0 (erstatter "
        "ingenting).",
    ),
    Parameter(
        name="erstatningsgrad_hoy",
        description="Høyeste erstatningsgrad: hvor stor del av et nytt plagg et ombrukt plagg "
        "erstatter",
        unit="andel 0–1",
        minimum=0,
        maximum=1,
        assumption=1.0,
        reason="Det finnes ingen publisert enkeltverdi for erstatningsgraden; spennet vises derfor "
        "til 1 (hvert ombrukte kilo erstatter et nytt kilo), som er den teoretiske øvre grensen.",
    ),
]

VOLUME_COLUMNS = ["generert_t", "restavfall_t", "innlevert_t", "ombrukbar_restavfall_t"]


def municipal_volumes(
    kommuner: pd.DataFrame,
    generert_per_innbygger: float,
    restavfall_per_innbygger: float,
    innlevert_per_innbygger: float,
    ombrukbar_andel: float,
) -> pd.DataFrame:
    """Tonnes per year per municipality: population × kg per inhabitant / 1 000.

    A municipality without a population keeps <NA> in every volume, so it is shown as missing
    and never counted as zero.
    """
    folk = kommuner["folketall"].astype("Float64")
    result = kommuner[["kommunenummer", "navn", "region"]].copy()
    result["folketall"] = kommuner["folketall"].astype("Int64")
    result["generert_t"] = folk * generert_per_innbygger / 1000
    result["restavfall_t"] = folk * restavfall_per_innbygger / 1000
    result["innlevert_t"] = folk * innlevert_per_innbygger / 1000
    result["ombrukbar_restavfall_t"] = result["restavfall_t"] * ombrukbar_andel
    result["status"] = folk.isna().map({True: MISSING, False: ESTIMATE}).astype("string")
    return result.reset_index(drop=True)


def volumes_with(kommuner: pd.DataFrame, values: Mapping[str, float]) -> pd.DataFrame:
    """`municipal_volumes` with the parameters by name (as `params.defaults("tekstiler")` gives)."""
    return municipal_volumes(
        kommuner,
        values["generert_per_innbygger"],
        values["restavfall_per_innbygger"],
        values["innlevert_per_innbygger"],
        values["ombrukbar_andel"],
    )


def region_totals(volumes: pd.DataFrame) -> pd.DataFrame:
    """Sums per region over the municipalities with a population, naming those left out.

    `komplett` is False where a municipality lacks a population: the sum is then a lower bound.
    """
    rows = []
    for region, group in volumes.groupby("region", sort=True):
        missing = group.loc[group["folketall"].isna(), "navn"].tolist()
        known = group[group["folketall"].notna()]
        row: dict[str, object] = {
            "region": region,
            "folketall": int(known["folketall"].sum()),
            "kommuner_med_tall": len(known),
            "kommuner_uten_tall": "; ".join(missing),
            "komplett": not missing,
        }
        for column in VOLUME_COLUMNS:
            row[column] = float(known[column].sum())
        rows.append(row)
    return pd.DataFrame(rows)


def collected_tonnes(reusable_in_residual_t: float, utsortert_andel: float) -> float:
    """Reusable textiles the separate collection takes out of residual waste (t/year)."""
    return reusable_in_residual_t * utsortert_andel


def climate_benefit(tonnes: float, produksjon_co2: float, erstatningsgrad: float) -> float:
    """Avoided production emissions in tonnes CO₂ per year.

    Each reused kilo replaces `erstatningsgrad` kilo of new textiles, each of which would have
    emitted `produksjon_co2` kg CO₂ (kg per kg equals tonnes per tonne). Emissions from collection,
    sorting and transport are not deducted: no sourced per-kilo value exists for them.
    """
    return tonnes * produksjon_co2 * erstatningsgrad


def replacement_range(
    erstatningsgrad_lav: float, erstatningsgrad_hoy: float
) -> tuple[float, float]:
    """The replacement-rate range, refused in Norwegian if its ends are swapped."""
    if erstatningsgrad_lav > erstatningsgrad_hoy:
        raise UserError(
            Problem(
                file="parametre",
                message="Parameteren «erstatningsgrad_lav» er større enn «erstatningsgrad_hoy».",
                found=f"{erstatningsgrad_lav:g} > {erstatningsgrad_hoy:g}",
                expected="erstatningsgrad_lav ≤ erstatningsgrad_hoy",
            )
        )
    return erstatningsgrad_lav, erstatningsgrad_hoy


def benefit_curve(
    tonnes_by_region: pd.Series, produksjon_co2: float, steps: int = 10
) -> pd.DataFrame:
    """Climate benefit per region over replacement rates 0, 1/steps, …, 1 (for the range chart)."""
    rows = []
    for region, tonnes in tonnes_by_region.items():
        for step in range(steps + 1):
            rate = step / steps
            benefit = climate_benefit(float(tonnes), produksjon_co2, rate)
            rows.append({"region": region, "erstatningsgrad": rate, "klimagevinst_t_co2": benefit})
    return pd.DataFrame(rows)


def leaders_companies(companies: list[str]) -> str:
    """What the book says of the waste companies the two proposed leading municipalities have
    (`companies`: their distinct names): the same one, or different ones, which is the book's own
    remark, not the case document's."""
    named = fmt.listing(companies)
    if len(companies) < 2:
        return f"har samme avfallsselskap ({named})."
    return (
        f"har ulike avfallsselskaper ({named}). Saksframlegget begrunner ikke forslaget med dette. "
        f"Det er bokas egen betraktning at de to kommunene dermed kjenner {fmt.count(len(companies))} "
        "av avfallsselskapene i regionen, noe som kan gjøre det lettere å sammenligne erfaringer."
    )
