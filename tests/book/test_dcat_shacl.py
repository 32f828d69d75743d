"""The site's DCAT-AP-NO metadata passes the official SHACL shapes (pySHACL), also after SSB data."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from conftest import ROOT, sirkbok
from rdflib import Graph, Literal
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS
from sirkbok.book import dcat
from sirkbok_dev import dcat_shacl

BASE = "https://example.org/sirkbok/"
SAVED = ROOT / "tests" / "fixtures" / "ssb" / "lagret"


def published(root: Path, folder: Path) -> Path:
    """`dcat.ttl` exactly as the site build writes it (sphinx_ext calls the same function)."""
    return dcat.write(root, BASE, folder)[1]


def test_the_published_dcat_ttl_conforms_to_dcat_ap_no(repo_root: Path, tmp_path: Path) -> None:
    report = dcat_shacl.validate_file(published(repo_root, tmp_path))
    assert report.violations == [] and report.unlisted == []
    assert report.conforms, report.text


def test_the_validator_reports_a_missing_catalogue_identifier_and_an_unlisted_eu_value(
    repo_root: Path, tmp_path: Path
) -> None:
    g = Graph().parse(published(repo_root, tmp_path), format="turtle")
    [catalog] = g.subjects(RDF.type, DCAT.Catalog)
    g.remove((catalog, DCTERMS.identifier, None))
    report = dcat_shacl.validate(g)
    assert not report.conforms
    assert any("identifier" in line for line in report.violations)
    g = Graph().parse(published(repo_root, tmp_path), format="turtle")
    [dataset] = g.subjects(RDF.type, DCAT.Dataset)
    g.add((dataset, DCAT.theme, dcat.EU_THEME["AGRI"]))
    report = dcat_shacl.validate(g)
    assert not report.conforms and report.unlisted == [str(dcat.EU_THEME["AGRI"])]


def test_ssb_snapshots_add_modified_provenance_and_a_distribution_each(
    book: Path, tmp_path: Path
) -> None:
    assert sirkbok("update", "ssb", "--from", str(SAVED), root=book).returncode == 0
    ttl = published(book, tmp_path)
    report = dcat_shacl.validate_file(ttl)
    assert report.conforms, report.violations
    g = Graph().parse(ttl, format="turtle")
    [dataset] = g.subjects(RDF.type, DCAT.Dataset)
    fetched = []
    for table in ("07459", "09280"):
        snapshot = book / "data" / "snapshots" / "ssb" / table / "2025.json"
        fetched.append(json.loads(snapshot.read_text("utf-8"))["opphav"]["hentet"])
        distribution = next(
            d
            for d in g.objects(dataset, DCAT.distribution)
            if str(d).endswith(f"snapshots/ssb/{table}/2025.json#distribusjon")
        )
        assert str(g.value(distribution, DCTERMS.license)).endswith("/licence/NLOD_2_0")
        assert str(g.value(distribution, DCTERMS.format)).endswith("/file-type/JSON")
    modified = g.value(dataset, DCTERMS.modified)
    assert isinstance(modified, Literal)
    assert modified.toPython() == datetime.date.fromisoformat(max(fetched))
    statement = g.value(dataset, DCTERMS.provenance)
    assert (statement, RDF.type, DCTERMS.ProvenanceStatement) in g
    label = str(g.value(statement, RDFS.label))
    assert "Statistisk sentralbyrå" in label and "07459" in label and "09280" in label


@pytest.mark.slow
def test_the_built_sites_dcat_ttl_conforms(built_book: Path) -> None:
    report = dcat_shacl.validate_file(built_book / "data" / "dcat.ttl")
    assert report.conforms, report.violations
