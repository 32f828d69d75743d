"""Validate the site's DCAT-AP-NO metadata (`dcat.ttl`) with pySHACL against the official shapes.

The shapes and the ontology graph are vendored in `dcat_ap_no/` (Apache-2.0). Values from the EU
authority tables count as members of their vocabularies through the excerpt `eu-vocabularies.ttl`;
an EU value the excerpt does not list is reported instead of passing silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SH

HERE = Path(__file__).resolve().parent / "dcat_ap_no"
SHAPES = HERE / "DCAT-AP-NO-shacl_shapes_2.00.ttl"
ONTOLOGIES = HERE / "ontologies.ttl"
VOCABULARIES = HERE / "eu-vocabularies.ttl"
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"


@dataclass(frozen=True)
class Report:
    conforms: bool
    violations: list[str]  # one line per violation: focus node, path, message
    unlisted: list[str]  # EU authority values used but not in the vocabulary excerpt
    text: str


def validate(data: Graph) -> Report:
    import pyshacl

    vocabularies = Graph().parse(VOCABULARIES)
    conforms, results, text = pyshacl.validate(
        data + vocabularies,  # the published metadata plus what loading the EU tables adds
        shacl_graph=Graph().parse(SHAPES),
        ont_graph=Graph().parse(ONTOLOGIES),
        inference="rdfs",
        allow_warnings=True,
        advanced=True,
    )
    violations = []
    for result in results.subjects(SH.resultSeverity, SH.Violation):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        violations.append(f"{focus} {path}: {message}")
    known = set(vocabularies.subjects())
    used = {o for o in data.objects() if isinstance(o, URIRef) and str(o).startswith(EU_AUTHORITY)}
    unlisted = sorted(str(value) for value in used - known)
    return Report(bool(conforms) and not unlisted, sorted(violations), unlisted, str(text))


def validate_file(path: Path) -> Report:
    return validate(Graph().parse(path, format="turtle"))
