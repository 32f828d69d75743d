"""How fresh the official statistics are: one line per SSB table the book uses or names, for the data
chapter. Read from the declarations (`ssb_tables`) and the snapshots' origin records, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sirkbok.datapackage.snapshots import origins
from sirkbok.reader.prose import cell
from sirkbok.update import ssb_tables

COMMAND = "sirkbok update ssb"
NOT_YET = "ikke hentet ennå; tallene i boka har kildene som står i kommunetabellen"


@dataclass(frozen=True)
class Line:
    table: str
    title: str
    publisher: str
    fetched: str  # the date the current response was fetched, or why there is none
    period: str  # the period the values cover
    refresh: str  # the command that refreshes it, or why none does


# Tables the data package names as where missing values should come from, but that the update does
# not fetch, and why (see ssb_tables for where each was looked for).
NOT_FETCHED = (
    Line(
        table="13136",
        title="Husholdningsavfall per kommune (KOSTRA)",
        publisher=ssb_tables.PUBLISHER,
        fetched="ikke hentet",
        period="–",
        refresh="Ingen ennå: tabellnummeret og kodene kunne ikke bekreftes, så verdiene står som "
        "«mangler» i stedet for å gjettes",
    ),
    Line(
        table="03895",
        title="Avvirkning for salg per kommune",
        publisher=ssb_tables.PUBLISHER,
        fetched="ikke hentet",
        period="1996–2019 per kommune (siste kjente versjon av tabellen)",
        refresh="Ingen ennå: tabellen finnes per kommune bare til 2019, og en nyere tabell per "
        "kommune er ikke funnet; verdiene står som «mangler»",
    ),
)


def lines(root: Path) -> list[Line]:
    """Each declared table with its latest snapshot (or that none is fetched yet), then the rest."""
    fetched = {str(origin.get("tabell")): origin for origin in origins(root)}
    found = []
    for table in ssb_tables.TABLES:
        origin = fetched.get(table.id)
        found.append(
            Line(
                table=table.id,
                title=table.title,
                publisher=ssb_tables.PUBLISHER,
                fetched=str(origin.get("hentet", "")) if origin else NOT_YET,
                period=str(origin.get("periode", "")) if origin else "–",
                refresh=COMMAND,
            )
        )
    return [*found, *NOT_FETCHED]


def markdown(root: Path) -> str:
    """The data chapter's table: per SSB table, publisher, last fetch, period and how it refreshes."""
    rows = [
        "| Tabell | Innhold | Utgiver | Hentet | Periode | Oppdateres med |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for line in lines(root):
        refresh = f"`{line.refresh}`" if line.refresh == COMMAND else cell(line.refresh)
        rows.append(
            f"| {cell(line.table)} | {cell(line.title)} | {cell(line.publisher)} | "
            f"{cell(line.fetched)} | {cell(line.period)} | {refresh} |"
        )
    return "\n".join(rows)
