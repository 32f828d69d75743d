"""`sirkbok update ssb`: saved SSB responses fill the data package safely, in a copy of the book.

The responses in tests/fixtures/ssb are fixtures, never data: every test runs on the `book` copy,
and one test proves that no fixture value has reached the repository's data/.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, git, shown_on_pages, sirkbok, state
from sirkbok.pages import headlines
from sirkbok.run import provenance
from sirkbok.update import jsonstat

FIXTURES = ROOT / "tests" / "fixtures" / "ssb"
SAVED = FIXTURES / "lagret"


def fixture(name: str, folder: Path = SAVED) -> dict:
    return json.loads((folder / name).read_text(encoding="utf-8"))


def municipalities(root: Path) -> dict[str, dict[str, str]]:
    with (root / "data" / "kommuner.csv").open(encoding="utf-8", newline="") as handle:
        return {row["kommunenummer"]: row for row in csv.DictReader(handle)}


def responses(tmp_path: Path, **docs: dict) -> Path:
    """A folder of saved responses `<tabell>.json`."""
    folder = tmp_path / "svar"
    folder.mkdir(parents=True)
    for table, doc in docs.items():
        (folder / f"{table}.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return folder


def test_saved_responses_fill_population_and_area_and_a_second_run_changes_no_byte(
    book: Path,
) -> None:
    before = municipalities(book)
    result = sirkbok("update", "ssb", "--from", str(SAVED), root=book)
    assert result.returncode == 0, result.stderr
    after = municipalities(book)
    population = fixture("07459.json")
    area = fixture("09280.json")
    codes = list(population["dimension"]["Region"]["category"]["index"])
    assert len(codes) == 12 and set(codes) == set(after)
    for position, code in enumerate(codes):
        row = after[code]
        assert int(row["folketall"]) == population["value"][position]
        assert row["folketall_dato"] == "2025-01-01"
        assert row["folketall_kilde"] == "ssb-07459"
        assert float(row["areal_km2"]) == area["value"][position]
        assert row["areal_kilde"] == "ssb-09280"
        assert row["status"] == "målt"
        assert row["merknad"] == before[code]["merknad"]
        assert row["fylles_fra"] == "SSB tabell 07459 (folketall) og 09280 (areal)"
    sources = {row["id"]: row for row in csv.DictReader((book / "data/kilder.csv").open())}
    for table in ("07459", "09280"):
        assert sources[f"ssb-{table}"]["kildegrad"] == "H"
        assert sources[f"ssb-{table}"]["utgiver"] == "Statistisk sentralbyrå"
        snapshot = json.loads((book / f"data/snapshots/ssb/{table}/2025.json").read_text())
        origin = snapshot["opphav"]
        assert origin["tabell"] == table
        assert origin["tittel"].startswith(f"{table}: ")
        assert origin["url"].startswith(f"https://data.ssb.no/api/pxwebapi/v2/tables/{table}/data?")
        assert "outputFormat=json-stat2" in origin["url"]
        assert origin["sporring"]["valueCodes"]["Tid"] == "top(1)"
        assert (
            origin["hentet"] and origin["oppdatert_hos_ssb"] == fixture(f"{table}.json")["updated"]
        )
        assert origin["lisens"].startswith("NLOD 2.0")
        assert origin["lisens_url"] == "https://data.norge.no/nlod/no/2.0"
        assert snapshot["svar"] == fixture(f"{table}.json")
    assert sirkbok("validate", root=book).returncode == 0

    git(book, "add", "-A")
    first = state(book)
    again = sirkbok("update", "ssb", "--from", str(SAVED), root=book)
    assert again.returncode == 0, again.stderr
    assert state(book) == first
    assert "0 celler endret, 0 filer skrevet" in again.stdout


def test_regenerate_reruns_exactly_the_notebooks_that_read_the_updated_tables(book: Path) -> None:
    assert sirkbok("update", "ssb", "--from", str(SAVED), root=book).returncode == 0
    check = sirkbok("regenerate", "--check", root=book)
    assert check.returncode != 0
    stale = {
        line.split(" er utdatert")[0]
        for line in check.stdout.splitlines() + check.stderr.splitlines()
        if " er utdatert:" in line
    }
    expected = set()
    for path in provenance.notebooks(book):
        tables = provenance.declared_tables(provenance.read(path))
        if {"kommuner", "kilder"} & set(tables):
            expected.add(path.relative_to(book).as_posix())
    assert expected and stale == expected


def test_dry_run_writes_nothing(book: Path, tmp_path: Path) -> None:
    git(book, "add", "-A")
    before = state(book)
    result = sirkbok("update", "ssb", "--from", str(SAVED), "--dry-run", root=book)
    assert result.returncode == 0, result.stderr
    assert "ingenting er skrevet" in result.stdout
    assert state(book) == before


def _extra_dimension(doc: dict) -> None:
    doc["id"].insert(1, "Kjonn")
    doc["size"].insert(1, 2)
    doc["dimension"]["Kjonn"] = {
        "label": "kjønn",
        "category": {"index": {"1": 0, "2": 1}, "label": {"1": "Menn", "2": "Kvinner"}},
    }
    doc["value"] = [v for v in doc["value"] for _ in range(2)]


def _one_sex_only(doc: dict) -> None:
    doc["id"].insert(1, "Kjonn")
    doc["size"].insert(1, 1)
    doc["dimension"]["Kjonn"] = {
        "label": "kjønn",
        "category": {"index": {"2": 0}, "label": {"2": "Kvinner"}},
    }


def _other_region(doc: dict) -> None:
    index = doc["dimension"]["Region"]["category"]["index"]
    index["0301"] = index.pop("3305")


def _other_unit(doc: dict) -> None:
    doc["dimension"]["ContentsCode"]["category"]["unit"]["Personer1"]["base"] = "prosent"


def _other_table(doc: dict) -> None:
    doc["label"] = "11342: Areal og befolkning, etter region, statistikkvariabel og år"


@pytest.mark.parametrize(
    ("change", "dimension"),
    [
        (_extra_dimension, "«Kjonn»"),
        (_one_sex_only, "«Kjonn»"),
        (_other_region, "«Region»"),
        (_other_unit, "«ContentsCode»"),
        (_other_table, None),
    ],
)
def test_a_response_that_differs_from_its_declaration_is_refused_and_nothing_is_written(
    book: Path, tmp_path: Path, change: Callable[[dict], None], dimension: str | None
) -> None:
    doc = fixture("07459.json")
    change(doc)
    folder = responses(tmp_path, **{"07459": doc, "09280": fixture("09280.json")})
    git(book, "add", "-A")
    before = state(book)
    result = sirkbok("update", "ssb", "--from", str(folder), root=book)
    assert result.returncode == 1
    assert "SSB-tabell 07459" in result.stderr
    if dimension:
        assert f"dimensjon {dimension}" in result.stderr
    assert "ingenting er skrevet" in result.stderr
    assert "Traceback" not in result.stderr
    assert state(book) == before


def test_status_symbols_are_never_numbers_and_an_empty_cell_stays_mangler(
    book: Path, tmp_path: Path
) -> None:
    # Krødsherad (3318) without numbers before the run: SSB's «:» must leave it «mangler».
    path = book / "data" / "kommuner.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    for row in rows:
        if row["kommunenummer"] == "3318":
            row.update(folketall="", folketall_dato="", folketall_kilde="", areal_km2="")
            row.update(areal_kilde="", status="mangler", merknad="")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    before = municipalities(book)
    result = sirkbok("update", "ssb", "--from", str(FIXTURES / "status"), root=book)
    assert result.returncode == 0, result.stderr
    after = municipalities(book)
    assert after["3318"]["folketall"] == "" and after["3318"]["status"] == "mangler"
    assert "«:» (tallet er konfidensielt" in after["3318"]["merknad"]
    # Søndre Land (3447): SSB's «..» leaves the value the book had.
    assert after["3447"]["folketall"] == before["3447"]["folketall"]
    assert after["3447"]["folketall_kilde"] == before["3447"]["folketall_kilde"]
    assert "«..» (tallet er ikke tilgjengelig" in result.stderr
    assert "09280" in result.stderr and "hoppet over" in result.stderr  # only 07459 was saved
    assert after["3305"]["folketall_kilde"] == "ssb-07459"
    assert after["3305"]["areal_kilde"] == before["3305"]["areal_kilde"]
    assert sirkbok("validate", root=book).returncode == 0


def test_a_fall_of_more_than_a_fifth_is_flagged_for_a_person_not_written(
    book: Path, tmp_path: Path
) -> None:
    doc = fixture("07459.json")
    position = list(doc["dimension"]["Region"]["category"]["index"]).index("3407")
    before = municipalities(book)
    doc["value"][position] = int(int(before["3407"]["folketall"]) * 0.7)
    folder = responses(tmp_path, **{"07459": doc})
    summary = tmp_path / "oversikt.md"
    result = sirkbok("update", "ssb", "--from", str(folder), "--summary", str(summary), root=book)
    assert result.returncode == 0, result.stderr
    after = municipalities(book)
    for column in ("folketall", "folketall_dato", "folketall_kilde", "status", "merknad"):
        assert after["3407"][column] == before["3407"][column]
    assert "til kontroll" in result.stderr and "Gjøvik" in result.stderr
    text = summary.read_text(encoding="utf-8")
    assert "Til kontroll" in text and "Gjøvik" in text
    assert "| Ringerike (3305) | folketall |" in text
    assert after["3305"]["folketall_kilde"] == "ssb-07459"
    headline_table = text.split("### Hovedtall før og etter")[1]
    ringerike = "| Folketall | Kommunesiden for Ringerike (`chapters/kommuner/3305.ipynb`) |"
    assert ringerike in headline_table
    assert "Kommunesiden for Gjøvik" not in headline_table  # the flagged fall was not written
    assert "Hovedtall på Kommunesiden for Ringerike, folketall:" in result.stdout


def test_fixtures_never_reached_the_repository_data() -> None:
    snapshots = ROOT / "data" / "snapshots" / "ssb"
    fixtures = [json.loads(p.read_text("utf-8")) for p in FIXTURES.glob("*/*.json")]
    for path in snapshots.glob("*/*.json") if snapshots.is_dir() else []:
        assert json.loads(path.read_text("utf-8"))["svar"] not in fixtures, path
    rows = municipalities(ROOT)
    for doc in fixtures:
        codes = list(doc["dimension"]["Region"]["category"]["index"])
        column = "folketall" if doc["label"].startswith("07459") else "areal_km2"
        matches = sum(
            1
            for code, value in zip(codes, doc["value"], strict=True)
            if value is not None and rows[code][column] and float(rows[code][column]) == value
        )
        assert matches == 0, (doc["label"], matches)


def test_json_stat_is_read_row_major_with_status_and_either_index_form() -> None:
    doc = {
        "class": "dataset",
        "label": "t: test",
        "id": ["A", "B"],
        "size": [2, 3],
        "dimension": {
            "A": {"category": {"index": ["a1", "a2"]}},
            "B": {"category": {"index": {"b2": 1, "b1": 0, "b3": 2}}},
        },
        "value": [1, 2, 3, 4, None, 6],
        "status": {"4": ":"},
    }
    data = jsonstat.read(doc)
    cells = {(c.codes["A"], c.codes["B"]): (c.value, c.status) for c in data.cells}
    assert cells[("a1", "b3")] == (3.0, None)
    assert cells[("a2", "b1")] == (4.0, None)
    assert cells[("a2", "b2")] == (None, ":")
    for broken in ({**doc, "value": [1, 2]}, {**doc, "size": [2, 2]}, {**doc, "class": "x"}):
        with pytest.raises(jsonstat.FormatError):
            jsonstat.read(broken)


def test_the_data_chapter_says_how_fresh_each_ssb_table_is(book: Path) -> None:
    from sirkbok.update import freshness

    before = {line.table: line for line in freshness.lines(book)}
    assert before["07459"].fetched == freshness.NOT_YET
    assert "mangler" in before["13136"].refresh and "2019" in before["03895"].refresh
    assert sirkbok("update", "ssb", "--from", str(SAVED), root=book).returncode == 0
    after = {line.table: line for line in freshness.lines(book)}
    for table in ("07459", "09280"):
        origin = json.loads((book / f"data/snapshots/ssb/{table}/2025.json").read_text("utf-8"))
        assert after[table].fetched == origin["opphav"]["hentet"]
        assert after[table].period == "2025"
        assert after[table].refresh == "sirkbok update ssb"
        assert after[table].publisher == "Statistisk sentralbyrå"
    chapter = json.loads((ROOT / "chapters" / "data-og-kilder.ipynb").read_text("utf-8"))
    shown = "".join(
        "".join(output.get("data", {}).get("text/markdown", ""))
        for cell in chapter["cells"]
        for output in cell.get("outputs", [])
    )
    for line in before.values():
        assert f"| {line.table} | {line.title} | Statistisk sentralbyrå |" in shown
    assert "`sirkbok update ssb`" in shown


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"<html>Service Unavailable</html>", "ikke gyldig JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "ikke gyldig JSON"),
        (b'{"class": "dataset", "id": ["Region"], "size": [1e9]}', "ikke gyldig JSON-stat"),
        (b"\xff\xfe{}", "ikke gyldig JSON"),
    ],
)
def test_a_broken_saved_response_is_refused_with_a_message_and_nothing_is_written(
    book: Path, tmp_path: Path, content: bytes, expected: str
) -> None:
    folder = tmp_path / "svar"
    folder.mkdir()
    (folder / "07459.json").write_bytes(content)
    git(book, "add", "-A")
    before = state(book)
    result = sirkbok("update", "ssb", "--from", str(folder), root=book)
    assert result.returncode == 1, result.stdout
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert state(book) == before


def test_a_saved_response_that_links_out_of_its_folder_is_refused(
    book: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "svar"
    folder.mkdir()
    (folder / "07459.json").symlink_to(SAVED / "07459.json")
    git(book, "add", "-A")
    before = state(book)
    result = sirkbok("update", "ssb", "--from", str(folder), root=book)
    assert result.returncode == 1
    assert "peker ut av mappa" in result.stderr
    assert state(book) == before


@pytest.mark.slow
def test_after_an_update_a_municipality_page_shows_the_new_number_and_its_source(
    book: Path,
) -> None:
    assert sirkbok("update", "ssb", "--from", str(SAVED), root=book).returncode == 0
    pages = ["chapters/kommuner/3305.ipynb", "chapters/tema/biogass.ipynb"]
    result = sirkbok("regenerate", *(f"--only={p}" for p in pages), root=book)
    assert result.returncode == 0, result.stderr
    # The headline numbers, computed from the updated package, are what the rerun pages show.
    updated = [h for h in headlines.compute() if h.path in pages]
    assert {h.key for h in updated} >= {"kommune/3305/folketall", "biogass/energi_gwh"}
    assert shown_on_pages(book, updated) == []
    page = json.dumps(json.loads((book / "chapters/kommuner/3305.ipynb").read_text("utf-8")))
    value = fixture("07459.json")["value"][0]
    shown = f"{value:,}".replace(",", "\\u202f")
    line = page.split("**Folketall:** ")[1].split("\\n")[0]
    assert line == f"{shown} (1. januar 2025) {{cite}}`ssb-07459`"


def test_text_from_a_response_cannot_carry_markup_into_the_package(
    book: Path, tmp_path: Path
) -> None:
    doc = fixture("07459.json")
    doc["label"] = "07459: Befolkning <script>alert(1)</script> {\\input{/etc/passwd}}"
    git(book, "add", "-A")
    before = state(book)
    result = sirkbok(
        "update", "ssb", "--from", str(responses(tmp_path, **{"07459": doc})), root=book
    )
    assert result.returncode == 1 and "Tabelltittelen" in result.stderr
    assert state(book) == before
    doc = fixture("07459.json")
    doc["value"][0] = None
    doc["status"] = {"0": "<b>{cite}`x`</b>"}
    result = sirkbok(
        "update", "ssb", "--from", str(responses(tmp_path / "b", **{"07459": doc})), root=book
    )
    assert result.returncode == 0, result.stderr
    assert "<b>" not in result.stderr and "ikke er blant SSBs standardtegn" in result.stderr
    assert "<b>" not in (book / "data" / "kommuner.csv").read_text("utf-8")
