"""A contributor from Hadelandsregionen, end to end, in a throw-away copy of the book.

They scaffold a chapter on textiles, write it, correct a population figure through the Excel
template, run the checks and build the book; the chapter must then be a page under its region. The
whole file builds the book once (module fixture). The issue forms and CODEOWNERS follow the data.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import BIN, copy_repo, sirkbok
from sirkbok.core import context, publisher
from sirkbok.datapackage import load as data
from sirkbok.run import trust

OWNER = publisher.read(context.current().root).owner

SLUG = "ombruk-av-tekstiler-pa-hadeland"
FOLDER = "chapters/regioner/hadelandsregionen"
TEXT = """\
- Hadelandsregionen har ikke særskilt ansvar for tekstiler i fase 1; det har Ringeriksregionen
  {cite}`sak0926`.
- Alle kommuner skal samle inn tekstilavfall separat fra 1. januar 2025
  {cite}`miljodir-tekstil2025`.

Se også {doc}`strategiens mål </chapters/strategi/mal>` og [regionsiden](index.md).
"""


@dataclass
class Contribution:
    root: Path
    scaffold: subprocess.CompletedProcess[str]
    template: subprocess.CompletedProcess[str]
    preview: subprocess.CompletedProcess[str]
    imported: subprocess.CompletedProcess[str]
    check: subprocess.CompletedProcess[str]
    csv_before: str
    build: subprocess.CompletedProcess[str]

    @property
    def html(self) -> Path:
        return self.root / "_build" / "html"


def table_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def contribution(tmp_path_factory: pytest.TempPathFactory) -> Contribution:
    from openpyxl import load_workbook

    root = copy_repo(tmp_path_factory.mktemp("bidrag") / "bok")
    scaffold = sirkbok(
        "new-chapter",
        "--region",
        "hadelandsregionen",
        "--theme",
        "tekstiler",
        "--title",
        "Ombruk av tekstiler på Hadeland",
        "--author",
        "Kari Nordmann",
        root=root,
    )
    chapter = root / FOLDER / f"{SLUG}.md"
    if scaffold.returncode == 0:  # write the summary, as the contributor would
        text = chapter.read_text(encoding="utf-8")
        summary = text.index("## Sammendrag\n") + len("## Sammendrag\n")
        chapter.write_text(text[:summary] + "\n" + TEXT + text[summary:], encoding="utf-8")

    workbook = root.parent / "kommuner.xlsx"  # the spreadsheet is not part of the book
    template = sirkbok("template", "--table", "kommuner", "--out", str(workbook), root=root)
    csv_before = (root / "data/kommuner.csv").read_text(encoding="utf-8")
    book = load_workbook(workbook)
    sheet = book["kommuner"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("navn")].value == "Gran":
            population = row[header.index("folketall (innbyggere)")]
            assert isinstance(population.value, int)
            population.value += 1  # a test value, not a fact
    book.save(workbook)
    preview = sirkbok("import", str(workbook), "--table", "kommuner", root=root)
    imported = sirkbok("import", str(workbook), "--table", "kommuner", "--yes", root=root)
    check = sirkbok("check", "--skip-figures", root=root)
    build = subprocess.run(
        [str(BIN / "jupyter-book"), "build", str(root), "--all", "-W", "-n", "--keep-going"],
        text=True,
        capture_output=True,
    )
    return Contribution(root, scaffold, template, preview, imported, check, csv_before, build)


@pytest.mark.slow
def test_the_chapter_is_scaffolded(contribution: Contribution) -> None:
    assert contribution.scaffold.returncode == 0, contribution.scaffold.stderr
    assert f"Laget {FOLDER}/{SLUG}.md" in contribution.scaffold.stdout


@pytest.mark.slow
def test_a_population_figure_arrives_through_the_excel_template(contribution: Contribution) -> None:
    assert contribution.template.returncode == 0, contribution.template.stderr
    assert contribution.preview.returncode == 0, contribution.preview.stderr
    assert "0 nye, 1 endrede og 0 fjernede rader" in contribution.preview.stdout
    assert "~ 3446: folketall:" in contribution.preview.stdout
    assert contribution.imported.returncode == 0, contribution.imported.stderr
    before = table_rows(contribution.csv_before)
    after = table_rows((contribution.root / "data/kommuner.csv").read_text(encoding="utf-8"))
    assert len(before) == len(after)
    changes = [
        (b["kommunenummer"], column, b[column], a[column])
        for b, a in zip(before, after, strict=True)
        for column in b
        if b[column] != a[column]
    ]
    assert len(changes) == 1, changes
    number, column, old, new = changes[0]
    assert (number, column) == ("3446", "folketall") and int(new) == int(old) + 1
    assert sirkbok("validate", root=contribution.root).returncode == 0


@pytest.mark.slow
def test_the_checks_pass(contribution: Contribution) -> None:
    assert contribution.check.returncode == 0, contribution.check.stderr
    assert "Sjekken fant ingen feil" in contribution.check.stdout


@pytest.mark.slow
def test_the_book_builds_and_the_chapter_is_under_its_region(contribution: Contribution) -> None:
    build = contribution.build
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    page = contribution.html / FOLDER / f"{SLUG}.html"
    assert page.is_file()
    html = page.read_text(encoding="utf-8")
    assert "Ombruk av tekstiler på Hadeland" in html
    assert "samle inn tekstilavfall separat" in html
    region = (contribution.html / FOLDER / "index.html").read_text(encoding="utf-8")
    assert region.count(f'href="{SLUG}.html"') >= 2  # the landing page list and the navigation
    assert "Kari Nordmann" in region
    assert "Gran" in region and "Lunner" in region
    home = (contribution.html / "chapters/forside.html").read_text(encoding="utf-8")
    assert "Regionene" in home and "regioner/hadelandsregionen/index.html" in home


def test_the_issue_forms_offer_exactly_the_data_packages_ids(repo_root: Path) -> None:
    forms = repo_root / ".github/ISSUE_TEMPLATE"

    def options(form: str, field: str) -> list[str]:
        body = yaml.safe_load((forms / form).read_text(encoding="utf-8"))["body"]
        return next(item for item in body if item.get("id") == field)["attributes"]["options"]

    assert options("foreslaa-kapittel.yml", "region") == list(data.load("regioner")["id"])
    assert options("foreslaa-kapittel.yml", "tema") == list(data.load("tema")["id"])
    towns = options("send-inn-tall.yml", "kommune")
    assert [t.split()[0] for t in towns] == list(data.load("kommuner")["kommunenummer"])
    assert "Matavfall fra husholdningene (t/år)" in options("send-inn-tall.yml", "storrelse")
    assert (
        yaml.safe_load((forms / "config.yml").read_text(encoding="utf-8"))["blank_issues_enabled"]
        is False
    )


def test_codeowners_gives_each_region_its_folder(repo_root: Path) -> None:
    owners = {}
    for line in (repo_root / ".github/CODEOWNERS").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            path, *teams = line.split()
            owners[path] = teams
    for region in data.load("regioner")["id"]:
        assert owners[f"/chapters/regioner/{region}/"] == [f"@{OWNER}/{region}"]
        assert (repo_root / "chapters/regioner" / region / "index.md").is_file()
    assert owners["/data/"] == [f"@{OWNER}/data"]
    contributing = (repo_root / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "plassholdere" in contributing


def code_owners(root: Path, path: str) -> list[str]:
    """The owners GitHub asks for a change to `path`: the last matching line of CODEOWNERS."""
    owners: list[str] = []
    for line in (root / ".github/CODEOWNERS").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pattern, *teams = line.split()
        relative = pattern.lstrip("/")
        if pattern == "*" or (pattern.endswith("/") and path.startswith(relative)):
            owners = teams
            continue
        regex = re.escape(relative).replace(r"\*\*/", "(?:.*/)?").replace(r"\*", "[^/]*")
        if re.fullmatch(regex, path):
            owners = teams
    return owners


def test_codeowners_gives_the_trusted_paths_to_the_maintainers(repo_root: Path) -> None:
    maintainers = [f"@{OWNER}/redaksjon"]
    trusted = [
        *(f"{folder}ny.ipynb" for folder in trust.TRUSTED_FOLDERS),
        f"{trust.TOP}/data-og-kilder.ipynb",
        "chapters/kommuner/3234.ipynb",
        trust.ALLOWLIST,
        ".github/CODEOWNERS",
        ".github/workflows/ci.yml",
        "scripts/sirkbok/run/trust.py",
        "scripts/sirkbok/templates/kommune.ipynb",
        "Makefile",
        "_config.yml",
        "pyproject.toml",
        "requirements.txt",
        "chapters/regioner/hadelandsregionen/ny.ipynb",  # a notebook needs the maintainers
    ]
    for path in trusted:
        assert code_owners(repo_root, path) == maintainers, path
    assert code_owners(repo_root, "chapters/regioner/hadelandsregionen/ny.md") == [
        f"@{OWNER}/hadelandsregionen"
    ]
    assert code_owners(repo_root, "data/kommuner.csv") == [f"@{OWNER}/data"]


def test_the_guidance_names_every_step(repo_root: Path) -> None:
    contributing = (repo_root / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for step in (
        "Foreslå et kapittel",
        "Send inn et tall",
        "make chapter",
        "make serve",
        "make book",
        "sirkbok check",
        "pull request",
        "Create new file",
        "sirkbok template",
        "sirkbok import",
        "English summary",
    ):
        assert step in contributing, step
    bidra = (repo_root / "chapters/bidra.md").read_text(encoding="utf-8")
    assert bidra.startswith("# Bidra\n")
    toc = (repo_root / "_toc.yml").read_text(encoding="utf-8")
    assert "- file: chapters/bidra" in toc and "caption: Regionene" in toc
