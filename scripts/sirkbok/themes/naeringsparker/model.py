"""Sirkulære næringsparker: which side streams in the resource-flow table could go to actors in or
near each park. The data package has no coordinates, so nearness is a level (in the park, same
municipality, same region) set by a parameter rather than a distance."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from sirkbok.core.errors import Problem, UserError
from sirkbok.core.format import listing, number, text, unit, year
from sirkbok.core.vocabulary import MISSING, STATUSES
from sirkbok.reader.cite import cite
from sirkbok.themes.parameter import Parameter

if TYPE_CHECKING:  # display objects only where a notebook shows them
    from IPython.display import Markdown

PARAMETERS: list[Parameter] = [
    Parameter(
        name="naerhet",
        description="Hvor nær parken en aktør eller sidestrøm må være for å regnes med: "
        "0 = i parken, 1 = i samme kommune, 2 = i samme region",
        unit="nivå (heltall 0–2)",
        minimum=0,
        maximum=2,
        assumption=2.0,
        reason="Datapakken har ingen koordinater, og sidestrømmene fra sagbruk og husdyrhold er "
        "bare registrert per region. Samme region er derfor det fineste nivået som får dem med.",
    ),
]

LEVELS = {0: "i parken", 1: "samme kommune", 2: "samme region"}

# Resources that can replace each other as input: a side stream matches an input in the same group.
RESOURCE_GROUPS = {
    "treflis": "trevirke",
    "bark": "trevirke",
    "returtre": "trevirke",
    "flis og bark": "trevirke",
}

SUPPLY_STAGES = ("sidestrom",)
DEMAND_STAGES = ("innsats",)


def nearness_level(naerhet: float) -> int:
    """The level as an integer; a fractional level is refused in Norwegian, naming the parameter."""
    if float(naerhet) != int(naerhet) or int(naerhet) not in LEVELS:
        raise UserError(
            Problem(
                file="parametre",
                message="Parameteren «naerhet» må være et helt tall.",
                found=f"{naerhet:g}",
                expected="0, 1 eller 2",
            )
        )
    return int(naerhet)


def resource_group(resource: str) -> str:
    return RESOURCE_GROUPS.get(resource, resource)


def _same(value: object, other: object) -> bool:
    """Equal and both known: a missing municipality or region never makes two things near."""
    return bool(pd.notna(value) and pd.notna(other) and value == other)


def park_members(aktorer: pd.DataFrame, naerhet: int) -> pd.DataFrame:
    """Actors in or near each park, and how near (0 in the park, 1 same municipality, 2 region).

    Actors without a municipality in the regions (references, and plants such as Mjøsanlegget that
    serve a region from outside it) and the parks themselves are left out.
    """
    parks = aktorer[aktorer["type"] == "naeringspark"]
    others = aktorer[(aktorer["type"] != "naeringspark") & aktorer["kommunenummer"].notna()]
    rows = []
    for park_id, park in parks.iterrows():
        for actor_id, actor in others.iterrows():
            if _same(actor["i_park"], park_id):
                level = 0
            elif _same(actor["kommunenummer"], park["kommunenummer"]):
                level = 1
            elif _same(actor["region"], park["region"]):
                level = 2
            else:
                continue
            if level <= naerhet:
                rows.append({"park": park_id, "aktor": actor_id, "naerhet": level})
    return pd.DataFrame(rows, columns=["park", "aktor", "naerhet"])


def _supply_level(flow: pd.Series, park: pd.Series, members: dict[str, int]) -> int | None:
    """How near a side stream is to a park: through its actor, else its municipality or region."""
    if pd.notna(flow["aktor"]):
        return members.get(flow["aktor"])
    if _same(flow["kommunenummer"], park["kommunenummer"]):
        return 1
    if _same(flow["region"], park["region"]):
        return 2
    return None


def candidate_exchanges(
    strommer: pd.DataFrame, aktorer: pd.DataFrame, naerhet: int
) -> pd.DataFrame:
    """Side streams that an actor near the same park uses as input (same resource group).

    One row per park, side stream and receiving actor. `status` is «mangler» when the quantity of
    either the side stream or the receiver's input is missing, else the weaker of the two statuses.
    """
    members = park_members(aktorer, naerhet)
    parks = aktorer[aktorer["type"] == "naeringspark"]
    supplies = strommer[strommer["trinn"].isin(SUPPLY_STAGES)]
    demands = strommer[strommer["trinn"].isin(DEMAND_STAGES) & strommer["aktor"].notna()]
    rows = []
    for park_id, park in parks.iterrows():
        near = dict(
            zip(
                members.loc[members["park"] == park_id, "aktor"],
                members.loc[members["park"] == park_id, "naerhet"],
                strict=True,
            )
        )
        for _, supply in supplies.iterrows():
            supply_level = _supply_level(supply, park, near)
            if supply_level is None or supply_level > naerhet:
                continue
            group = resource_group(supply["ressurs"])
            receivers = [a for a in near if not _same(a, supply["aktor"])]
            matched = demands[
                demands["aktor"].isin(receivers) & (demands["ressurs"].map(resource_group) == group)
            ]
            for receiver, inputs in matched.groupby("aktor", sort=True):
                statuses = {supply["status"], *inputs["status"]}
                status = max(statuses, key=STATUSES.index)  # as certain as its weakest part
                rows.append(
                    {
                        "park": park_id,
                        "sidestrom": supply["id"],
                        "ressurs": supply["ressurs"],
                        "mottaker": receiver,
                        "mottar": "; ".join(sorted(inputs["ressurs"])),
                        "naerhet": max(supply_level, near[receiver]),
                        "status": status,
                    }
                )
    return pd.DataFrame(
        rows, columns=["park", "sidestrom", "ressurs", "mottaker", "mottar", "naerhet", "status"]
    )


def unmatched_side_streams(strommer: pd.DataFrame, exchanges: pd.DataFrame) -> pd.DataFrame:
    """Side streams with no receiver near any park: gaps in the picture, not proof of no use."""
    supplies = strommer[strommer["trinn"].isin(SUPPLY_STAGES)]
    return supplies[~supplies["id"].isin(exchanges["sidestrom"])].reset_index(drop=True)


def headline(exchanges: pd.DataFrame) -> int:
    """Distinct side stream → receiver pairs (a pair near two parks counts once)."""
    return int(exchanges[["sidestrom", "mottaker"]].drop_duplicates().shape[0])


def network(
    members: pd.DataFrame,
    exchanges: pd.DataFrame,
    side_streams: list[str],
    parks: list[str],
    order: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes and edges of the network picture, laid out so the same data gives the same figure.

    Three columns: side streams (x 0), actors in or near a park (x 1) and parks (x 2), each sorted
    by `order` (e.g. region then name, so fewer lines cross), then id, and centred vertically.
    Edges run from a side stream to a receiver (an exchange) and from an actor to a park
    (membership, with its nearness level).
    """
    order = order or {}

    def ranked(ids: set[str] | list[str]) -> list[str]:
        return sorted(ids, key=lambda node: (order.get(node, ""), node))

    actors = set(members["aktor"]) | set(exchanges["mottaker"])
    columns = [
        ("sidestrom", ranked(side_streams)),
        ("aktor", ranked(actors)),
        ("park", ranked(parks)),
    ]
    tallest = max(len(ids) for _, ids in columns)
    rows: list[dict[str, Any]] = []
    for x, (kind, ids) in enumerate(columns):
        offset = (tallest - len(ids)) / 2
        rows.extend(
            {"id": node, "type": kind, "x": x, "y": offset + i} for i, node in enumerate(ids)
        )
    nodes = pd.DataFrame(rows, columns=["id", "type", "x", "y"])
    where = {(r.type, r.id): (r.x, r.y) for r in nodes.itertuples()}
    edges = []
    for pair in exchanges.drop_duplicates(["sidestrom", "mottaker"]).itertuples():
        (x, y), (x2, y2) = where[("sidestrom", pair.sidestrom)], where[("aktor", pair.mottaker)]
        edges.append(
            {
                "fra": pair.sidestrom,
                "til": pair.mottaker,
                "type": "utveksling",
                "status": pair.status,
                "x": x,
                "y": y,
                "x2": x2,
                "y2": y2,
            }
        )
    for member in members.itertuples():
        (x, y), (x2, y2) = where[("aktor", member.aktor)], where[("park", member.park)]
        edges.append(
            {
                "fra": member.aktor,
                "til": member.park,
                "type": LEVELS[member.naerhet],
                "status": "",
                "x": x,
                "y": y,
                "x2": x2,
                "y2": y2,
            }
        )
    return nodes, pd.DataFrame(
        edges, columns=["fra", "til", "type", "status", "x", "y", "x2", "y2"]
    )


RESOURCE_NAMES = {
    "flis og bark": "Flis og bark",
    "husdyrgjodsel": "Husdyrgjødsel",
    "biorest": "Biorest",
    "treflis": "Treflis",
    "returtre": "Returtre",
    "bark": "Bark",
    "biogass": "Biogass",
    "trefiberisolasjon": "Trefiberisolasjon",
    "varme": "Varme",
}
KEY_FIGURES = {
    "bedrifter": "Bedrifter",
    "ansatte": "Ansatte",
    "omsetning": "Omsetning",
    "areal": "Areal",
}
PRECISION = {"ca": "ca. ", "over": "over ", "inntil": "inntil ", "eksakt": ""}


def short_name(name: str) -> str:
    """«Hunton Fiber AS (Skjerven)» -> «Hunton Fiber AS»: an actor's name without its additions."""
    return name.split(" (")[0].split(" – ")[0]


def side_stream_names(
    flows: pd.DataFrame, aktorer: pd.DataFrame, region_names: Mapping[str, str]
) -> dict[str, str]:
    """«Flis og bark, Ringeriksregionen»: each side stream by its resource and where it arises."""
    result = {}
    for flow_id, row in flows.iterrows():
        place = (
            short_name(str(aktorer.loc[row["aktor"], "navn"]))
            if pd.notna(row["aktor"])
            else region_names.get(str(row["region"]), "ukjent sted")
        )
        result[str(flow_id)] = f"{RESOURCE_NAMES.get(row['ressurs'], row['ressurs'])}, {place}"
    return result


def key_figures(parks: pd.DataFrame, aktor_tall: pd.DataFrame) -> pd.DataFrame:
    """Every park × key figure (companies, employees, turnover, area), published or missing.

    `tekst` is the value as the source words it («ca. 3 000 ansatte»), with the year and scope.
    """

    grid = pd.MultiIndex.from_product(
        [parks.index, list(KEY_FIGURES)], names=["aktor", "storrelse"]
    ).to_frame(index=False)
    published = aktor_tall[aktor_tall["aktor"].isin(parks.index)]
    grid = grid.merge(published, on=["aktor", "storrelse"], how="left")
    grid["park"] = grid["aktor"].map(parks["navn"])
    grid["hva"] = grid["storrelse"].map(KEY_FIGURES)
    grid["status"] = grid["status"].fillna(MISSING)
    texts = []
    for row in grid.itertuples():
        if pd.isna(row.verdi):
            texts.append(MISSING)
            continue
        shown = "" if row.enhet in ("antall", "ansatte") else f" {unit(row.enhet)}"
        notes = [str(row.omfang)] if row.storrelse == "areal" and pd.notna(row.omfang) else []
        notes += [year(row.aar)] if pd.notna(row.aar) else []
        texts.append(
            f"{PRECISION.get(str(row.presisjon), '')}{number(row.verdi)}{shown}"
            + (f" ({', '.join(notes)})" if notes else "")
        )
    grid["tekst"] = texts
    return grid


def published_markdown(grid: pd.DataFrame) -> Markdown:
    """The parks' published key figures (`key_figures` rows with a value), one line per park, each
    figure with its citation: a cited list, so Markdown rather than a glued phrase."""
    from IPython.display import Markdown

    known = grid[grid["status"] != MISSING]
    return Markdown(
        "\n".join(
            f"- **{text(park)}:** "
            + "; ".join(
                f"{text(r.hva.lower())} {text(r.tekst)}{cite(r.kilde)}" for r in rows.itertuples()
            )
            for park, rows in known.groupby("park", sort=False)
        )
    )


def missing_figures(grid: pd.DataFrame) -> str:
    """Which key figures are missing, in one or two sentences for every case: parks with none
    published, then what the others lack («Ellers mangler …» only after such parks); nothing when
    every figure is published."""

    gaps = grid[grid["status"] == MISSING].groupby("park", sort=False)["hva"].apply(list)
    without = [p for p, what in gaps.items() if len(what) == len(KEY_FIGURES)]
    partly = [
        f"{', '.join(h.lower() for h in what)} for {p}"
        for p, what in gaps.items()
        if p not in without
    ]
    said = [f"Ingen tall er funnet for {listing(without)}."] if without else []
    if partly:
        said.append(f"{'Ellers mangler' if without else 'Det mangler'} {'; '.join(partly)}.")
    return " ".join(said)


def exchange_phrases(pairs: pd.DataFrame, unmatched: list[str]) -> dict[str, str]:
    """The chapter's phrases on the candidate exchanges (`pairs`: one row per side stream and
    receiver, with the quantity's `status`) and the side streams with no receiver (`unmatched`),
    worded for none, one and several, and for quantities missing for none, some or all."""

    many = len(pairs)
    found = "én mulig utveksling" if many == 1 else f"{number(many)} mulige utvekslinger"
    missing = int((pairs["status"] == MISSING).sum()) if many else 0
    if not many:
        quantities = ""
    elif missing == many:
        quantities = (
            "Mengden mangler for den, så den kan ikke tallfestes ennå."
            if many == 1
            else "Mengden mangler for alle, så ingen av dem kan tallfestes ennå."
        )
    elif missing:
        quantities = f"Mengden mangler for {number(missing)} av dem."
    else:
        quantities = "Mengden er registrert for alle."
    if not unmatched:
        alone = "Alle sidestrømmene i datapakken har en mottaker i eller nær en park."
    else:
        alone = (
            f"{'Én sidestrøm' if len(unmatched) == 1 else f'{len(unmatched)} sidestrømmer'} har "
            f"ingen mottaker i eller nær en park i datapakken: {'; '.join(unmatched)}. Det betyr "
            "ikke at de ikke brukes, bare at bruken ikke er registrert."
        )
    return {"utvekslinger": found, "mengde-mangler": quantities, "uten-mottaker": alone}
