"""Chapter prose lives in Markdown cells; computed numbers and phrases enter through `glue`.

The chapters' own rules (at most ten `Markdown(…)` calls, each justified; every theme chapter
glues; only `{glue:text}` of text values; a parameter's note sits after its factor's citation),
the glue helper's refusals, a real myst-nb build that shows hostile glued text as typed, and every
case of the phrases the chapters glue.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from sirkbok.datapackage import load as data
from sirkbok.pages import coverage
from sirkbok.reader import decisions, prose
from sirkbok.themes import parameters as params
from sirkbok.themes.bioenergi import model as bioenergi
from sirkbok.themes.naeringsparker import model as naeringsparker
from sirkbok.themes.ombrukssentre import model as ombrukssentre
from sirkbok.themes.tekstiler import model as tekstiler

CHAPTERS = Path(__file__).resolve().parents[2] / "chapters"
THEMES = sorted((CHAPTERS / "tema").glob("*.ipynb"))
ROLE = re.compile(r"\{glue(?::(\w+))?\}`([^`]*)`")
NOTE = re.compile(r"\{cite\}`([^`]+)`\{glue:text\}`kilde-([a-z0-9-]+)`")
CALL = re.compile(r"\bMarkdown\(")


def notebooks() -> list[Path]:
    """The chapter notebooks, without the generated municipality pages."""
    return [p for p in sorted(CHAPTERS.rglob("*.ipynb")) if "kommuner" not in p.parts]


def cells(path: Path, kind: str) -> list[dict]:
    return [
        c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == kind
    ]


def glued_plain(path: Path) -> dict[str, str]:
    """Each glued value's text/plain as stored (a string's repr keeps its quotes)."""
    found = {}
    for cell in cells(path, "code"):
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get("scrapbook")
            if record:
                plain = output["data"][record["mime_prefix"] + "text/plain"]
                found[record["name"]] = "".join(plain)
    return found


# --- the chapters ---------------------------------------------------------------------------------


def test_at_most_ten_markdown_calls_each_justified() -> None:
    calls: dict[str, int] = {}
    for path in notebooks():
        for cell in cells(path, "code"):
            source = "".join(cell["source"])
            if CALL.search(source):
                calls[path.name] = calls.get(path.name, 0) + len(CALL.findall(source))
                assert source.startswith("# Kept as Markdown:"), f"{path.name}: {source[:80]}"
    assert sum(calls.values()) <= 10, calls


@pytest.mark.parametrize("path", THEMES, ids=lambda p: p.stem)
def test_theme_text_is_in_markdown_and_pastes_only_glued_text(path: Path) -> None:
    text = "\n".join("".join(c["source"]) for c in cells(path, "markdown"))
    code = "\n".join("".join(c["source"]) for c in cells(path, "code"))
    roles = ROLE.findall(text)
    assert roles, f"{path.name} has no glued value in its Markdown cells"
    assert not CALL.search(code), f"{path.name} writes Markdown in code"
    glued = glued_plain(path)
    for kind, name in roles:
        assert kind == "text", f"{path.name}: {{glue:{kind}}}`{name}` pastes more than text"
        assert name in glued, f"{path.name}: {name} is never glued"
        assert glued[name][:1] in "'\"", f"{path.name}: {name} is not text: {glued[name]}"


@pytest.mark.parametrize("path", THEMES, ids=lambda p: p.stem)
def test_a_parameter_note_follows_its_factors_citation(path: Path) -> None:
    text = "\n".join("".join(c["source"]) for c in cells(path, "markdown"))
    for key, name in NOTE.findall(text):
        spec = next(p for p in params.specs(path.stem) if p.name == name.replace("-", "_"))
        assert spec.factor is not None, f"{name} has no source to cite"
        assert data.factor(spec.factor).source == key, f"{path.name}: {name} cites {key}"


# --- the helper and the page ----------------------------------------------------------------------


def test_glue_takes_only_text_under_a_name_that_is_no_headline() -> None:
    with pytest.raises(TypeError, match="format float"):
        prose.glue({"matavfall-t": 6174.5})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="glue name"):
        prose.glue({"biogass_matavfall": "6 200"})  # would be read as a headline result


HOSTILE = "{cite}`x` <script>alert(1)</script> **fet** [lenke](javascript:alert(1)) {{ x }}"


def test_hostile_glued_text_reaches_the_page_as_typed(tmp_path: Path) -> None:
    """A real myst-nb build, with the notebook executed by a real kernel."""
    (tmp_path / "conf.py").write_text(
        'extensions = ["myst_nb"]\nnb_execution_mode = "force"\nexclude_patterns = ["_build"]\n',
        encoding="utf-8",
    )
    notebook = {
        "cells": [
            {
                "cell_type": "markdown",
                "metadata": {},
                "source": "# Side\n\nFør {glue:text}`boes` etter.",
            },
            {
                "cell_type": "code",
                "execution_count": None,
                "metadata": {},
                "outputs": [],
                "source": f"from sirkbok.reader import prose\nprose.glue({{'boes': {HOSTILE!r}}})",
            },
        ],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (tmp_path / "index.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-q",
            str(tmp_path),
            str(tmp_path / "_build"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "_build" / "index.html").read_text(encoding="utf-8")
    shown = re.search(r"Før (.*?) etter", page, re.S)
    assert shown, page
    assert shown.group(1) == (
        '<span class="pasted-text">{cite}`x` &lt;script&gt;alert(1)&lt;/script&gt; **fet** '
        "[lenke](javascript:alert(1)) {{ x }}</span>"
    )
    assert "<script>alert" not in page and "<strong>fet" not in page
    assert 'href="javascript' not in page


# --- every case of the glued phrases --------------------------------------------------------------


@pytest.mark.parametrize(
    ("companies", "expected"),
    [
        (["HRA"], "har samme avfallsselskap (HRA)."),
        (["HRA", "Hallingdal"], "har ulike avfallsselskaper (HRA og Hallingdal). Saksframlegget"),
    ],
)
def test_leaders_companies(companies: list[str], expected: str) -> None:
    said = tekstiler.leaders_companies(companies)
    assert said.startswith(expected)
    assert ("kjenner to av" in said) == (len(companies) == 2)


def test_params_note_for_every_case() -> None:
    cited, assumed = "metanutbytte", "utsorteringsfaktor"
    assert params.note("biogass", cited, params.default("biogass", cited)) == ""
    assert params.note("biogass", cited, 90) == " (endret parameter i denne kjøringen)"
    assert params.note("biogass", assumed, 1) == "(antakelse, se «Forutsetninger og kilder»)"
    assert params.note("biogass", assumed, 1.5) == "(endret parameter i denne kjøringen)"


def test_incomplete_and_estimated_for_every_case() -> None:
    assert prose.incomplete("") == "" and prose.incomplete("", total=True) == ""
    assert prose.incomplete("Modum") == " (ufullstendig: Modum mangler folketall)"
    assert prose.incomplete("Modum, Hole", total=True).startswith(
        " Summen er ufullstendig: Modum, Hole mangler folketall"
    )
    row = pd.Series({"status": "estimat", "merknad": "Estimat: sum av to linjer, som HRA oppgir"})
    assert prose.estimated(row) == " (estimat: sum av to linjer, som HRA oppgir)"
    assert prose.estimated(pd.Series({"status": "målt", "merknad": "x"})) == ""


def grid(missing: dict[str, int], municipalities: int = 3) -> pd.DataFrame:
    rows = [
        {"ressurs": flow, "kommune": f"K{i}", "status": "mangler", "fylles_fra": "SSB"}
        for flow, n in missing.items()
        for i in range(n)
    ]
    rows.append({"ressurs": "Varme", "kommune": "K0", "status": "målt", "fylles_fra": ""})
    return pd.DataFrame(rows)


def test_bioenergy_gaps_upper_bound_and_leader() -> None:
    gaps = bioenergi.gaps(grid({"Rundvirke": 3, "Bark": 1}), 3)
    assert list(gaps["Mangler for"]) == ["alle 3 kommuner", "K0"]
    assert bioenergi.gaps(grid({}), 3).empty
    assert set(bioenergi.upper_bound(0.7).values()) != {""}
    assert set(bioenergi.upper_bound(0.5).values()) == {""}
    assert bioenergi.leader_without_actors(pd.DataFrame({"region": ["hadelandsregionen"]})) == ""
    assert "ingen bioenergiaktører" in bioenergi.leader_without_actors(
        pd.DataFrame({"region": ["gjovikregionen"]})
    )


def figures(missing: dict[str, int]) -> pd.DataFrame:
    rows = []
    for park, lacking in missing.items():
        for i, what in enumerate(naeringsparker.KEY_FIGURES.values()):
            rows.append({"park": park, "hva": what, "status": "mangler" if i < lacking else "målt"})
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("missing", "expected"),
    [
        ({"A": 0, "B": 0}, ""),
        ({"A": 4, "B": 0}, "Ingen tall er funnet for A."),
        ({"A": 1, "B": 0}, "Det mangler bedrifter for A."),
        ({"A": 4, "B": 2}, "Ingen tall er funnet for A. Ellers mangler bedrifter, ansatte for B."),
    ],
)
def test_missing_park_figures_for_every_case(missing: dict[str, int], expected: str) -> None:
    assert naeringsparker.missing_figures(figures(missing)) == expected


@pytest.mark.parametrize(
    ("statuses", "unmatched", "found", "quantities"),
    [
        ([], [], "0 mulige utvekslinger", ""),
        (["mangler"], ["S"], "én mulig utveksling", "Mengden mangler for den, så den kan ikke"),
        (["mangler", "mangler"], [], "2 mulige utvekslinger", "Mengden mangler for alle"),
        (["mangler", "målt"], ["S", "T"], "2 mulige utvekslinger", "Mengden mangler for 1 av dem."),
        (["målt", "målt"], [], "2 mulige utvekslinger", "Mengden er registrert for alle."),
    ],
)
def test_exchange_phrases_for_every_case(
    statuses: list[str], unmatched: list[str], found: str, quantities: str
) -> None:
    said = naeringsparker.exchange_phrases(pd.DataFrame({"status": statuses}), unmatched)
    assert said["utvekslinger"] == found
    assert said["mengde-mangler"].startswith(quantities)
    alone = said["uten-mottaker"]
    assert alone.startswith(
        {0: "Alle sidestrømmene", 1: "Én sidestrøm", 2: "2 sidestrømmer"}[len(unmatched)]
    )


def test_scenario_b_missing_and_known() -> None:
    empty = pd.Series({"tonn": float("nan")})
    assert ombrukssentre.scenario_b(empty, empty, 0, "(antakelse)", "Ringeriksregionen").startswith(
        "mangler."
    )
    known = pd.Series(
        {"tonn": 300.0, "omsetning_mill_kr": 12.0, "klima_lav": 150.0, "klima_hoy": 210.0}
    )
    said = ombrukssentre.scenario_b(
        known, known, 100_000, "(endret parameter)", "Ringeriksregionen"
    )
    assert said.startswith("estimat. Med et befolkningsgrunnlag for Resirkula på 100\u202f000")
    assert "mangler" not in said


def test_coverage_empty_for_every_case() -> None:
    counts = pd.DataFrame(
        {
            "gruppe": ["R1", "R1", "R2"],
            "temanavn": ["Biogass", "Bioenergi", "Biogass"],
            "i_alt": [3, 0, 2],
            "andel_mangler": [1.0, float("nan"), 0.5],
        }
    )
    assert coverage.empty(counts) == (
        "Alle verdiene mangler for biogass i R1. Ingen verdier er registrert for bioenergi i R1."
    )
    assert coverage.empty(counts.iloc[[2]]) == ""


def test_next_milestone_before_and_after_the_last() -> None:
    milestones = data.load("milepaeler")
    assert decisions.next_milestone_text(milestones, pd.Timestamp("2000-01-01").date()).startswith(
        "Neste milepæl etter bokas dato er «"
    )
    assert decisions.next_milestone_text(milestones, pd.Timestamp("2100-01-01").date()) == (
        "Ingen av milepælene er datert etter bokas dato."
    )
