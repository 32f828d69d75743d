"""The municipality pages: their data, their escaping, their regeneration, and one coverage figure."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT, page_text, sirkbok
from markdown_it import MarkdownIt
from sirkbok.core import format
from sirkbok.datapackage import load as data
from sirkbok.pages import coverage, municipality
from sirkbok.run import instances, provenance
from sirkbok.themes.biogass import model as biogass
from sirkbok.themes.tekstiler import model as tekstiler

NUMBERS = [str(n) for n in data.load("kommuner")["kommunenummer"]]


def test_there_is_a_page_for_each_of_the_twelve_municipalities() -> None:
    assert len(NUMBERS) == 12
    pages = sorted(p.stem for p in (ROOT / "chapters" / "kommuner").glob("*.ipynb"))
    assert pages == sorted(NUMBERS)


@pytest.mark.parametrize("number", NUMBERS)
def test_page_has_population_region_and_county(number: str) -> None:
    page = municipality.page(number)
    kommuner = data.load("kommuner").set_index("kommunenummer")
    assert page.region in {"gjovikregionen", "hadelandsregionen", "ringeriksregionen"}
    assert page.region_name.endswith("regionen")
    assert page.county in {"Innlandet", "Akershus", "Buskerud"}
    assert page.county == kommuner.loc[number, "fylke"]
    facts = municipality.facts_markdown(page)
    if page.population is None:  # Modum: missing, and said so with where to get it
        assert "mangler" in facts
        assert "kommuner" in set(page.missing["tabell"])
    else:
        assert page.population == kommuner.loc[number, "folketall"]
        assert page.population_source and f"{{cite}}`{page.population_source}`" in facts
        assert municipality.number(page.population) in facts


def test_shares_add_up_to_the_theme_chapters_region_totals() -> None:
    """The pages' estimates are the theme modules' per-municipality rows: they sum to the region."""
    pages = [municipality.page(n) for n in NUMBERS]
    measures = {(s.theme, s.measure) for s in pages[0].shares}
    assert {theme for theme, _ in measures} == {"biogass", "tekstiler"}
    for region in {p.region for p in pages}:
        members = [p for p in pages if p.region == region]
        for theme, measure in measures:
            shares = [
                s for p in members for s in p.shares if (s.theme, s.measure) == (theme, measure)
            ]
            total = sum(s.value for s in shares if s.value is not None)
            assert total == pytest.approx(shares[0].region_total, rel=1e-9)
            assert all(s.region_total == shares[0].region_total for s in shares)
    # ... and the region totals are those the theme chapters compute
    kommuner = data.load("kommuner")
    from sirkbok.themes import parameters as params

    per_region = biogass.per_region(
        biogass.potential_with(kommuner, params.defaults("biogass"))
    ).set_index("region")
    gjovik = next(p for p in pages if p.number == "3407")
    food = next(s for s in gjovik.shares if s.theme == "biogass")
    assert food.region_total == pytest.approx(per_region.loc["gjovikregionen", "matavfall_t"])
    volumes = tekstiler.region_totals(
        tekstiler.volumes_with(kommuner, params.defaults("tekstiler"))
    ).set_index("region")
    textiles = next(s for s in gjovik.shares if s.measure == "Tekstilavfall som oppstår")
    assert textiles.region_total == pytest.approx(volumes.loc["gjovikregionen", "generert_t"])


def test_estimates_are_rounded_and_labelled() -> None:
    text = municipality.shares_markdown(municipality.page("3305"))
    assert "**estimater**" in text
    cells = re.findall(r"ca\. ([\d\u202f,]+) ", text)
    assert len(cells) >= 8, text
    for cell in cells:
        value = float(cell.replace("\u202f", "").replace(",", "."))
        assert value == float(f"{value:.2g}"), cell


def test_roles_are_proposals_never_decisions() -> None:
    for number in NUMBERS:
        text = municipality.roles_markdown(municipality.page(number))
        assert "foreslått" in text
        assert "vedtak ikke kjent per" in text
        assert " vedtatt at" not in text and "har vedtatt" not in text
    jevnaker = municipality.roles_markdown(municipality.page("3236"))
    assert "dele hovedansvaret" in jevnaker and "Krødsherad" in jevnaker


def test_missing_values_come_from_coverage_with_their_source() -> None:
    values = coverage.package_values()
    for number in NUMBERS:
        page = municipality.page(number)
        assert list(page.missing["id"]) == list(coverage.missing_for(values, number)["id"])
        text = municipality.missing_markdown(page)
        for where in page.missing["fylles_fra"].dropna():
            assert format.text(where) in text
        assert f'href="../../maler/kommune-{number}.xlsx"' in text


def test_data_text_cannot_become_markup() -> None:
    hostile = "Ond <script>alert(1)</script> `kode` {cite}`x` [lenke](javascript:x) **fet** | # $x$"
    escaped = format.text(hostile)
    tokens = MarkdownIt("commonmark").enable("table").parseInline(escaped)[0].children or []
    assert [t.type for t in tokens] == ["text"], tokens
    assert tokens[0].content == " ".join(hostile.split())
    link = format.doc_link("Navn <med> `tegn`", "/chapters/kommuner/3407")
    assert link.count("`") == 2 and link.count("<") == 1


def test_one_missing_data_figure_on_every_page() -> None:
    """Oversikt and Data og kilder quote the same sentence, from the same function."""
    regions = data.load("regioner")
    names = dict(zip(regions["id"], regions["kortnavn"], strict=True))
    headline = coverage.headline(coverage.package_values(), names)
    assert re.search(r"\(\d+\u00a0%\)", headline)
    for chapter in ("chapters/tema/oversikt.ipynb", "chapters/data-og-kilder.ipynb"):
        assert headline in page_text(ROOT / chapter), chapter


def test_pages_are_the_template_with_the_municipality_injected() -> None:
    for instance in instances.planned(ROOT):
        current = json.loads(instance.path.read_text(encoding="utf-8"))
        assert provenance.source_hash(current) == provenance.source_hash(instance.notebook)
        record = provenance.recorded(current)
        assert record and record["parameters"] == {"kommune": instance.number}
        title = current["cells"][0]["source"]
        title = "".join(title) if isinstance(title, list) else title
        name = data.load("kommuner").set_index("kommunenummer").loc[instance.number, "navn"]
        assert title.startswith(f"# {name}")


def test_toc_and_front_page_link_every_municipality() -> None:
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    front = (ROOT / "chapters" / "forside.md").read_text(encoding="utf-8")
    for number in NUMBERS:
        assert f"- file: chapters/kommuner/{number}" in toc
        assert f"</chapters/kommuner/{number}>`" in front


def test_regenerate_check_sees_a_renamed_municipality_and_sync_mends_it(
    repo_copy: Path,
) -> None:
    path = repo_copy / "data" / "kommuner.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",Hole,", ",Hole kommune,"))
    result = sirkbok("regenerate", "--check", root=repo_copy)
    assert result.returncode == 1
    assert "chapters/kommuner/3310.ipynb er utdatert: malen eller kommunens navn er endret" in (
        result.stderr
    )
    assert [p.name for p, _ in instances.pending(repo_copy)] == ["3310.ipynb"]
    assert [p.name for p in instances.sync(repo_copy)] == ["3310.ipynb"]
    assert instances.pending(repo_copy) == []
    written = json.loads((repo_copy / "chapters/kommuner/3310.ipynb").read_text(encoding="utf-8"))
    assert written["cells"][0]["source"].startswith("# Hole kommune")


def test_a_removed_municipality_loses_its_page_and_a_new_one_gets_one(repo_copy: Path) -> None:
    path = repo_copy / "data" / "kommuner.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith("3318,")))
    (repo_copy / "chapters/kommuner/3407.ipynb").unlink()
    reasons = dict((p.name, r) for p, r in instances.pending(repo_copy))
    assert reasons == {
        "3318.ipynb": "kommunen finnes ikke lenger i data/kommuner.csv",
        "3407.ipynb": "kommunesiden er ikke laget fra malen ennå",
    }
    instances.sync(repo_copy)
    assert not (repo_copy / "chapters/kommuner/3318.ipynb").exists()
    assert (repo_copy / "chapters/kommuner/3407.ipynb").is_file()


def test_a_municipality_number_that_is_no_file_name_is_refused(repo_copy: Path) -> None:
    path = repo_copy / "data" / "kommuner.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("3310,Hole", "../x,Hole"))
    with pytest.raises(instances.UserError) as error:
        instances.planned(repo_copy)
    problem = error.value.problems[0]
    assert problem.column == "kommunenummer" and problem.found == "../x"
