"""The SSB tables the book fetches, each declared with the dimensions and codes it must answer with.

A response that differs from its declaration (another dimension, code or unit) is refused, so a
table SSB has changed never writes silently into the data package. Where the ids and codes were
checked is stated per table; the first live run confirms the rest or refuses with the reason.

Tables named in the data package that are NOT declared here, and why:
- household waste per municipality (KOSTRA, the table the source notes call 13136): neither the id
  nor its codes could be checked in stored documentation or saved responses from this machine;
- roundwood harvest for sale per municipality (03895): SSB's statbank page for 03895 (stored copy,
  https://www.ssb.no/statbank/table/03895/) shows it per municipality ("(K)") with the dimensions
  statistikkvariabel, region, sortiment and år, but only for 1996–2019; the value codes and a
  successor table for later years were not found.
Both stay «mangler» in the data package; the data chapter says so.
"""

from __future__ import annotations

from dataclasses import dataclass

API = "https://data.ssb.no/api/pxwebapi/v2/tables"
# SSB publishes its statistics under the Norwegian Licence for Open Government Data (NLOD): SSB's
# copyright page (https://www.ssb.no/en/informasjon/copyright, stored copy) names NLOD and asks
# for attribution as Statistics Norway; 2.0 is the licence's current version.
LICENCE = "NLOD 2.0 (Norsk lisens for offentlige data)"
LICENCE_URL = "https://data.norge.no/nlod/no/2.0"
PUBLISHER = "Statistisk sentralbyrå"

# Dimension names every declared table answers with (PxWebApi v2 names).
REGION, METRIC, PERIOD = "Region", "ContentsCode", "Tid"

# What SSB's status symbols mean (SSB's standard symbols in tables, «Standardtegn i tabeller»).
SYMBOLS = {
    "..": "tallet er ikke tilgjengelig ennå",
    ":": "tallet er konfidensielt (holdt tilbake for ikke å identifisere noen)",
    ".": "tallet kan ikke forekomme (kategorien fantes ikke)",
    "-": "null, ingenting å registrere",
}


@dataclass(frozen=True)
class Table:
    id: str
    title: str  # what the book calls it (SSB's own label comes with each response)
    subject: str  # what it gives the book, in a word («folketall», «areal»)
    metric: str  # the code of the measure in ContentsCode
    unit: str  # unit.base SSB gives for that measure
    eliminated: tuple[str, ...]  # dimensions SSB sums away: absent, or present with one category
    value_column: str  # column in kommuner.csv the value goes into
    source_column: str  # column in kommuner.csv that names the source
    date_column: str | None  # column for the reference date, when the table has one
    source_id: str  # the row in kilder.csv

    def query(self, municipalities: list[str]) -> dict[str, str]:
        """The value codes asked for: the book's municipalities, the measure, the latest period."""
        return {
            REGION: ",".join(municipalities),
            METRIC: self.metric,
            PERIOD: "top(1)",
        }

    def url(self, municipalities: list[str]) -> str:
        codes = "".join(
            f"&valueCodes[{name}]={value}" for name, value in self.query(municipalities).items()
        )
        return f"{API}/{self.id}/data?lang=no&outputFormat=json-stat2{codes}"


TABLES: tuple[Table, ...] = (
    # 07459, population on 1 January. Checked in stored public documentation and examples:
    # - the PxWebApi v2 data URL and its parameters (`lang`, `outputFormat=json-stat2`,
    #   `valueCodes[...]`, `top(1)`), and that responses carry `label`, `source`, `updated` and
    #   `role`: PxTools' user guide (PxTools/pxtools.github.io, docs/PxWebApi/documentation/
    #   user-guide.md, written against SSB) and SSB's own Python examples
    #   (janbrus/ssb-api-python-examples, PxWebApi2/);
    # - the dimensions Region, Kjonn, Alder and Tid of 07459: the R package PxWebApiData's v2
    #   vignette (`api_data_2(".../v2/tables/07459/data?lang=en", Region=…, Kjonn=TRUE, Alder=…)`);
    # - the measure code Personer1 (`valueCodes[ContentsCode]=Personer1&valueCodes[Tid]=top(1)`,
    #   in several public clients of this endpoint) with `unit.base` "antall" and `refperiod`
    #   "1.1.", the `status` symbols, and that eliminated dimensions are summed away and absent
    #   from the response: a public JSON-stat 2.0 reference for SSB's API quoting a real 07459
    #   response (references/json-stat2.md of an SSB query guide in the code index).
    Table(
        id="07459",
        title="Befolkning 1. januar, etter kommune",
        subject="folketall",
        metric="Personer1",
        unit="antall",
        eliminated=("Kjonn", "Alder"),
        value_column="folketall",
        source_column="folketall_kilde",
        date_column="folketall_dato",
        source_id="ssb-07459",
    ),
    # 09280, area per municipality. Checked: the table id with the dimensions Region, Arealtype,
    # ContentsCode (measure Areal1) and Tid, from a public importer that queries it per
    # municipality (UKM's KommuneArealImport). Not checked: the unit text and whether Arealtype may
    # be eliminated (summed to total area incl. fresh water); a live response that differs is
    # refused, naming the dimension, and nothing is written.
    Table(
        id="09280",
        title="Areal per kommune (land og ferskvann)",
        subject="areal",
        metric="Areal1",
        unit="km²",
        eliminated=("Arealtype",),
        value_column="areal_km2",
        source_column="areal_kilde",
        date_column=None,
        source_id="ssb-09280",
    ),
)


def refreshed_from() -> str:
    """What the municipality table's «fylles_fra» says: the declared tables, e.g. for Modum."""
    return "SSB tabell " + " og ".join(f"{t.id} ({t.subject})" for t in TABLES)
