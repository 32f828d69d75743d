"""Publishing: the PDF, citable releases, DCAT-AP-NO metadata, the findable site, Frictionless."""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from conftest import copy_repo, sirkbok
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF
from rdflib.term import Node
from sirkbok.book import chapters, dcat, edition, pdf
from sirkbok.core import format as fmt

BASE = "https://eksempel.no/bok/"
VCARD = dcat.VCARD
DCAT = dcat.DCAT_3  # an open namespace: pytest's collection probes attributes of module globals


def base_url(root: Path) -> str:
    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))["html"]["baseurl"]


def chapter_titles(root: Path) -> list[str]:
    """Each chapter's first heading, read from its source (independently of the PDF builder)."""
    titles = []
    for chapter in chapters.contents(root):
        md, ipynb = root / f"{chapter.docname}.md", root / f"{chapter.docname}.ipynb"
        if md.is_file():
            text = md.read_text(encoding="utf-8")
        else:
            cells = json.loads(ipynb.read_text(encoding="utf-8"))["cells"]
            text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        heading = re.search(r"(?m)^# (.+)$", text)
        assert heading, chapter.docname
        titles.append(heading.group(1).strip())
    return titles


def letters(text: str) -> str:
    return re.sub(r"[\s\u00ad]+", "", text)


# --- the PDF ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def book_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The whole-book PDF of a copy of the book, and the text of each page."""
    from pypdf import PdfReader

    if not pdf.CHROMIUM.is_file():
        pytest.skip("Debians chromium mangler")
    root = copy_repo(tmp_path_factory.mktemp("pdf") / "bok")
    path, count, _ = pdf.build(root)
    pages = [page.extract_text() or "" for page in PdfReader(path).pages]
    assert len(pages) == count
    return path, pages


@pytest.mark.slow
@pytest.mark.browser
def test_pdf_has_a_sane_number_of_pages_with_page_numbers(book_pdf: tuple[Path, list[str]]) -> None:
    path, pages = book_pdf
    assert path.parent.name == "pdf" and path.name == pdf.PDF_NAME
    assert 40 <= len(pages) <= 250, len(pages)
    assert f"Side 3 av {len(pages)}" in pages[2]
    assert f"Side {len(pages)} av {len(pages)}" in pages[-1]


@pytest.mark.slow
@pytest.mark.browser
def test_pdf_title_page_names_title_version_date_and_publishers(
    book_pdf: tuple[Path, list[str]], repo_root: Path
) -> None:
    _, pages = book_pdf
    book = edition.read(repo_root)
    first = letters(pages[0])
    for part in (book.title, f"Versjon {book.version}", *book.authors):
        assert letters(part) in first, part
    assert letters(f"{book.released.day}.") in first and str(book.released.year) in first


@pytest.mark.slow
@pytest.mark.browser
def test_pdf_has_every_chapter_in_order_and_a_contents_list_with_right_page_numbers(
    book_pdf: tuple[Path, list[str]], repo_root: Path
) -> None:
    _, pages = book_pdf
    titles = chapter_titles(repo_root)
    assert len(titles) >= 20
    contents = pages[1]
    assert contents.startswith("Innhold")
    previous = 1
    for title in titles:
        listed = re.search(re.escape(letters(title)) + r"(\d+)", letters(contents))
        assert listed, f"{title} mangler i innholdsfortegnelsen"
        number = int(listed.group(1))
        assert number > previous, title  # in order
        assert letters(pages[number - 1]).startswith(letters(title)), (title, number)
        previous = number


@pytest.mark.slow
@pytest.mark.browser
def test_pdf_charts_are_vector_graphics(book_pdf: tuple[Path, list[str]]) -> None:
    from pypdf import PdfReader

    path, pages = book_pdf
    text = "\n".join(pages)
    # Axis and legend text of the charts is text in the PDF: drawn as vectors, not a bitmap or blank.
    for label in ("Energi (GWh per år)", "Tonn per år", "Innbyggere"):
        assert label in text, label
    reader = PdfReader(path)
    chart_page = next(i for i, t in enumerate(pages) if "Energi (GWh per år)" in t)
    contents = reader.pages[chart_page].get_contents()
    assert contents is not None
    content = contents.get_data()
    assert content.count(b" re") + content.count(b" l\n") > 20  # rectangles and lines (the bars)


@pytest.mark.slow
@pytest.mark.browser
def test_pdf_text_is_norwegian_with_sources_and_no_placeholders(
    book_pdf: tuple[Path, list[str]],
) -> None:
    _, pages = book_pdf
    text = "\n".join(pages)
    assert text.count("kommune") > 50 and "Gjøvikregionen" in text
    assert "Saksframlegg" in text  # the source list
    for placeholder in (r"\bLorem\b", r"\bNone\b", r"\bnan\b", r"<NA>", r"\bNaN\b"):
        assert not re.search(placeholder, text), placeholder
    assert "Vis koden" not in text and "from sirkbok" not in text  # no code reaches paper


# --- the site ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_site_has_sitemap_robots_canonical_links_and_previews(
    built_book: Path, repo_root: Path
) -> None:
    base = base_url(repo_root)
    assert base.startswith("https://") and base.endswith("/")
    sitemap = (built_book / "sitemap.xml").read_text(encoding="utf-8")
    urls = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    toc = (repo_root / "_toc.yml").read_text(encoding="utf-8")
    assert len(urls) == len(re.findall(r"(?m)^\s*(?:root|- file):", toc))
    for url in urls:
        assert url.startswith(base)
        page = built_book / url[len(base) :]
        html = page.read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="{url}" />' in html
        assert f'<meta property="og:url" content="{url}" />' in html
        assert re.search(r'<meta name="description" content="[^"]{40,}"', html), url
        assert '<meta property="og:title" content="' in html
    assert f"Sitemap: {base}sitemap.xml" in (built_book / "robots.txt").read_text()


@pytest.mark.slow
def test_footer_shows_the_edition_and_links_the_pdf_only_when_it_exists(
    built_book: Path, repo_root: Path
) -> None:
    book = edition.read(repo_root)
    for name in ("chapters/forside.html", "chapters/tema/biogass.html"):
        html = (built_book / name).read_text(encoding="utf-8")
        assert f"Versjon {book.version}, " in html
        link = re.search(r'<a href="([^"]+)">Last ned boka som PDF</a>', html)
        if link:  # never a dead link
            assert ((built_book / name).parent / link.group(1)).resolve().is_file()
        else:
            assert not (built_book / pdf.PDF_NAME).exists()
    citing = (built_book / "chapters" / "slik-siterer-du.html").read_text(encoding="utf-8")
    assert f"versjon {book.version}, utgitt " in citing and "{{" not in citing


@pytest.mark.slow
def test_site_publishes_the_dcat_metadata(built_book: Path, repo_root: Path) -> None:
    jsonld = Graph().parse(built_book / "data" / "dcat.jsonld", format="json-ld")
    turtle = Graph().parse(built_book / "data" / "dcat.ttl", format="turtle")
    assert len(jsonld) == len(turtle) > 100
    for url in jsonld.objects(None, DCAT.downloadURL):
        path = urlsplit(str(url)).path.removeprefix(urlsplit(base_url(repo_root)).path)
        assert (built_book / path).is_file(), url


# --- DCAT-AP-NO ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalog(repo_root: Path) -> Graph:
    return dcat.graph(repo_root, BASE)


def one(g: Graph, subject: Node, predicate: Node) -> Node:
    values = list(g.objects(subject, predicate))
    assert len(values) == 1, (subject, predicate, values)
    return values[0]


def norwegian_text(g: Graph, subject: Node, predicate: Node) -> None:
    values = list(g.objects(subject, predicate))
    assert values and all(
        isinstance(v, Literal) and v.language == "nb" and str(v).strip() for v in values
    ), predicate


def test_dcat_catalog_and_dataset_have_the_mandatory_properties(catalog: Graph) -> None:
    [cat] = catalog.subjects(RDF.type, DCAT.Catalog)
    [dataset] = catalog.subjects(RDF.type, DCAT.Dataset)
    assert one(catalog, cat, DCAT.dataset) == dataset
    for subject in (cat, dataset):
        norwegian_text(catalog, subject, DCTERMS.title)
        norwegian_text(catalog, subject, DCTERMS.description)
        publisher = one(catalog, subject, DCTERMS.publisher)
        assert isinstance(publisher, URIRef)
        assert (publisher, RDF.type, FOAF.Agent) in catalog
        book = edition.read(Path(__file__).resolve().parents[2])
        assert str(one(catalog, publisher, FOAF.name)) == fmt.listing(book.authors)
        contact = one(catalog, subject, DCAT.contactPoint)
        assert (contact, RDF.type, VCARD.Organization) in catalog
        assert list(catalog.objects(contact, VCARD.fn))
        assert list(catalog.objects(contact, VCARD.hasURL)) + list(
            catalog.objects(contact, VCARD.hasEmail)
        )
    themes = list(catalog.objects(dataset, DCAT.theme))
    assert themes and all(str(t).startswith(str(dcat.EU_THEME)) for t in themes)


def test_dcat_distributions_are_the_csv_files_with_format_licence_and_urls(
    catalog: Graph, repo_root: Path
) -> None:
    descriptor = json.loads((repo_root / "data" / "datapackage.json").read_text("utf-8"))
    [dataset] = catalog.subjects(RDF.type, DCAT.Dataset)
    distributions = list(catalog.objects(dataset, DCAT.distribution))
    assert len(distributions) == len(descriptor["resources"])
    urls = set()
    for distribution in distributions:
        access = one(catalog, distribution, DCAT.accessURL)
        assert isinstance(access, URIRef) and str(access).startswith(BASE + "data/")
        assert (repo_root / "data" / str(access).removeprefix(BASE + "data/")).is_file()
        assert str(one(catalog, distribution, DCTERMS.format)).endswith("/file-type/CSV")
        assert str(one(catalog, distribution, DCAT.mediaType)).endswith("/text/csv")
        licence = one(catalog, distribution, DCTERMS.license)
        assert str(licence).endswith("/licence/CC_BY_4_0")
        urls.add(str(access))
    assert urls == {f"{BASE}data/{r['path']}" for r in descriptor["resources"]}


def test_dcat_covers_the_twelve_municipalities_and_a_period(
    catalog: Graph, repo_root: Path
) -> None:
    import csv

    [dataset] = catalog.subjects(RDF.type, DCAT.Dataset)
    with (repo_root / "data" / "kommuner.csv").open(encoding="utf-8") as handle:
        codes = {row["kommunenummer"] for row in csv.DictReader(handle)}
    assert list(catalog.objects(dataset, DCTERMS.spatial)) == [dcat.EU_COUNTRY["NOR"]]
    places = list(catalog.objects(dataset, DCTERMS.coverage))
    assert len(codes) == 12 and len(places) == 12
    assert {str(one(catalog, p, DCTERMS.identifier)) for p in places} == codes
    assert all(isinstance(p, URIRef) for p in places)
    period = one(catalog, dataset, DCTERMS.temporal)
    start_date = one(catalog, period, DCAT.startDate)
    end_date = one(catalog, period, DCAT.endDate)
    assert isinstance(start_date, Literal) and isinstance(end_date, Literal)
    start, end = start_date.toPython(), end_date.toPython()
    assert isinstance(start, datetime.date) and start <= end


def test_dcat_is_the_same_in_json_ld_and_turtle_and_deterministic(
    repo_root: Path, tmp_path: Path
) -> None:
    first = [p.read_bytes() for p in dcat.write(repo_root, BASE, tmp_path / "a")]
    second = [p.read_bytes() for p in dcat.write(repo_root, BASE, tmp_path / "b")]
    assert first == second
    from rdflib.compare import isomorphic

    jsonld = Graph().parse(data=first[0], format="json-ld")
    turtle = Graph().parse(data=first[1], format="turtle")
    assert isomorphic(jsonld, turtle)


def test_frictionless_reference_validator_accepts_the_data_package(repo_root: Path) -> None:
    from frictionless import validate

    report = validate(str(repo_root / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])


def test_frictionless_reports_a_broken_table(data_book: Path) -> None:
    from frictionless import validate

    path = data_book / "data" / "kommuner.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("31444", "mange", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = validate(str(data_book / "data" / "datapackage.json"))
    assert not report.valid
    assert "type-error" in {error.type for task in report.tasks for error in task.errors}


# --- releases ----------------------------------------------------------------------------------


@pytest.fixture
def clone(tmp_path: Path, repo_root: Path) -> Path:
    """A git clone of the committed book, with an author for commits."""
    target = tmp_path / "klone"
    subprocess.run(["git", "clone", "-q", str(repo_root), str(target)], check=True)
    for key, value in (("user.name", "Test"), ("user.email", "test@example.invalid")):
        subprocess.run(["git", "-C", str(target), "config", key, value], check=True)
    return target


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


def release(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return sirkbok("release", *args, root=root)


def test_release_stamps_commits_and_tags(clone: Path) -> None:
    result = release(clone, "1.0.0", "--date", "2026-12-01")
    assert result.returncode == 0, result.stderr
    assert git(clone, "cat-file", "-t", "v1.0.0") == "tag"  # annotated
    assert git(clone, "status", "--porcelain") == ""
    assert git(clone, "log", "-1", "--format=%s") == "Release v1.0.0"
    book = edition.read(clone)
    assert (book.version, book.released) == ("1.0.0", datetime.date(2026, 12, 1))
    zenodo = json.loads((clone / ".zenodo.json").read_text(encoding="utf-8"))
    assert (zenodo["version"], zenodo["publication_date"]) == ("1.0.0", "2026-12-01")
    changelog = (clone / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Ikke utgitt]\n\n## [1.0.0] – 2026-12-01\n\n### Lagt til" in changelog
    # The tagged commit holds the stamped citation file.
    assert 'version: "1.0.0"' in git(clone, "show", "v1.0.0:CITATION.cff")
    # Nothing new since: a second release is refused until the changelog says what changed.
    again = release(clone, "1.0.1")
    assert again.returncode == 1 and "«## [Ikke utgitt]» er tomt" in again.stderr


@pytest.mark.parametrize("version", ["1.0", "v1.0.0", "01.2.3", "1.0.0; rm -rf x", ""])
def test_release_refuses_a_bad_version_and_changes_nothing(clone: Path, version: str) -> None:
    head = git(clone, "rev-parse", "HEAD")
    result = release(clone, version)
    assert result.returncode == 1
    assert f"Versjonen «{version}» er ikke gyldig" in result.stderr and "1.2.0" in result.stderr
    assert git(clone, "rev-parse", "HEAD") == head and git(clone, "tag") == ""
    assert git(clone, "status", "--porcelain") == ""


def test_release_refuses_a_dirty_tree_or_an_existing_tag(clone: Path) -> None:
    (clone / "CHANGELOG.md").write_text(
        (clone / "CHANGELOG.md").read_text(encoding="utf-8") + "\nUferdig\n", encoding="utf-8"
    )
    dirty = release(clone, "1.0.0")
    assert dirty.returncode == 1 and "ikke er committet (CHANGELOG.md)" in dirty.stderr
    assert (
        git(clone, "tag") == "" and 'version: "1.0.0"' not in (clone / "CITATION.cff").read_text()
    )
    git(clone, "checkout", "--", "CHANGELOG.md")
    git(clone, "tag", "-a", "v2.0.0", "-m", "x")
    taken = release(clone, "2.0.0")
    assert taken.returncode == 1 and "Taggen v2.0.0 finnes allerede" in taken.stderr


def test_make_release_passes_the_version_as_data(repo_root: Path) -> None:
    makefile = (repo_root / "Makefile").read_text(encoding="utf-8")
    assert '$(BIN)/sirkbok release "$$VERSION"' in makefile


def test_cli_lists_pdf_and_release() -> None:
    out = subprocess.run(
        [str(Path(sys.executable).parent / "sirkbok"), "--help"],
        capture_output=True,
        text=True,
        env=dict(os.environ),
    ).stdout
    assert "pdf" in out and "release" in out
