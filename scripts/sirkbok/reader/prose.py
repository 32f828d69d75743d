"""Sentences several chapters share, from the data package: names readers see, a theme's actors.

Chapters call these instead of repeating the same f-strings; every value keeps its citation. A
chapter's own sentences stay in its Markdown cells, and the numbers and short phrases it computes
enter them through `glue` (myst-nb's `{glue:text}` role), always as plain text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import pandas as pd

from sirkbok.core import format as fmt
from sirkbok.core.format import missing, number
from sirkbok.datapackage import load as data
from sirkbok.reader.cite import cite as cite_key

if TYPE_CHECKING:  # display objects only where a notebook shows them
    from IPython.display import Markdown


def names(table: str, key: str, label: str) -> dict[str, str]:
    """`names("regioner", "id", "kortnavn")`: a lookup from id to the name readers see."""
    frame = data.load(table)
    return dict(zip(frame[key], frame[label], strict=True))


# A glued phrase's name: no underscore, so it is never read as a headline result (`<tema>_…`).
GLUE_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def glue(phrases: Mapping[str, str]) -> None:
    """Glue each formatted phrase for `{glue:text}`name`` in the chapter's Markdown cells.

    Only text: myst-nb pastes a string's text as it stands (no quotes), as a text node, so `{`,
    `<script>` and `**` in data reach the reader as typed. A number must be formatted first
    (`format.number`, `estimate`, ...), so the page never shows a raw float.
    """
    from myst_nb import glue as store

    for name, phrase in phrases.items():
        if not GLUE_NAME.fullmatch(name):
            raise ValueError(f"glue name {name!r}: lower-case words joined by '-'")
        if not isinstance(phrase, str):
            raise TypeError(f"glue {name!r}: format {type(phrase).__name__} as text first")
        store(name, phrase, display=False)


def actors(theme: str, also: Iterable[str] = ()) -> tuple[pd.DataFrame, Markdown]:
    """The theme's actors inside the regions (and the named others) as a Markdown list, each with
    its citation (so a block, not a glued phrase)."""
    from IPython.display import Markdown

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
    return chosen, Markdown("Dette er de kjente aktørene i datapakken:\n\n" + "\n".join(lines))


def _plain(value: float | None) -> str:
    """A factor as its source gives it: up to three decimals, no trailing zeros."""

    return number(value, 3).rstrip("0").rstrip(",")


def factor_list(ids: Iterable[str]) -> Markdown:
    """Factors as a Markdown list: name, value (and range) with unit, source, grade and status."""
    from IPython.display import Markdown

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
    return Markdown("\n".join(lines))


PRECISION = {"ca": "ca. ", "over": "over ", "inntil": "inntil ", "eksakt": ""}


def stated(row: pd.Series, decimals: int = 0, cite: bool = True) -> str:
    """A published figure as the source words it («over 8 mill. kr»), with its citation."""

    text = (
        f"{PRECISION.get(str(row['presisjon']), '')}{number(row['verdi'], decimals)} "
        f"{fmt.text(row['enhet'])}"
    )
    return text + (cite_key(row["kilde"]) if cite else "")


def estimated(row: pd.Series) -> str:
    """« (estimat: how it was reached)» after a figure the data marks as the book's estimate (from
    its note, without a second «Estimat:»), and nothing after a published one."""
    if row["status"] != "estimat":
        return ""
    how = re.sub(r"^\s*estimat\s*:\s*", "", str(row["merknad"]), flags=re.IGNORECASE)
    return f" (estimat: {how})"


def incomplete(missing: str, total: bool = False) -> str:
    """What a sum over municipalities says when some lack a population (`missing`: their names):
    nothing when none do; for a region's line « (ufullstendig: … mangler folketall)»; for the
    `total` of the three regions a sentence saying where the population can be found."""
    if not missing:
        return ""
    if total:
        return (
            f" Summen er ufullstendig: {missing} mangler folketall i datapakken og er ikke regnet "
            "med (folketallet finnes hos SSB, tabell 07459)."
        )
    return f" (ufullstendig: {missing} mangler folketall)"


def sources(keys: Iterable[str]) -> Markdown:
    """«Kilder: …» with a citation for each of a set of sources the data decides (every
    municipality's population source, say), so the chapter's text need not name them."""
    from IPython.display import Markdown

    return Markdown("Kilder:" + "".join(cite_key(k) for k in sorted(set(keys))))


def figure_list(rows: pd.DataFrame, actors: Mapping[str, str], what: Mapping[str, str]) -> Markdown:
    """Published figures (`aktor_tall` rows) as a cited list, «- Actor, what: value (year)», with
    `what` naming each `storrelse`; a range stands where the source gives one."""
    from IPython.display import Markdown

    lines = []
    for r in rows.itertuples():
        decimals = 0 if fmt.missing(r.verdi) or float(r.verdi).is_integer() else 1
        value = (
            f"{fmt.number(r.lav)}–{fmt.number(r.hoy)} {fmt.text(r.enhet)}"
            if fmt.missing(r.verdi)
            else stated(rows.loc[r.Index], decimals, cite=False)
        )
        year = "" if fmt.missing(r.aar) else f" ({fmt.year(r.aar)})"
        label = fmt.text(what.get(r.storrelse, r.storrelse).lower())
        lines.append(f"- {fmt.text(actors[r.aktor])}, {label}: {value}{year}{cite_key(r.kilde)}")
    return Markdown("\n".join(lines))


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
