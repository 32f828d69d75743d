"""Sentences several chapters share, from the data package: names readers see, a theme's actors.

Chapters call these instead of repeating the same f-strings; every value keeps its citation.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from sirkbok.core import format as fmt
from sirkbok.core.format import missing
from sirkbok.datapackage import load as data
from sirkbok.reader.cite import cite as cite_key


def names(table: str, key: str, label: str) -> dict[str, str]:
    """`names("regioner", "id", "kortnavn")`: a lookup from id to the name readers see."""
    frame = data.load(table)
    return dict(zip(frame[key], frame[label], strict=True))


def actors(theme: str, also: Iterable[str] = ()) -> tuple[pd.DataFrame, str]:
    """The theme's actors inside the regions (and the named others) as a Markdown list."""
    frame = data.load("aktorer")
    chosen = frame[(frame["tema"] == theme) | frame["id"].isin(list(also))]
    chosen = chosen[~chosen["referanse"].fillna(False)]
    regions = names("regioner", "id", "kortnavn")
    lines = []
    for row in chosen.itertuples():
        region = "" if missing(row.region) else regions.get(str(row.region), "")
        place = fmt.text(f"{row.sted}, {region}" if region else row.sted)
        lines.append(
            f"- **{fmt.text(row.navn)}** ({place}): {fmt.text(row.beskrivelse)}{cite_key(row.kilde)}"
        )
    return chosen, "Dette er de kjente aktørene i datapakken:\n\n" + "\n".join(lines)


def _plain(value: float | None) -> str:
    """A factor as its source gives it: up to three decimals, no trailing zeros."""
    from sirkbok.core.format import number

    return number(value, 3).rstrip("0").rstrip(",")


def factor_list(ids: Iterable[str]) -> str:
    """Factors as a Markdown list: name, value (and range) with unit, source, grade and status."""
    lines = []
    for factor_id in ids:
        f = data.factor(factor_id)
        span = f"{_plain(f.low)}–{_plain(f.high)}" if f.low is not None else ""
        value = _plain(f.value) if f.value is not None else span
        if f.value is not None and span:
            value += f" (spenn {span})"
        unit = f.unit.replace("m3", "m³")
        lines.append(
            f"- {fmt.text(f.name)}: {value} {fmt.text(unit)}{cite_key(f.source)} "
            f"(kildegrad {fmt.text(f.grade)}, {fmt.text(f.status)})"
        )
    return "\n".join(lines)


PRECISION = {"ca": "ca. ", "over": "over ", "inntil": "inntil ", "eksakt": ""}


def stated(row: pd.Series, decimals: int = 0, cite: bool = True) -> str:
    """A published figure as the source words it («over 8 mill. kr»), with its citation."""
    from sirkbok.core.format import number

    text = (
        f"{PRECISION.get(str(row['presisjon']), '')}{number(row['verdi'], decimals)} "
        f"{fmt.text(row['enhet'])}"
    )
    return text + (cite_key(row["kilde"]) if cite else "")


def cell(value: object) -> str:
    """Text for a Markdown table cell: escaped (`format.text`), empty when missing, on one line."""
    return fmt.text(value)


def source_link(sources: pd.DataFrame, source_id: str) -> str:
    """A source's title (from the `kilder` table, indexed by id), linked to its address if it has one."""
    row = sources.loc[source_id]
    title, address = cell(row["tittel"]), fmt.url(row["url"])
    return f"[{title}]({address})" if address else title


def pending_sources(descriptor: dict, sources: pd.DataFrame) -> str:
    """The data chapter's list of sources still without an address or full printed reference (the
    `pending` list of the kilder table's reference check), and what is known of when each was read."""
    check = next(
        rule
        for resource in descriptor["resources"]
        if resource["name"] == "kilder"
        for rule in resource.get("checks", [])
        if rule["type"] == "reference"
    )
    pending = check.get("pending", [])
    lines = ["| Kilde | Utgiver | Hva som mangler |", "| --- | --- | --- |"]
    for source_id in pending:
        row = sources.loc[source_id]
        publisher = row["forfatter"] if missing(row["utgiver"]) else row["utgiver"]
        lacking = ["adresse"] + [
            name
            for column, name in (("aar", "år"), ("sider", "side, tabell eller nummer"))
            if missing(row[column])
        ]
        lines.append(
            f"| {source_link(sources, source_id)} | {cell(publisher)} | {', '.join(lacking)} |"
        )
    listing = (
        "\n".join(lines)
        if pending
        else "Alle kildene har adresse eller fullstendig trykt referanse."
    )
    return f"{listing}\n\n{_read_dates(sources['lest'])}"


def _read_dates(read: pd.Series) -> str:
    """One sentence on the read dates, for none, some or all of the sources bounded or unknown."""
    bounded = int(read.astype(str).str.startswith("senest ").sum())
    unknown = int((read == "ukjent").sum())
    if not bounded and not unknown:
        return "Lesedatoen er registrert for alle kildene."
    said = []
    if bounded:
        whom = "alle kildene" if bounded == len(read) else f"{bounded} av {len(read)} kilder"
        said.append(
            f"For {whom} registrerte ikke kildenotatet når kilden ble lest; der står «lest senest» "
            "og dagen kilden ble ført inn i boka, for da var den lest."
        )
    if unknown:
        whom = "noen av kildene" if unknown == len(read) else f"{unknown} av {len(read)} kilder"
        said.append(f"Lesedatoen er ikke kjent for {whom}.")
    return " ".join(said)
