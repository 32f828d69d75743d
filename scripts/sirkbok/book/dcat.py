"""Open-data metadata: the data package as a DCAT-AP-NO catalogue (JSON-LD and Turtle), with rdflib.

Everything is read from data/datapackage.json (title, description, licence, one distribution per
CSV), data/kommuner.csv (spatial coverage: the member municipalities) and the dates in the tables
(temporal coverage). Published with the site as `data/dcat.jsonld` and `data/dcat.ttl`, so the
national catalogue (data.norge.no) can harvest it once the councils register the address.

Choices where DCAT-AP-NO asks for a URI that has no sourced value yet: the publisher gets a URI
under the site's own address (no organisation numbers or external register IDs are invented). The
spatial coverage (`dct:spatial`) is Norway from the EU country table, the one allowed vocabulary
value we can state without inventing a GeoNames id; the twelve municipalities are described as
`dct:coverage` places with their municipality numbers. The themes come from the EU data-theme
vocabulary DCAT-AP-NO requires. Values fetched from SSB (`sirkbok update ssb`) add `dct:modified`
(the latest fetch), a provenance statement and one distribution per SSB snapshot with its licence.
Validated against the DCAT-AP-NO 2.0 SHACL shapes in the tests (`sirkbok_dev.dcat_shacl`).
"""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from sirkbok.book import edition
from sirkbok.core import publisher as publisher_block
from sirkbok.core.files import write_atomic
from sirkbok.core.format import listing
from sirkbok.datapackage import descriptor as package
from sirkbok.datapackage import snapshots

EU_THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
EU_FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
EU_LICENCE = Namespace("http://publications.europa.eu/resource/authority/licence/")
EU_LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
EU_COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
DCAT_3 = Namespace(str(DCAT))  # rdflib's DCAT namespace stops at DCAT 2 (no dcat:version)
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
IANA_MEDIA = "https://www.iana.org/assignments/media-types/"

# The data package's subjects in the EU data-theme vocabulary: environment (waste, resource flows),
# energy (biogas, bioenergy), economy (business parks, actors) and regions (three council regions).
THEMES = ("ENVI", "ENER", "ECON", "REGI")
LICENCES = {"CC-BY-4.0": EU_LICENCE["CC_BY_4_0"]}
# Licences of fetched data (by the address a snapshot records) in the EU licence table.
SOURCE_LICENCES = {
    "https://data.norge.no/nlod/no/2.0": EU_LICENCE["NLOD_2_0"],
    "https://creativecommons.org/licenses/by/4.0/": EU_LICENCE["CC_BY_4_0"],
}
# Tables of observed values: their dates and years are the period the data covers (the others hold
# years of publication, targets or plans, which say nothing about coverage).
COVERAGE = {"kommuner", "statistikk", "aktor_tall", "ressursstrommer"}
LANGUAGE = "nb"
FILES = ("dcat.jsonld", "dcat.ttl")


def _text(value: object) -> Literal:
    return Literal(str(value), lang=LANGUAGE)


def _coverage(data_dir: Path, descriptor: dict) -> tuple[datetime.date, datetime.date] | None:
    """The earliest and latest date or year in the tables (years count from 1 January)."""
    found: list[datetime.date] = []
    for resource in descriptor.get("resources", []):
        if resource.get("name") not in COVERAGE:
            continue
        kinds = {
            field["name"]: field["type"]
            for field in resource.get("schema", {}).get("fields", [])
            if field.get("type") in ("date", "year")
        }
        if not kinds:
            continue
        with (data_dir / resource["path"]).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for name, kind in kinds.items():
                    value = (row.get(name) or "").strip()
                    if not value:
                        continue
                    try:
                        found.append(
                            datetime.date(int(value), 1, 1)
                            if kind == "year"
                            else datetime.date.fromisoformat(value)
                        )
                    except ValueError:
                        continue  # `sirkbok validate` reports bad values; metadata skips them
    return (min(found), max(found)) if found else None


def graph(root: Path, base_url: str) -> Graph:
    """The catalogue, the dataset and its distributions; `base_url` is the site's address."""
    data_dir = root / "data"
    # Checked against its profiles: the media type is a valid one, so a URI made of it is too.
    descriptor = package.descriptor(data_dir)
    book = edition.read(root)
    base = base_url if base_url.endswith("/") else base_url + "/"
    site = URIRef(base)
    dataset = URIRef(f"{base}data/datapackage.json#datasett")
    catalog = URIRef(f"{base}data/dcat.jsonld#katalog")
    publisher = URIRef(f"{base}data/dcat.jsonld#utgiver")
    contact = URIRef(f"{base}data/dcat.jsonld#kontakt")

    g = Graph(bind_namespaces="core")
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("vcard", VCARD),
        ("skos", SKOS),
    ):
        g.bind(prefix, namespace)

    who = publisher_block.read(root)  # the contact point is the publisher block (_config.yml)
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, _text(who.name)))
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, _text(who.name)))
    g.add((contact, VCARD.hasEmail, URIRef(who.mailto)))
    g.add((contact, VCARD.hasURL, URIRef(f"{who.repository}/issues")))

    g.add((catalog, RDF.type, DCAT.Catalog))
    g.add((catalog, DCTERMS.identifier, Literal(str(catalog))))
    g.add((catalog, DCTERMS.title, _text(book.title)))
    g.add((catalog, DCTERMS.description, _text(f"Åpne data bak kunnskapsbasen «{book.title}».")))
    g.add((catalog, DCTERMS.publisher, publisher))
    g.add((catalog, DCAT.contactPoint, contact))
    g.add((catalog, FOAF.homepage, site))
    g.add((catalog, DCAT.dataset, dataset))
    g.add((catalog, DCTERMS.language, EU_LANGUAGE["NOB"]))

    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCTERMS.title, _text(descriptor["title"])))
    g.add((dataset, DCTERMS.description, _text(descriptor["description"])))
    g.add((dataset, DCTERMS.identifier, Literal(descriptor["name"])))
    g.add((dataset, DCTERMS.publisher, publisher))
    g.add((dataset, DCAT.contactPoint, contact))
    g.add((dataset, DCAT.landingPage, site))
    g.add((dataset, DCTERMS.language, EU_LANGUAGE["NOB"]))
    g.add((dataset, DCTERMS.issued, Literal(book.released, datatype=XSD.date)))
    if descriptor.get("version"):
        g.add((dataset, DCAT_3["version"], Literal(str(descriptor["version"]))))
    for theme in THEMES:
        g.add((dataset, DCAT.theme, EU_THEME[theme]))
    with (data_dir / "tema.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            g.add((dataset, DCAT.keyword, _text(row["navn"])))
    g.add((dataset, DCTERMS.spatial, EU_COUNTRY["NOR"]))
    with (data_dir / "kommuner.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            place = URIRef(f"{base}data/kommuner.csv#kommune-{row['kommunenummer']}")
            g.add((dataset, DCTERMS.coverage, place))
            g.add((place, RDF.type, DCTERMS.Location))
            g.add((place, DCTERMS.identifier, Literal(row["kommunenummer"])))
            g.add((place, SKOS.prefLabel, _text(row["navn"])))
    span = _coverage(data_dir, descriptor)
    if span:
        period = BNode("tidsrom")
        g.add((dataset, DCTERMS.temporal, period))
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        g.add((period, DCAT.startDate, Literal(span[0], datatype=XSD.date)))
        g.add((period, DCAT.endDate, Literal(span[1], datatype=XSD.date)))

    schema = URIRef(f"{base}data/datapackage.json")
    g.add((schema, RDF.type, DCTERMS.Standard))
    g.add((schema, DCTERMS.title, _text("Datapakkens tabellskjema (datapackage.json)")))
    _ssb(g, root, base, dataset, descriptor)

    licences = [LICENCES.get(item.get("name", "")) for item in descriptor.get("licenses", [])]
    licence = next((item for item in licences if item), None)
    for resource in descriptor["resources"]:
        path = resource["path"]  # checked: letters, digits and _ before .csv
        distribution = URIRef(f"{base}data/{path}#distribusjon")
        url = URIRef(f"{base}data/{path}")
        g.add((dataset, DCAT.distribution, distribution))
        g.add((distribution, RDF.type, DCAT.Distribution))
        g.add((distribution, DCTERMS.title, _text(resource.get("title", resource["name"]))))
        if resource.get("description"):
            g.add((distribution, DCTERMS.description, _text(resource["description"])))
        g.add((distribution, DCAT.accessURL, url))
        g.add((distribution, DCAT.downloadURL, url))
        g.add(
            (distribution, DCTERMS.format, EU_FILE_TYPE[str(resource.get("format", "csv")).upper()])
        )
        g.add(
            (
                distribution,
                DCAT.mediaType,
                URIRef(IANA_MEDIA + resource.get("mediatype", "text/csv")),
            )
        )
        g.add((distribution, DCTERMS.conformsTo, schema))
        if licence:
            g.add((distribution, DCTERMS.license, licence))
    if licence:
        g.add((catalog, DCTERMS.license, licence))
    return g


def _ssb(g: Graph, root: Path, base: str, dataset: URIRef, descriptor: dict) -> None:
    """`dct:modified`, provenance and one distribution per SSB snapshot (none before a fetch)."""
    origins = snapshots.origins(root)
    fetched = [str(o.get("hentet", "")) for o in origins if o.get("hentet")]
    updated = str(descriptor.get("sist_oppdatert", ""))
    modified = max([d for d in (*fetched, updated) if d], default="")
    try:
        g.add((dataset, DCTERMS.modified, Literal(datetime.date.fromisoformat(modified))))
    except ValueError:
        pass  # no date to state
    if not origins:
        return
    statement = BNode("opphav-ssb")
    tables = listing([f"{o.get('tabell')} ({o.get('periode')})" for o in origins])
    g.add((dataset, DCTERMS.provenance, statement))
    g.add((statement, RDF.type, DCTERMS.ProvenanceStatement))
    g.add(
        (
            statement,
            RDFS.label,
            _text(
                f"Tall fra Statistisk sentralbyrå, tabell {tables}, hentet med «sirkbok update "
                f"ssb» gjennom PxWebApi v2 (siste henting {max(fetched, default='ukjent')}). "
                "Hvert svar er lagret med opphav under data/snapshots/ssb, med SSBs lisens."
            ),
        )
    )
    for origin in origins:
        url = URIRef(base + str(origin["fil"]))
        distribution = URIRef(f"{url}#distribusjon")
        g.add((dataset, DCAT.distribution, distribution))
        g.add((distribution, RDF.type, DCAT.Distribution))
        g.add((distribution, DCTERMS.title, _text(f"SSB-tabell {origin.get('tittel', '')}")))
        g.add(
            (
                distribution,
                DCTERMS.description,
                _text(
                    f"Svaret fra Statistisk sentralbyrå (JSON-stat 2.0) for periode "
                    f"{origin.get('periode')}, hentet {origin.get('hentet')}, oppdatert hos SSB "
                    f"{origin.get('oppdatert_hos_ssb')}."
                ),
            )
        )
        g.add((distribution, DCAT.accessURL, url))
        g.add((distribution, DCAT.downloadURL, url))
        g.add((distribution, DCTERMS.format, EU_FILE_TYPE["JSON"]))
        g.add((distribution, DCAT.mediaType, URIRef(IANA_MEDIA + "application/json")))
        licence = SOURCE_LICENCES.get(str(origin.get("lisens_url", "")))
        if licence:  # an unknown licence is left out rather than guessed
            g.add((distribution, DCTERMS.license, licence))
        try:
            when = datetime.date.fromisoformat(str(origin.get("hentet")))
            g.add((distribution, DCTERMS.modified, Literal(when)))
        except ValueError:
            pass


def write(root: Path, base_url: str, folder: Path) -> list[Path]:
    """`dcat.jsonld` and `dcat.ttl` in `folder` (the site's data/), each written whole."""

    g = graph(root, base_url)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, form in zip(FILES, ("json-ld", "turtle"), strict=True):
        path = folder / name
        write_atomic(
            path,
            g.serialize(format=form, auto_compact=True)
            if form == "json-ld"
            else g.serialize(format=form),
        )
        written.append(path)
    return written
