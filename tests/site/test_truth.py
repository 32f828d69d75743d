"""True on the day it is read (issue 22): dated events worded from the book's date, generated
sentences for every case (none, one, some, all missing), and sources a reader can find again."""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT
from sirkbok.core import format as fmt
from sirkbok.datapackage import load as data
from sirkbok.pages import municipality, strategy
from sirkbok.reader import decisions
from sirkbok.themes import parameters as params
from sirkbok.themes.tekstiler import figures as tekstil_figures
from sirkbok.themes.tekstiler import model as tekstiler

MEETING = date(2026, 4, 29)
BEFORE, AFTER = date(2026, 3, 25), date(2026, 11, 30)


def _set_book_date(root: Path, day: date) -> None:
    """The data package of the throw-away book says its knowledge is as of `day`."""
    path = root / "data" / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    package["sist_oppdatert"] = day.isoformat()
    path.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _blank_population(root: Path, numbers: set[str]) -> None:
    """Only the municipalities in `numbers` lack a population in the throw-away book: the others get
    one (the real one, or a stand-in of 1 000 where the data package has none, so that every case
    can be set up; the stand-in never leaves this copy)."""
    path = root / "data" / "kommuner.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        if row["kommunenummer"] in numbers:
            row.update(folketall="", folketall_dato="", folketall_kilde="")
            row.update(status="målt" if row["areal_km2"] else "mangler")
        elif not row["folketall"]:
            row.update(folketall="1000", folketall_dato="2025-01-01", folketall_kilde="ssb-07459")
            row.update(status="målt")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# --- time-aware wording ----------------------------------------------------------------------------


def _say(when: date | pd.Timestamp, as_of: date, known: bool = False) -> str:
    return fmt.dated(
        when,
        as_of,
        known=known,
        planned="Møtet holdes {dato}.",
        happened="Møtet ble holdt {dato}.",
        unknown="Møtet skulle holdes {dato}; om det ble holdt, er ikke kjent per {per}.",
    )


def test_a_dated_event_is_worded_from_the_book_date() -> None:
    assert _say(MEETING, BEFORE) == "Møtet holdes 29. april 2026."
    assert _say(MEETING, AFTER, known=True) == "Møtet ble holdt 29. april 2026."
    assert _say(pd.Timestamp(MEETING), AFTER) == (
        "Møtet skulle holdes 29. april 2026; om det ble holdt, er ikke kjent per 30. november 2026."
    )
    # on the day itself the event is no longer planned
    assert "skulle" in _say(MEETING, MEETING)


@pytest.mark.parametrize(
    ("day", "present", "absent"),
    [
        (BEFORE, ["skal forslaget legges fram", "29. april 2026"], ["skulle", "ble holdt"]),
        (
            AFTER,
            [
                "skulle forslaget legges fram",
                "om møtet ble holdt",
                "er ikke kjent per 30. november",
            ],
            ["skal forslaget"],
        ),
    ],
)
def test_the_joint_meeting_reads_right_before_and_after_it(
    data_book: Path, day: date, present: list[str], absent: list[str]
) -> None:
    _set_book_date(data_book, day)
    assert data.last_updated() == day
    sentence = decisions.joint_meeting()
    for words in present:
        assert words in sentence
    for words in absent:
        assert words not in sentence


def test_the_timeline_marks_the_book_date_and_the_next_milestone(
    data_book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the figure's files go to ./figurer
    milestones = data.load("milepaeler")
    before = strategy.timeline(milestones, as_of=BEFORE)
    assert "Per 25. mars 2026 (bokas dato). Neste milepæl: Felles IPR-møte på Follum" in (
        before.alt_text
    )
    after = strategy.timeline(milestones, as_of=AFTER)
    assert "Per 30. november 2026 (bokas dato). Neste milepæl: Fase 2" in after.alt_text
    last = strategy.timeline(milestones, as_of=date(2029, 1, 1))
    assert "Ingen milepæl er datert senere" in last.alt_text
    # legend words and colours: exactly the statuses the data holds, in the data's own words
    colours = [
        layer["encoding"]["color"]["scale"]
        for layer in after.spec["layer"]
        if "color" in layer.get("encoding", {}) and "scale" in layer["encoding"]["color"]
    ]
    legend = colours[0]["domain"]
    assert colours[0]["range"] == [decisions.COLOURS[word] for word in legend]
    held = {str(s) for s in milestones["status"]}
    assert {word.lower() for word in legend} == held
    assert "ukjent" in held and "vedtatt" not in set(
        milestones.loc[milestones["id"] == "fellesmote-follum-2026", "status"]
    )


def test_phases_read_as_the_case_document_writes_them() -> None:
    assert decisions.period("fase-1") == "medio 2026–medio 2027"
    assert decisions.period("fase-2") == "medio 2027–2028"
    assert "(medio 2026–medio 2027)" in decisions.responsibility("biogass").data


# --- generated sentences for every case -----------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "total", "expected"),
    [
        ([], 12, "Folketallet er kjent for alle kommunene."),
        (["Modum"], 12, "Folketallet mangler for Modum."),
        (["Modum", "Hole"], 12, "Folketallet mangler for Modum og Hole."),
        (["A", "B", "C"], 3, "Folketallet mangler for alle kommunene."),
    ],
)
def test_missing_for_every_case(names: list[str], total: int, expected: str) -> None:
    assert fmt.missing_for("Folketallet", names, total) == expected


RINGERIKS = {"3305", "3310", "3236", "3318", "3316"}
CASES = {"ingen": set(), "én": {"3316"}, "noen": {"3316", "3310"}, "alle": RINGERIKS}


@pytest.mark.parametrize("case", list(CASES))
def test_municipality_page_reads_right_for_every_case(data_book: Path, case: str) -> None:
    """Hole's page when none, one, some or all of Ringeriksregionen lack a population."""
    _blank_population(data_book, CASES[case])
    page = municipality.page("3305")  # Ringerike: has a population unless all are blanked
    text = "\n".join(
        [
            municipality.facts_markdown(page),
            municipality.roles_markdown(page),
            municipality.shares_markdown(page),
            municipality.other_themes_markdown(page),
            municipality.actors_markdown(page),
        ]
    )
    assert "mangler for ingen" not in text and "uten ," not in text and "(uten )" not in text
    assert "sammen med ." not in text and "nan" not in text.split()
    assert "medio 2026–medio 2027" in text
    assert "tar imot matavfall og tekstiler" not in text
    assert "håndterer husholdningsavfallet fra kommunen" in text
    if case == "ingen":
        assert "av kommunene med kjent folketall" not in text
    elif case == "alle":
        assert "mangler for hele Ringeriksregionen" in text
        assert "Folketallet i Ringerike mangler" in text
    else:
        assert "som mangler folketall" in text and "av kommunene med kjent folketall" in text
        if case == "noen":
            assert "uten Hole og Modum, som mangler folketall" in text


@pytest.mark.parametrize("case", ["ingen", "noen", "alle"])
def test_textile_chart_description_for_every_case(
    data_book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    numbers = {"ingen": set(), "noen": {"3316", "3310"}, "alle": set()}[case]
    kommuner_all = {str(n) for n in data.load("kommuner")["kommunenummer"]}
    _blank_population(data_book, kommuner_all if case == "alle" else numbers)
    monkeypatch.chdir(tmp_path)
    kommuner = data.load("kommuner")
    volumes = tekstiler.volumes_with(kommuner, params.defaults("tekstiler"))
    names = data.load("regioner").set_index("id")["kortnavn"].to_dict()
    rows = volumes.assign(regionnavn=volumes["region"].map(names))
    alt_text = tekstil_figures.municipalities(rows, names).alt_text
    assert "mangler for ingen" not in alt_text and "Folketallet mangler for ," not in alt_text
    expected = {
        "ingen": "Folketallet er kjent for alle kommunene.",
        "noen": "Folketallet mangler for Hole og Modum.",
        "alle": "Folketallet mangler for alle kommunene.",
    }[case]
    assert expected in alt_text
    assert ("Størst er" in alt_text) is (case != "alle")


# --- every source findable ------------------------------------------------------------------------

READ = re.compile(r"(senest )?(\d{4}-\d{2}-\d{2})|ukjent")


def test_every_source_has_an_address_or_full_reference_and_a_read_date() -> None:
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    kilder = next(r for r in package["resources"] if r["name"] == "kilder")
    pending = set(next(c for c in kilder["checks"] if c["type"] == "reference").get("pending", []))
    assert not pending  # issue 22: the «pending» list is empty
    fields = {f["name"]: f for f in kilder["schema"]["fields"]}
    assert fields["lest"]["constraints"]["required"] is True
    book_date = data.last_updated()
    for row in csv.DictReader((ROOT / "data" / "kilder.csv").open(encoding="utf-8")):
        read = READ.fullmatch(row["lest"])
        assert read and read[2], row["id"]  # every source has a date, at least an upper bound
        assert date(2024, 1, 1) <= date.fromisoformat(read[2]) <= date.today(), row["id"]
        printed = row["tittel"] and (row["utgiver"] or row["forfatter"]) and row["aar"]
        printed = printed and row["sider"]
        if row["id"] not in pending:
            assert row["url"].startswith(("http://", "https://")) or printed, row["id"]
        else:  # a pending source is only pending while it lacks both
            assert not row["url"], row["id"]
    assert book_date  # the read dates and the book's date are told apart, not mixed


def test_encyclopaedia_values_only_from_norwegian_or_english_editions() -> None:
    """No population or area comes from a Wikipedia edition other than Norwegian or English (issue
    22); where none was found (Jevnaker, Krødsherad, Modum) the value is empty and says
    which SSB table fills it, and Lunner's population comes from SNL."""
    kilder = {r["id"]: r for r in csv.DictReader((ROOT / "data/kilder.csv").open(encoding="utf-8"))}
    kommuner = data.load("kommuner").set_index("kommunenummer")
    assert kommuner.loc["3234", "folketall_kilde"] == "snl-lunner"
    assert kilder["snl-lunner"]["url"] == "https://snl.no/Lunner"
    cited = set(kommuner["folketall_kilde"].dropna()) | set(kommuner["areal_kilde"].dropna())
    for key in cited:
        url = kilder[key]["url"]
        if "wikipedia.org" in url:
            assert re.match(r"https://(no|nn|en)(\.m)?\.wikipedia\.org/", url), key
        assert not re.search(r"\((finsk|tysk|dansk|italiensk|svensk)", kilder[key]["tittel"]), key
    for number in ("3236", "3318", "3316"):
        assert pd.isna(kommuner.loc[number, "folketall"]), number
        assert "07459" in kommuner.loc[number, "fylles_fra"], number
    assert set(kommuner.loc[["3236", "3318", "3316"], "status"]) == {"mangler"}
