"""The book says only what its sources say: proposals stay proposals, and it speaks for itself."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from sirkbok.datapackage import load as data
from sirkbok.reader import decisions

# Wordings a fact-check found where the case document only proposes or discusses (issue 12).
OVERSTATEMENTS = [
    r"er enige om",
    r"\btar hovedansvaret\b",
    r"\bhar hovedansvaret\b",
    r"bygger sammen",
    r"[Uu]tvalget behandlet",
    r"skal holdes",
    r"Forfatterne er de tre regionene",
    r"Boka skrives av de tre regionene",
    r"Her finner du strategien",
    r"Temaet ble valgt fordi alle",
]


def prose(root: Path) -> dict[str, str]:
    """Every reader-facing text written by hand: Markdown pages and notebook Markdown and code."""
    texts = {}
    for path in sorted((root / "chapters").rglob("*.md")):
        texts[str(path.relative_to(root))] = path.read_text(encoding="utf-8")
    for path in sorted((root / "chapters").rglob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        texts[str(path.relative_to(root))] = "\n".join("".join(c["source"]) for c in cells)
    return texts


@pytest.mark.parametrize("pattern", OVERSTATEMENTS)
def test_no_overstatement_of_the_case_document(repo_root: Path, pattern: str) -> None:
    hits = [name for name, text in prose(repo_root).items() if re.search(pattern, text)]
    assert not hits, f"«{pattern}» står i {hits}"


def test_every_milestone_and_theme_carries_a_decision_status() -> None:
    for table in ("milepaeler", "tema"):
        frame = data.load(table)
        assert set(frame["status"]) <= set(decisions.STATUSES)
        assert frame["status_kilde"].notna().all()
    themes = data.load("tema")
    assert (themes["status"] == "foreslått").all(), "sak 09/26 only proposes the responsibilities"
    partnership = data.load("milepaeler").set_index("id").loc["partnerskapsavtale-bfk"]
    assert partnership["status"] == "foreslått", "no signing of the Buskerud agreement is known"


def test_a_proposal_reads_as_a_proposal_with_the_date_of_knowledge() -> None:
    text = decisions.sentence("foreslått", "sak0926", date(2026, 11, 30))
    assert text == "Status: foreslått {cite}`sak0926`; vedtak ikke kjent per 30. november 2026."
    assert "vedtak ikke kjent" in decisions.responsibility("ombrukssentre").data
    assert "naturlig kandidat" in decisions.responsibility("ombrukssentre").data


def test_citation_file_names_the_same_maintainers_as_the_book(repo_root: Path) -> None:
    config = yaml.safe_load((repo_root / "_config.yml").read_text(encoding="utf-8"))
    citation = yaml.safe_load((repo_root / "CITATION.cff").read_text(encoding="utf-8"))
    assert [a["name"] for a in citation["authors"]] == [config["publisher"]["navn"]]
    assert "Gjøvikregionen" not in config["publisher"]["navn"]


def test_knowledge_date_is_one_valid_date() -> None:
    assert isinstance(data.last_updated(), date)


@pytest.mark.slow
def test_built_book_shows_status_and_date(built_book: Path) -> None:
    front = built_book.joinpath("chapters", "forside.html").read_text(encoding="utf-8")
    assert "uavhengig kunnskapsbase" in front
    assert "Sist oppdatert" in front
    assert "{{" not in front
    timeline = built_book.joinpath("chapters", "strategi", "tidslinje.html").read_text(
        encoding="utf-8"
    )
    assert "Foreslått, vedtak ikke kjent" in timeline
    cite = built_book.joinpath("chapters", "slik-siterer-du.html").read_text(encoding="utf-8")
    assert "Redaksjonen for kunnskapsbasen" in cite
    assert "Forfatterne er de tre regionene" not in cite
