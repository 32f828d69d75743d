"""`sirkbok new-chapter`: a chapter from the template, registered under its region, or nothing."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import yaml
from conftest import sirkbok
from sirkbok.book.scaffold import register_in_toc, slugify
from sirkbok.core.errors import UserError

REGION = "hadelandsregionen"


def snapshot(root: Path) -> dict[str, str]:
    """A hash of every file in the copy: a refusal must leave all of them as they were."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def toc_sections(root: Path, region: str) -> list[str]:
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    for part in toc["parts"]:
        for chapter in part.get("chapters", []):
            if chapter["file"] == f"chapters/regioner/{region}/index":
                return [s["file"] for s in chapter.get("sections", [])]
    raise AssertionError(f"{region} mangler i _toc.yml")


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Ombruk av tekstiler på Hadeland", "ombruk-av-tekstiler-pa-hadeland"),
        ("Bærekraftig fjernvarme – Gjøvik 2026!", "baerekraftig-fjernvarme-gjovik-2026"),
        ("  ÆØÅ  og   Crème brûlée ", "aeoa-og-creme-brulee"),
    ],
)
def test_slug_from_title(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_new_chapter_creates_registers_and_lists(repo_copy: Path) -> None:
    result = sirkbok(
        "new-chapter",
        "--region",
        REGION,
        "--theme",
        "tekstiler",
        "--title",
        "Ombruk av tekstiler på Hadeland",
        "--author",
        "Kari Nordmann",
        "--author",
        "Ola Nordmann",
        root=repo_copy,
    )
    assert result.returncode == 0, result.stderr
    chapter = repo_copy / "chapters/regioner/hadelandsregionen/ombruk-av-tekstiler-pa-hadeland.md"
    assert f"Laget {chapter.relative_to(repo_copy)}" in result.stdout
    assert "make serve" in result.stdout and "sirkbok check" in result.stdout

    text = chapter.read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---")[1])
    assert meta["title"] == "Ombruk av tekstiler på Hadeland"
    assert meta["region"] == REGION and meta["theme"] == "tekstiler"
    assert meta["authors"] == ["Kari Nordmann", "Ola Nordmann"]
    assert meta["status"] == "utkast" and meta["date"]
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Sammendrag",
        "## Bakgrunn",
        "## Status",
        "## Aktører",
        "## Neste steg",
        "## Kilder",
    ]
    assert "# Ombruk av tekstiler på Hadeland" in text

    # after the region's municipality pages (chapters/kommuner/…), which come first
    assert toc_sections(repo_copy, REGION) == [
        "chapters/kommuner/3446",
        "chapters/kommuner/3234",
        "chapters/regioner/hadelandsregionen/ombruk-av-tekstiler-pa-hadeland",
    ]
    toc_text = (repo_copy / "_toc.yml").read_text(encoding="utf-8")
    assert toc_text.startswith("# Table of contents.")  # the lead's comment survives
    page = (repo_copy / "chapters/regioner/hadelandsregionen/index.md").read_text(encoding="utf-8")
    assert "{doc}`Ombruk av tekstiler på Hadeland <ombruk-av-tekstiler-pa-hadeland>`" in page
    assert "av Kari Nordmann og Ola Nordmann" in page

    second = sirkbok(
        "new-chapter",
        "--region",
        REGION,
        "--theme",
        "bioenergi",
        "--title",
        "Flis på Hadeland",
        "--format",
        "ipynb",
        root=repo_copy,
    )
    assert second.returncode == 0, second.stderr
    assert toc_sections(repo_copy, REGION)[-1] == f"chapters/regioner/{REGION}/flis-pa-hadeland"
    notebook = json.loads(
        (repo_copy / "chapters/regioner/hadelandsregionen/flis-pa-hadeland.ipynb").read_text(
            encoding="utf-8"
        )
    )
    assert notebook["metadata"]["sirkbok"]["region"] == REGION
    assert notebook["metadata"]["sirkbok"]["tables"] == ["kommuner"]
    assert "".join(notebook["cells"][0]["source"]).startswith("# Flis på Hadeland")
    assert "authors" in second.stdout  # reminds the writer to add their name


def refuse(root: Path, *args: str) -> str:
    before = snapshot(root)
    result = sirkbok("new-chapter", *args, root=root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(root) == before, "en avvist kommando endret filer"
    return result.stderr


def test_unknown_region_and_theme_are_named_with_the_allowed_ones(repo_copy: Path) -> None:
    message = refuse(repo_copy, "--region", "hadeland", "--theme", "tekstil", "--title", "Noe nytt")
    assert "Ukjent region" in message and "«hadeland»" in message
    assert "gjovikregionen, hadelandsregionen, ringeriksregionen" in message
    assert "Ukjent tema" in message and "«tekstil»" in message and "tekstiler" in message


def test_a_title_already_in_the_book_is_refused(repo_copy: Path) -> None:
    message = refuse(repo_copy, "--region", REGION, "--theme", "tekstiler", "--title", "bakgrunn")
    assert "chapters/strategi/bakgrunn.md" in message and "allerede" in message


def test_an_existing_file_is_refused(repo_copy: Path) -> None:
    stray = repo_copy / "chapters/regioner/hadelandsregionen/biogass-pa-hadeland.md"
    stray.write_text("# Et annet kapittel\n", encoding="utf-8")
    message = refuse(
        repo_copy, "--region", REGION, "--theme", "biogass", "--title", "Biogass på Hadeland"
    )
    assert "biogass-pa-hadeland.md" in message and "finnes allerede" in message


def test_a_toc_without_the_region_page_is_refused(repo_copy: Path) -> None:
    toc = repo_copy / "_toc.yml"
    toc.write_text(
        toc.read_text(encoding="utf-8").replace(
            "      - file: chapters/regioner/hadelandsregionen/index\n", ""
        ),
        encoding="utf-8",
    )
    message = refuse(repo_copy, "--region", REGION, "--theme", "biogass", "--title", "Gass")
    assert "_toc.yml" in message and "chapters/regioner/hadelandsregionen/index" in message


TOC = """\
# comment kept
format: jb-book
root: chapters/forside
parts:
  - caption: Regionene  # inline comment kept
    chapters:
      - file: chapters/regioner/gjovikregionen/index
      - file: chapters/regioner/hadelandsregionen/index
        title: Hadeland
      - file: chapters/regioner/ringeriksregionen/index
        sections:
          - file: chapters/regioner/ringeriksregionen/a
          # a comment inside the list
          - file: chapters/regioner/ringeriksregionen/b
        numbered: true
  - caption: Oppslag
    chapters:
      - file: chapters/kilder
"""


def test_toc_insertion_keeps_comments_and_lands_under_the_region() -> None:
    new = register_in_toc(TOC, "hadelandsregionen", "chapters/regioner/hadelandsregionen/x")
    added = "        sections:\n          - file: chapters/regioner/hadelandsregionen/x\n"
    assert new.replace(added, "") == TOC
    assert "# comment kept" in new and "# inline comment kept" in new
    new = register_in_toc(TOC, "ringeriksregionen", "chapters/regioner/ringeriksregionen/c")
    toc = yaml.safe_load(new)
    entry = toc["parts"][0]["chapters"][2]
    assert [s["file"] for s in entry["sections"]] == [
        "chapters/regioner/ringeriksregionen/a",
        "chapters/regioner/ringeriksregionen/b",
        "chapters/regioner/ringeriksregionen/c",
    ]
    assert entry["numbered"] is True
    last = register_in_toc(TOC, "gjovikregionen", "chapters/regioner/gjovikregionen/y")
    assert yaml.safe_load(last)["parts"][0]["chapters"][0]["sections"] == [
        {"file": "chapters/regioner/gjovikregionen/y"}
    ]


def test_toc_insertion_refuses_what_it_cannot_edit_safely() -> None:
    flow = TOC.replace(
        "        sections:\n          - file: chapters/regioner/ringeriksregionen/a\n"
        "          # a comment inside the list\n"
        "          - file: chapters/regioner/ringeriksregionen/b\n",
        "        sections: [{file: chapters/regioner/ringeriksregionen/a}]\n",
    )
    with pytest.raises(UserError, match="sections"):
        register_in_toc(flow, "ringeriksregionen", "chapters/regioner/ringeriksregionen/c")
    with pytest.raises(UserError, match="Fant ikke regionsiden"):
        register_in_toc(TOC, "oslo", "chapters/regioner/oslo/c")
