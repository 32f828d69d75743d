"""The publisher block: one place for the editors' name, e-mail, site and repository, read by every
generated file; placeholders are named and refuse publishing; the issue forms follow the data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import sirkbok
from sirkbok.book import forms
from sirkbok.core import publisher
from sirkbok.core.errors import UserError

LINTER = Path(sys.executable).with_name("check-jsonschema")
REAL = {
    "redaksjonen@plassholder.invalid": "post@kunnskapsbase.example.no",
    "https://plassholder.invalid/sirkbok/": "https://kunnskapsbase.example.no/sirkbok/",
    "https://github.com/plassholder/sirkbok": "https://github.com/regionene/sirkbok",
}


def test_the_placeholders_are_named_with_where_they_are_set(repo_root: Path) -> None:
    problems = publisher.placeholder_problems(repo_root)
    assert [p.column for p in problems] == [
        "publisher.epost",
        "publisher.nettsted",
        "publisher.repo",
    ]
    assert all(p.file == "_config.yml" and "plassholder" in str(p) for p in problems)


def test_check_publish_refuses_placeholders_and_passes_real_addresses(repo_copy: Path) -> None:
    refused = sirkbok("check", "--publish", "--skip-figures", root=repo_copy)
    assert refused.returncode == 1
    for key in ("publisher.epost", "publisher.nettsted", "publisher.repo"):
        assert key in refused.stderr
    config = repo_copy / "_config.yml"
    text = config.read_text(encoding="utf-8")
    for old, new in REAL.items():
        text = text.replace(old, new)
    config.write_text(text, encoding="utf-8")
    assert publisher.placeholder_problems(repo_copy) == []
    # The generated files are stale until `sirkbok forms` rewrites them from the new block.
    assert {p.file for p in forms.stale(repo_copy)} >= {"CITATION.cff", ".github/CODEOWNERS"}
    assert sirkbok("forms", root=repo_copy).returncode == 0
    assert forms.stale(repo_copy) == []
    citation = yaml.safe_load((repo_copy / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["url"] == "https://kunnskapsbase.example.no/sirkbok/"
    assert citation["repository-code"] == "https://github.com/regionene/sirkbok"
    assert citation["contact"][0]["email"] == "post@kunnskapsbase.example.no"
    owners = (repo_copy / ".github/CODEOWNERS").read_text(encoding="utf-8")
    assert "@regionene/redaksjon" in owners and "@plassholder/" not in owners


@pytest.mark.parametrize(
    "value",
    ['"<a href=x>@b.no"', '"javascript:alert(1)"', '"post@b.no\\nsteg: x"', "[1, 2]"],
)
def test_a_malformed_value_is_refused_with_its_key(repo_copy: Path, value: str) -> None:
    config = repo_copy / "_config.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('"redaksjonen@plassholder.invalid"', value), encoding="utf-8")
    with pytest.raises(UserError) as error:
        publisher.read(repo_copy)
    assert error.value.problems[0].column == "publisher.epost"


def test_the_generated_files_are_up_to_date(repo_root: Path) -> None:
    assert forms.stale(repo_root) == [], "kjør `sirkbok forms`"


def test_a_renamed_municipality_makes_the_number_form_stale(repo_copy: Path) -> None:
    table = repo_copy / "data/kommuner.csv"
    table.write_text(table.read_text(encoding="utf-8").replace(",Gran,", ",Grann,"), "utf-8")
    assert [p.file for p in forms.stale(repo_copy)] == [".github/ISSUE_TEMPLATE/send-inn-tall.yml"]


def test_the_issue_forms_pass_githubs_schema(repo_root: Path) -> None:
    files = sorted((repo_root / ".github/ISSUE_TEMPLATE").glob("*.yml"))
    files = [f for f in files if f.name != "config.yml"]
    assert {f.name for f in files} == {"send-inn-tall.yml", "foreslaa-kapittel.yml", "feil.yml"}
    result = subprocess.run(
        [str(LINTER), "--builtin-schema", "vendor.github-issue-forms", *map(str, files)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_number_form_has_the_ids_the_links_and_the_bot_use(repo_root: Path) -> None:
    form = yaml.safe_load(
        (repo_root / ".github/ISSUE_TEMPLATE/send-inn-tall.yml").read_text(encoding="utf-8")
    )
    ids = [item["id"] for item in form["body"] if "id" in item]
    assert ids == [
        "kommune", "storrelse", "verdi", "enhet", "aar",
        "kilde_tittel", "kilde_url", "kildegrad", "merknad",
    ]  # fmt: skip
    chapter = yaml.safe_load(
        (repo_root / ".github/ISSUE_TEMPLATE/foreslaa-kapittel.yml").read_text(encoding="utf-8")
    )
    assert [i["id"] for i in chapter["body"] if "id" in i] == [
        "region", "tema", "tittel", "forfatter", "tekst", "kilder",
    ]  # fmt: skip
