"""Biogass: the food-waste potential per municipality and region, set against the plants' intake.

Method (estimate): population × sorted food waste per inhabitant × sorting factor × methane yield,
then energy, diesel equivalents and avoided CO₂e with published factors. Food waste per inhabitant
is derived from SSB's national household-waste statistics because no municipal figure is in the
data package (SSB table 13136 would give it). Manure is a scenario per tonne, since the regions'
manure volumes are missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

import pandas as pd

from sirkbok.core.vocabulary import ESTIMATE, MISSING
from sirkbok.datapackage import load as data
from sirkbok.reader.cite import cite
from sirkbok.themes.parameter import Parameter

# Waste company -> the biogas plant its food waste goes to (aktorer: HRA runs Trollmyra; Horisont
# is a co-owner of Mjøsanlegget and delivers Gjøvikregionen's food waste there).
PLANT_OF_COMPANY: dict[str, str] = {"hra": "hra-trollmyra", "horisont": "mjosanlegget"}

FOOD_WASTE = "norge-matavfall"
HOUSEHOLD_WASTE = "norge-husholdningsavfall"
HOUSEHOLD_WASTE_PER_INHABITANT = "norge-husholdningsavfall-per-innb"


@dataclass(frozen=True)
class Derived:
    """A value computed from sourced statistics, with the year and the method spelled out."""

    value: float
    year: int
    food_waste_kt: float
    household_waste_kt: float
    household_kg_per_inhabitant: float
    source: str


def _statistic(statistikk: pd.DataFrame, stem: str, year: int) -> pd.Series:

    return data.one_row(
        "statistikk",
        "id",
        f"{stem}-{year}",
        "Statistikken mangler dette året.",
        "en id",
        statistikk,
    )


def food_waste_years(statistikk: pd.DataFrame) -> list[int]:
    """Years for which all three national series needed for the derivation are present."""
    wanted = [FOOD_WASTE, HOUSEHOLD_WASTE, HOUSEHOLD_WASTE_PER_INHABITANT]
    years = None
    for stem in wanted:
        rows = statistikk[
            statistikk["id"].str.fullmatch(rf"{stem}-\d{{4}}") & statistikk["verdi"].notna()
        ]
        found = {int(y) for y in rows["aar"].dropna()}
        years = found if years is None else years & found
    return sorted(years or [])


def food_waste_per_inhabitant(statistikk: pd.DataFrame, year: int | None = None) -> Derived:
    """Sorted household food waste per inhabitant in Norway (kg).

    Food waste ÷ (household waste ÷ household waste per inhabitant).

    The population is implied by SSB's own per-inhabitant figure, so the result uses the same
    population SSB used (31 December).
    """
    year = year if year is not None else food_waste_years(statistikk)[-1]
    food = _statistic(statistikk, FOOD_WASTE, year)
    total = _statistic(statistikk, HOUSEHOLD_WASTE, year)
    per_inhabitant = _statistic(statistikk, HOUSEHOLD_WASTE_PER_INHABITANT, year)
    inhabitants = float(total["verdi"]) * 1e6 / float(per_inhabitant["verdi"])
    return Derived(
        value=float(food["verdi"]) * 1e6 / inhabitants,
        year=year,
        food_waste_kt=float(food["verdi"]),
        household_waste_kt=float(total["verdi"]),
        household_kg_per_inhabitant=float(per_inhabitant["verdi"]),
        source=str(food["kilde"]),
    )


@dataclass(frozen=True)
class DerivedParameter(Parameter):
    """A parameter whose default is derived from `statistikk` (no published factor exists)."""

    uncited: ClassVar[str] = "(estimat, se over)"

    def default(self) -> float:

        return food_waste_per_inhabitant(data.load("statistikk")).value

    def source(self) -> str:

        derived = food_waste_per_inhabitant(data.load("statistikk"))
        return (
            f"estimat fra SSBs nasjonale tall for {derived.year}{cite(derived.source)}: "
            "matavfall ÷ (husholdningsavfall ÷ husholdningsavfall per innbygger)"
        )


PARAMETERS: list[Parameter] = [
    DerivedParameter(
        name="matavfall_per_innbygger",
        description="Utsortert matavfall fra husholdningene per innbygger, landsgjennomsnitt",
        unit="kg per innbygger og år",
        minimum=5,
        maximum=200,
        reason="Ingen publisert faktor. Estimat beregnet fra SSBs nasjonale "
        "husholdningsstatistikk (Avfall frå hushalda): matavfall ÷ (husholdningsavfall ÷ "
        "husholdningsavfall per innbygger), siste år med alle tre tallene. Se utledningen i "
        "kapitlet.",
    ),
    Parameter(
        name="utsorteringsfaktor",
        description="Hvor mye matavfall innbyggerne i regionene sorterer ut per person, "
        "sammenlignet med landsgjennomsnittet (1 = som landet, 2 = dobbelt så mye)",
        unit="forholdstall",
        minimum=0.5,
        maximum=2,
        assumption=1.0,
        reason="Utsortert matavfall per kommune er ikke funnet (SSB tabell 13136 har det). "
        "Standardverdien antar at kommunene sorterer ut like mye per innbygger som "
        "landsgjennomsnittet. HRAs oppgitte mottak fra eierkommunene ligger høyere (se kapitlet), "
        "derfor går spennet opp til 2; nedre grense 0,5 viser en svakere utsortering.",
    ),
    Parameter(
        name="metanutbytte",
        description="Metan per tonn matavfall levert til biogassanlegget",
        unit="Nm³ CH₄ per tonn",
        minimum=20,
        maximum=200,
        factor="matavfall_metan",
    ),
    Parameter(
        name="metan_energi",
        description="Energiinnhold i metan",
        unit="kWh per Sm³",
        minimum=8,
        maximum=12,
        factor="metan_energi",
    ),
    Parameter(
        name="diesel_energi",
        description="Energiinnhold i diesel, for å regne om til dieselekvivalenter",
        unit="kWh per liter",
        minimum=8,
        maximum=12,
        factor="diesel_energi",
    ),
    Parameter(
        name="klimanytte",
        description="Unngåtte klimagassutslipp når biogass erstatter diesel",
        unit="tonn CO₂e per TWh",
        minimum=0,
        maximum=500000,
        factor="biogass_klima_diesel",
    ),
]


def potential(
    kommuner: pd.DataFrame,
    kg_per_inhabitant: float,
    sorting_factor: float,
    methane_per_tonne: float,
    methane_kwh: float,
    diesel_kwh: float,
    climate_t_per_twh: float,
) -> pd.DataFrame:
    """Food-waste potential per municipality; a municipality without population stays missing."""
    frame = kommuner[["kommunenummer", "navn", "region", "folketall"]].copy()
    people = frame["folketall"].astype("Float64")
    tonnes = people * kg_per_inhabitant * sorting_factor / 1000
    frame["matavfall_t"] = tonnes
    frame["metan_nm3"] = tonnes * methane_per_tonne
    frame["energi_gwh"] = frame["metan_nm3"] * methane_kwh / 1e6
    frame["diesel_l"] = frame["energi_gwh"] * 1e6 / diesel_kwh
    frame["co2e_t"] = frame["energi_gwh"] / 1000 * climate_t_per_twh
    frame["status"] = people.isna().map({True: MISSING, False: ESTIMATE}).astype("string")
    return frame.reset_index(drop=True)


def potential_with(kommuner: pd.DataFrame, values: Mapping[str, float]) -> pd.DataFrame:
    """`potential` with the theme's parameters by name (as `params.defaults("biogass")` gives)."""
    return potential(
        kommuner,
        values["matavfall_per_innbygger"],
        values["utsorteringsfaktor"],
        values["metanutbytte"],
        values["metan_energi"],
        values["diesel_energi"],
        values["klimanytte"],
    )


VALUE_COLUMNS = ["folketall", "matavfall_t", "metan_nm3", "energi_gwh", "diesel_l", "co2e_t"]


def per_region(per_municipality: pd.DataFrame) -> pd.DataFrame:
    """Region totals of the known municipalities, flagged incomplete and naming what is missing."""
    rows = []
    for region, group in per_municipality.groupby("region", sort=True):
        missing = group.loc[group["status"] == MISSING, "navn"].tolist()
        row = {"region": region}
        for column in VALUE_COLUMNS:
            row[column] = float(group[column].sum(skipna=True))
        row["kommuner"] = len(group)
        row["mangler"] = ", ".join(missing)
        row["komplett"] = not missing
        rows.append(row)
    return pd.DataFrame(rows)


def totals(per_municipality: pd.DataFrame) -> dict[str, float | bool | str]:
    """The three regions together (the headline), with the municipalities left out named."""
    missing = per_municipality.loc[per_municipality["status"] == MISSING, "navn"].tolist()
    result: dict[str, float | bool | str] = {
        column: float(per_municipality[column].sum(skipna=True)) for column in VALUE_COLUMNS
    }
    result["komplett"] = not missing
    result["mangler"] = ", ".join(missing)
    return result


def plant_catchments(ressursstrommer: pd.DataFrame) -> dict[str, list[str]]:
    """Municipality numbers per biogas plant, from the food-waste flows' waste company."""
    flows = ressursstrommer[
        (ressursstrommer["ressurs"] == "matavfall")
        & ressursstrommer["kommunenummer"].notna()
        & ressursstrommer["aktor"].notna()
    ]
    result: dict[str, list[str]] = {}
    for _, row in flows.iterrows():
        plant = PLANT_OF_COMPANY.get(str(row["aktor"]))
        if plant is not None:
            result.setdefault(plant, []).append(str(row["kommunenummer"]))
    return result


def plant_comparison(
    per_municipality: pd.DataFrame,
    ressursstrommer: pd.DataFrame,
    aktor_tall: pd.DataFrame,
    region_names: dict[str, str],
) -> pd.DataFrame:
    """Estimated food waste of each plant's municipalities next to its reported intake and capacity.

    One row per plant and measure (t/år) with status, year and source; a measure the sources do not
    give (a region's share of the intake) is kept with status «mangler» and where to fetch it.
    """
    rows = []
    for plant, numbers in plant_catchments(ressursstrommer).items():
        served = per_municipality[per_municipality["kommunenummer"].isin(numbers)]
        missing = served.loc[served["status"] == MISSING, "navn"].tolist()
        rows.append(
            {
                "anlegg": plant,
                "maal": "anslag for kommunene",
                "verdi_t": float(served["matavfall_t"].sum(skipna=True)),
                "status": "estimat",
                "aar": pd.NA,
                "kilde": "beregnet i dette kapitlet",
                "merknad": "Kommuner: "
                + ", ".join(served["navn"])
                + (f" (uten {', '.join(missing)})" if missing else ""),
            }
        )
        figures = aktor_tall[
            (aktor_tall["aktor"] == plant)
            & aktor_tall["storrelse"].isin(["mottak", "kapasitet"])
            & (aktor_tall["enhet"] == "t/år")
        ]
        for _, row in figures.iterrows():
            scope = " i alt" if row["omfang"] == "totalt" else f" {row['omfang']}"
            rows.append(
                {
                    "anlegg": plant,
                    "maal": f"{row['storrelse']}{scope}",
                    "verdi_t": float(row["verdi"]) if pd.notna(row["verdi"]) else pd.NA,
                    "status": str(row["status"]),
                    "aar": row["aar"],
                    "kilde": str(row["kilde"]),
                    "merknad": "" if pd.isna(row["merknad"]) else str(row["merknad"]),
                }
            )
        flows = ressursstrommer[
            (ressursstrommer["aktor"] == plant)
            & (ressursstrommer["ressurs"] == "matavfall")
            & (ressursstrommer["status"] == MISSING)
        ]
        for _, row in flows.iterrows():
            origin = region_names.get(str(row["region"]), str(row["fra"]))
            rows.append(
                {
                    "anlegg": plant,
                    "maal": f"mottak fra {origin}",
                    "verdi_t": pd.NA,
                    "status": MISSING,
                    "aar": pd.NA,
                    "kilde": "",
                    "merknad": f"Fylles fra {row['fylles_fra']}",
                }
            )
    frame = pd.DataFrame(rows)
    frame["verdi_t"] = frame["verdi_t"].astype("Float64")
    frame["aar"] = frame["aar"].astype("Int64")
    # Per plant (Trollmyra first): the estimate, then intake, then capacity, so bars read top-down.
    plant_rank = frame["anlegg"].map({"hra-trollmyra": 0, "mjosanlegget": 1}).fillna(2)
    measure_rank = frame["maal"].str.split().str[0].map({"anslag": 0, "mottak": 1}).fillna(2)
    order = pd.DataFrame({"a": plant_rank, "b": measure_rank}).sort_values(
        ["a", "b"], kind="stable"
    )
    return frame.loc[order.index].reset_index(drop=True)


def energy_per_tonne(methane_per_tonne: float, methane_kwh: float) -> float:
    """kWh per tonne of food waste (the quantity the sensitivity varies)."""
    return methane_per_tonne * methane_kwh


def headline_gwh(
    people: float, kg_per_inhabitant: float, sorting_factor: float, kwh_per_tonne: float
) -> float:
    """Energy (GWh/year) from the food waste of `people` inhabitants."""
    return people * kg_per_inhabitant * sorting_factor / 1000 * kwh_per_tonne / 1e6


def gross_energy_range(
    methane_yield: float, methane_energy: float, diesel_eq_per_tonne: float, diesel_energy: float
) -> tuple[float, float]:
    """Energy per tonne of food waste on one basis: the gross energy in the gas (kWh/t).

    Two plants' published figures give it: methane per tonne × energy in methane (Romerike), and
    diesel equivalents per tonne × energy in diesel (Mjøsanlegget). Banks et al.'s 405 kWh/t is the
    energy recoverable after the plant's own losses, another basis, so it never enters this range.
    """
    values = (methane_yield * methane_energy, diesel_eq_per_tonne * diesel_energy)
    return min(values), max(values)


def sensitivity(
    people: float, base: dict[str, float], ranges: dict[str, tuple[float, float]]
) -> pd.DataFrame:
    """Tornado data: the headline GWh with one input at its low and then its high value.

    `base` holds kg_per_inhabitant, sorting_factor and kwh_per_tonne; `ranges` gives low and high
    values for some of them.
    """
    reference = headline_gwh(people, **base)
    rows = []
    for name, (low, high) in ranges.items():
        results = {}
        for end, value in (("lav", low), ("hoy", high)):
            varied = dict(base, **{name: value})
            results[end] = headline_gwh(people, **varied)
        rows.append(
            {
                "inndata": name,
                "lav_verdi": low,
                "hoy_verdi": high,
                "gwh_lav": results["lav"],
                "gwh_hoy": results["hoy"],
                "gwh_basis": reference,
                "spenn_gwh": abs(results["hoy"] - results["lav"]),
            }
        )
    return pd.DataFrame(rows).sort_values("spenn_gwh", ascending=False).reset_index(drop=True)


MANURE_TYPES = {"storfe": "Storfe", "svin": "Svin", "fjorfe": "Fjørfe"}


def manure_scenario(
    tonnes: float, methane_m3_per_tonne: Mapping[str, float], kwh_per_tonne: Mapping[str, float]
) -> pd.DataFrame:
    """Methane and energy if `tonnes` of one manure type were digested (FNR factors per tonne)."""
    rows = []
    for key, label in MANURE_TYPES.items():
        rows.append(
            {
                "gjodseltype": label,
                "tonn": tonnes,
                "metan_m3": tonnes * methane_m3_per_tonne[key],
                "energi_gwh": tonnes * kwh_per_tonne[key] / 1e6,
            }
        )
    return pd.DataFrame(rows)


INPUT_NAMES = {
    "kg_per_inhabitant": "Matavfall per innbygger",
    "sorting_factor": "Utsorteringsfaktor",
    "kwh_per_tonne": "Energi per tonn matavfall",
}


def sensitivity_ranges(
    statistikk: pd.DataFrame, values: dict[str, float]
) -> tuple[dict[str, float], dict[str, tuple[float, float]]]:
    """Base values and low–high ranges, from the sources and the spec (the chapter's text says
    where each range comes from).

    Food waste per inhabitant spans the national series' years; the sorting factor its allowed
    range (an assumption); energy per tonne the gross energy from two plants' published figures
    (`gross_energy_range`; Banks et al.'s recoverable energy is another basis and stays out).
    """

    years = food_waste_years(statistikk)
    per_year = [food_waste_per_inhabitant(statistikk, y).value for y in years]
    diesel = data.factor("matavfall_dieselekv")
    sorting = next(p for p in PARAMETERS if p.name == "utsorteringsfaktor")
    base = {
        "kg_per_inhabitant": values["matavfall_per_innbygger"],
        "sorting_factor": values["utsorteringsfaktor"],
        "kwh_per_tonne": energy_per_tonne(values["metanutbytte"], values["metan_energi"]),
    }
    ranges = {
        "kg_per_inhabitant": (min(per_year), max(per_year)),
        "sorting_factor": (sorting.minimum, sorting.maximum),
        "kwh_per_tonne": gross_energy_range(
            values["metanutbytte"],
            values["metan_energi"],
            float(diesel.value or 0),
            values["diesel_energi"],
        ),
    }
    return base, ranges
