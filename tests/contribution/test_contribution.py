"""`sirkbok contribution` on recorded issue events, always against a throw-away clone of the book:
a valid number becomes a branch whose data validates and whose figures are regenerated, with a pull
request text holding the before/after table; every refused submission gets a Norwegian reply and
changes nothing; a chapter arrives as Markdown that passes `sirkbok check`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import git, sirkbok, state
from sirkbok.book import check
from sirkbok.contribution import bot
from sirkbok.datapackage.validate import validate_package

EVENTS = Path(__file__).resolve().parents[1] / "fixtures" / "contribution"
TODAY = dt.date(2026, 12, 7)


def event(name: str) -> dict:
    return json.loads((EVENTS / f"{name}.json").read_text(encoding="utf-8"))


def with_field(label: str, value: str) -> dict:
    """The valid number with one field's value replaced."""
    found = event("tall-gyldig")
    body = found["issue"]["body"]
    start = body.index(f"### {label}\n\n") + len(f"### {label}\n\n")
    end = body.find("\n\n###", start)
    found["issue"]["body"] = body[:start] + value + (body[end:] if end != -1 else "\n")
    return found


def test_a_valid_number_becomes_a_checked_branch_with_a_before_after_table(book: Path) -> None:
    outcome = bot.handle(book, event("tall-gyldig"), TODAY)
    assert outcome["status"] == "pr", outcome.get("reply")
    assert git(book, "rev-parse", "--abbrev-ref", "HEAD").strip() == "bidrag/101"
    assert git(book, "status", "--porcelain") == ""
    assert validate_package(book / "data").problems == []
    rows = (book / "data/ressursstrommer.csv").read_text(encoding="utf-8")
    row = next(line for line in rows.splitlines() if line.startswith("matavfall-3446,"))
    assert ",1234.5,t/år,2024,bidrag-101,målt," in row
    sources = (book / "data/kilder.csv").read_text(encoding="utf-8")
    assert "bidrag-101,online,Testkilde for roboten (ikke et ekte tall),Testutgiveren," in sources
    files = outcome["files"]
    assert "chapters/kommuner/3446.ipynb" in files
    assert any(f.startswith("chapters/") and f.endswith(".svg") for f in files)  # figures
    text = outcome["pull_request"]
    assert "#101" in text and "| Tall | Side | Før | Etter |" in text
    [share] = [line for line in text.splitlines() if "Andel som mangler, Hadelandsregionen" in line]
    assert share.endswith("| 62\u00a0% | 54\u00a0% |"), share
    assert "chapters/kommuner/3446.html" in text
    calls = [(c["method"], c["path"]) for c in outcome["calls"]]
    assert ("POST", "/repos/plassholder/sirkbok/pulls") in calls
    page = (book / "chapters/kommuner/3446.ipynb").read_text(encoding="utf-8")
    assert "Matavfall fra husholdningene%20%28t%2F%C3%A5r%29" not in page  # no longer missing


REFUSED = {
    "tall-ugyldig-verdi": ("Verdi", "Verdien er ikke et tall"),
    "tall-ukjent-kommune": ("Kommune", "Ukjent kommune"),
    "tall-uten-kilde": ("Kildens tittel", "Kilden mangler"),
    "tall-markup": ("Merknad", "formatering eller kode"),
    "tall-skall": ("Kildens tittel", "kommando eller en filsti"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_refused_number_gets_a_norwegian_reply_and_changes_nothing(book: Path, name: str) -> None:
    before = state(book)
    result = sirkbok("contribution", "--dry-run", str(EVENTS / f"{name}.json"), root=book)
    assert result.returncode == 1, result.stderr
    outcome = json.loads(result.stdout)
    label, message = REFUSED[name]
    assert outcome["status"] == "svar" and outcome["dry_run"] is True
    assert f"**{label}:**" in outcome["reply"] and message in outcome["reply"]
    assert "Ingenting i boka er endret" in outcome["reply"]
    assert outcome["calls"] == [
        {
            "method": "POST",
            "path": f"/repos/plassholder/sirkbok/issues/{outcome['issue']}/comments",
            "body": {"body": outcome["reply"]},
        }
    ]
    assert state(book) == before


HOSTILE = ["$(touch /tmp/x)", "`id`", "a; rm -rf ~", "<script>alert(1)</script>", "{cite}`x`",
           "../../etc/passwd", "file:///etc/passwd", "x | sh", "[lenke](javascript:alert(1))"]  # fmt: skip
FIELDS = ["Kommune", "Størrelse", "Verdi", "Enhet", "År", "Kildens tittel", "Kildens adresse",
          "Kildegrad", "Merknad"]  # fmt: skip


@pytest.mark.parametrize("label", FIELDS)
def test_markup_or_shell_syntax_in_any_field_is_refused(book: Path, label: str) -> None:
    before = state(book)
    for value in HOSTILE:
        outcome = bot.handle(book, with_field(label, value), TODAY)
        assert outcome["status"] == "svar", (label, value)
        assert f"**{label}:**" in outcome["reply"], (label, value, outcome["reply"])
        if any(c in value for c in "<`[{$|~"):  # quoted as escaped text, never as markup
            assert value not in outcome["reply"], (label, value)
    assert state(book) == before


def test_a_chapter_arrives_as_markdown_that_passes_check(book: Path) -> None:
    outcome = bot.handle(book, event("kapittel-gyldig"), TODAY)
    assert outcome["status"] == "pr", outcome.get("reply")
    chapter = [f for f in outcome["files"] if f.endswith(".md") and "index" not in f]
    assert chapter == [
        "chapters/regioner/hadelandsregionen/innsamling-av-tekstiler-pa-hadeland-et-testkapittel.md"
    ]
    text = (book / chapter[0]).read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: ") and "Kari Testesen" in text
    assert "- Et kapittel sendt inn fra skjemaet" in text and "## Kilder" in text
    assert "- Eksempelkilde, Utgiver, 2024, https://example.org" in text
    assert check.check_book(book, figures=False) == []
    assert git(book, "rev-parse", "--abbrev-ref", "HEAD").strip() == "bidrag/201"


def test_a_chapter_with_html_or_an_include_is_refused(book: Path) -> None:
    before = state(book)
    outcome = bot.handle(book, event("kapittel-html"), TODAY)
    assert outcome["status"] == "svar"
    assert "HTML" in outcome["reply"] and "include" in outcome["reply"]
    assert state(book) == before


def test_an_issue_from_no_form_is_left_alone(book: Path) -> None:
    other = event("tall-gyldig")
    other["issue"]["labels"] = [{"name": "spørsmål"}]
    assert bot.handle(book, other, TODAY) == {"status": "ignorert", "calls": []}


@pytest.mark.parametrize("payload", [b"\xff\xfe", b"[]", b'{"issue": 1}', b"{" * 10])
def test_a_broken_event_is_a_clear_error(book: Path, tmp_path: Path, payload: bytes) -> None:
    path = tmp_path / "hendelse.json"
    path.write_bytes(payload)
    result = sirkbok("contribution", "--dry-run", str(path), root=book)
    assert result.returncode == 1 and result.stderr.startswith("feil: ")
    assert "Traceback" not in result.stderr
