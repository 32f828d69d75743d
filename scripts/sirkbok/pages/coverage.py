"""Data coverage: how many values of the data package are measured, estimated or missing, per region
and theme, and which ones a municipality lacks.

One definition for the whole book: a value is a row of `kommuner` (population and area), `aktor_tall`,
`ressursstrommer` or `faktorer`, each counted once with its status. The overview, «Data og kilder» and
the municipality pages all count with `values()` and quote `headline()`, so they cannot disagree.
"""

from __future__ import annotations

import functools

import pandas as pd

from sirkbok import themes as registry
from sirkbok.core.format import listing, number, percent
from sirkbok.core.vocabulary import STATUSES as _STATUSES
from sirkbok.datapackage import load as data

THEMES = list(registry.THEMES)
COMMON = "felles"  # values every theme builds on (population)
NATIONAL = "nasjonalt"  # factors and values without a region
REFERENCE = "referanse"  # reference actors outside the three regions
STATUSES = list(_STATUSES)
TABLES = ["kommuner", "aktorer", "aktor_tall", "ressursstrommer", "faktorer"]  # what values() reads
# Readers' names of the groups that are not regions.
GROUP_NAMES = {
    NATIONAL: "Nasjonalt (faktorer)",
    REFERENCE: "Referanser utenfor regionene",
}
COMMON_NAME = "Felles grunnlag"


def _by_theme(attribute: str) -> dict[str, str]:
    """{key: theme} from every theme's `attribute` (a tuple of keys), in the registry's order."""
    return {
        key: theme
        for theme in registry.THEMES
        for key in getattr(registry.module(theme), attribute, ())
    }


@functools.cache
def theme_of_resource() -> dict[str, str]:
    """A flow belongs to the theme of its resource: the resource decides what the quantity is used
    for (each theme lists its `RESOURCES`)."""
    return _by_theme("RESOURCES")


@functools.cache
def theme_of_factor_prefix() -> dict[str, str]:
    """Factors have no theme column; their id prefix names what they convert (each theme lists its
    `FACTOR_PREFIXES`)."""
    return _by_theme("FACTOR_PREFIXES")


def factor_theme(factor_id: str) -> str | None:
    for prefix, theme in theme_of_factor_prefix().items():
        if factor_id.startswith(prefix):
            return theme
    return None


def values(
    kommuner: pd.DataFrame,
    aktorer: pd.DataFrame,
    aktor_tall: pd.DataFrame,
    ressursstrommer: pd.DataFrame,
    faktorer: pd.DataFrame,
) -> pd.DataFrame:
    """One row per value in the package with its table, region, theme and status.

    A flow without a region takes its actor's region, then its municipality's; a reference actor's
    figures count as «referanse», and factors as «nasjonalt».
    """
    actor_region = dict(zip(aktorer["id"], aktorer["region"], strict=True))
    actor_theme = dict(zip(aktorer["id"], aktorer["tema"], strict=True))
    actor_reference = dict(zip(aktorer["id"], aktorer["referanse"].fillna(False), strict=True))
    municipality_region = dict(zip(kommuner["kommunenummer"], kommuner["region"], strict=True))

    def region_of(region: object, actor: object, municipality: object) -> str:
        if pd.notna(actor) and actor_reference.get(actor, False):
            return REFERENCE
        via_actor = actor_region.get(actor) if pd.notna(actor) else None
        via_municipality = municipality_region.get(municipality) if pd.notna(municipality) else None
        for candidate in (region, via_actor, via_municipality):
            if candidate is not None and pd.notna(candidate):
                return str(candidate)
        return NATIONAL

    actor_municipality = (
        dict(zip(aktorer["id"], aktorer["kommunenummer"], strict=True))
        if "kommunenummer" in aktorer
        else {}
    )

    def known(value: object) -> object:
        return value if value is not None and pd.notna(value) else pd.NA

    rows = []
    for _, row in kommuner.iterrows():
        rows.append(
            (
                "kommuner",
                row["kommunenummer"],
                str(row["region"]),
                COMMON,
                str(row["status"]),
                row["kommunenummer"],
                known(row.get("fylles_fra")),
            )
        )
    for _, row in aktor_tall.iterrows():
        theme = actor_theme.get(row["aktor"])
        rows.append(
            (
                "aktor_tall",
                row["id"],
                region_of(None, row["aktor"], None),
                str(theme) if theme is not None and pd.notna(theme) else COMMON,
                str(row["status"]),
                known(actor_municipality.get(row["aktor"])),
                pd.NA,
            )
        )
    for _, row in ressursstrommer.iterrows():
        rows.append(
            (
                "ressursstrommer",
                row["id"],
                region_of(row["region"], row["aktor"], row["kommunenummer"]),
                theme_of_resource().get(str(row["ressurs"]), COMMON),
                str(row["status"]),
                known(row["kommunenummer"]),
                known(row.get("fylles_fra")),
            )
        )
    for _, row in faktorer.iterrows():
        rows.append(
            (
                "faktorer",
                row["id"],
                NATIONAL,
                factor_theme(str(row["id"])) or COMMON,
                str(row["status"]),
                pd.NA,
                pd.NA,
            )
        )
    columns = ["tabell", "id", "region", "tema", "status", "kommunenummer", "fylles_fra"]
    return pd.DataFrame(rows, columns=columns).astype(
        {"kommunenummer": "string", "fylles_fra": "string"}
    )


def package_values() -> pd.DataFrame:
    """`values()` of the data package as it is (the notebook must declare `TABLES`)."""

    return values(*(data.load(table) for table in TABLES))


def counts(table: pd.DataFrame, regions: list[str] | None = None) -> pd.DataFrame:
    """Counts per region, theme and status, with every status present (zero when none).

    Each region in `regions` gets a row for every theme, so a theme with no values at all shows as
    zero instead of disappearing.
    """
    grouped = table.groupby(["region", "tema", "status"]).size().unstack("status", fill_value=0)
    for status in STATUSES:
        if status not in grouped.columns:
            grouped[status] = 0
    grouped = grouped[STATUSES]
    if regions:
        grid = pd.MultiIndex.from_product([regions, [*THEMES, COMMON]], names=["region", "tema"])
        grouped = grouped.reindex(grouped.index.union(grid), fill_value=0)
    grouped = grouped.reset_index()
    grouped["i_alt"] = grouped[STATUSES].sum(axis=1)
    grouped["andel_mangler"] = grouped["mangler"] / grouped["i_alt"].where(grouped["i_alt"] > 0)
    return grouped


def missing_share(table: pd.DataFrame) -> float:
    """The share of values with status «mangler» (the book's one missing-data figure)."""
    return float((table["status"] == "mangler").mean()) if len(table) else float("nan")


def headline(table: pd.DataFrame, region_names: dict[str, str]) -> str:
    """The sentence every page quotes: counts per status, the share missing, and per region."""

    count = table["status"].value_counts()
    regional = table[table["region"].isin(region_names)]
    per_region = regional.groupby("region")["status"].apply(lambda s: (s == "mangler").mean())
    known = [
        f"{number(int(count.get('målt', 0)))} målt",
        f"{number(int(count.get('egenoppgitt', 0)))} oppgitt av aktørene selv",
        f"{number(int(count.get('estimat', 0)))} estimater",
    ]
    return (
        f"Av {number(len(table))} verdier i datapakken er {', '.join(known)} og "
        f"{number(int(count.get('mangler', 0)))} mangler ({percent(missing_share(table))}). "
        "Andelen som mangler, per region: "
        + ", ".join(
            f"{name} {percent(per_region.get(region))}" for region, name in region_names.items()
        )
        + "."
    )


def missing_for(table: pd.DataFrame, municipality: str) -> pd.DataFrame:
    """The missing values that belong to one municipality (by its number), in package order."""
    mine = table[(table["kommunenummer"] == municipality) & (table["status"] == "mangler")]
    return mine.reset_index(drop=True)


RESOURCE_NAMES = {
    "husdyrgjodsel": "husdyrgjødsel",
    "grot": "GROT",
    "mobler": "møbler",
    "ombruksvarer": "ombruksvarer",
}


def missing(
    kommuner: pd.DataFrame, aktorer: pd.DataFrame, ressursstrommer: pd.DataFrame
) -> pd.DataFrame:
    """What is still missing per region and municipality, and where it can be fetched from.

    Regional values only (flows and municipal figures): the list a municipality page or a region
    uses to see which public figures it could supply.
    """
    names = dict(zip(kommuner["kommunenummer"], kommuner["navn"], strict=True))
    municipality_region = dict(zip(kommuner["kommunenummer"], kommuner["region"], strict=True))
    actor_region = dict(zip(aktorer["id"], aktorer["region"], strict=True))
    actor_names = dict(zip(aktorer["id"], aktorer["navn"], strict=True))
    rows = []
    for _, row in kommuner[kommuner["status"] == "mangler"].iterrows():
        rows.append(
            (
                str(row["region"]),
                names[row["kommunenummer"]],
                "folketall og areal",
                "felles",
                str(row["fylles_fra"]),
                "kommuner",
                str(row["kommunenummer"]),
            )
        )
    flows = ressursstrommer[ressursstrommer["status"] == "mangler"]
    for _, row in flows.iterrows():
        number = row["kommunenummer"]
        region = row["region"]
        if pd.isna(region):
            region = municipality_region.get(number) if pd.notna(number) else None
        if (region is None or pd.isna(region)) and pd.notna(row["aktor"]):
            region = actor_region.get(row["aktor"])
        where = (
            names.get(number, str(number))
            if pd.notna(number)
            else actor_names.get(row["aktor"], "")
            if pd.notna(row["aktor"])
            else "hele regionen"
        )
        resource = RESOURCE_NAMES.get(str(row["ressurs"]), str(row["ressurs"]))
        rows.append(
            (
                str(region) if region is not None and pd.notna(region) else "felles",
                where,
                f"{resource} ({row['trinn']})",
                theme_of_resource().get(str(row["ressurs"]), COMMON),
                "" if pd.isna(row["fylles_fra"]) else str(row["fylles_fra"]),
                "ressursstrommer",
                str(row["id"]),
            )
        )
    columns = ["region", "hvor", "hva", "tema", "fylles_fra", "tabell", "id"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["region", "hvor", "hva"], kind="stable").reset_index(drop=True)


def empty(counts: pd.DataFrame) -> str:
    """The theme-region cells of `counts` (with `temanavn` and `gruppe` names) that hold nothing
    known: every value missing, or no value registered. Nothing when there is none of either."""

    def cells(rows: pd.DataFrame) -> str:
        return listing([f"{r['temanavn'].lower()} i {r['gruppe']}" for _, r in rows.iterrows()])

    ranked = counts.sort_values(["andel_mangler", "i_alt"], ascending=[False, False])
    lacking = ranked[(ranked["i_alt"] > 0) & (ranked["andel_mangler"] == 1)]
    unregistered = counts[counts["i_alt"] == 0]
    said = [f"Alle verdiene mangler for {cells(lacking)}."] if not lacking.empty else []
    if not unregistered.empty:
        said.append(f"Ingen verdier er registrert for {cells(unregistered)}.")
    return " ".join(said)
