"""The validator is the gate (issue 20): what it refuses, it refuses with file, line and column in
Norwegian, for every command that reads the data, and a refused run changes nothing."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import as_csv, rows, set_cell, sirkbok, state
from sirkbok import cli
from sirkbok.core.errors import UserError, count
from sirkbok.datapackage import validate

KOMMUNER = "data/kommuner.csv"
DESCRIPTOR = "data/datapackage.json"


def refused(book: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run `sirkbok ARGS` in-process: exit 1, no traceback, nothing changed; returns stderr."""
    before = state(book)
    assert cli.main(list(args or ["validate"])) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Uventet feil" not in err, err
    assert state(book) == before
    return err


# --- 1. hidden characters and addresses with credentials ---------------------------------------

HIDDEN = {
    "BEL i et navn": ("navn", "Ho\u0007le", "U+0007 (et kontrolltegn) som tegn nr. 3"),
    "VT i en merknad": ("merknad", "a\u000bb", "U+000B (et kontrolltegn) som tegn nr. 2"),
    "RLO i et navn": ("navn", "Ho\u202ele", "U+202E (et retningstegn (bidi)) som tegn nr. 3"),
    "LRI i et navn": ("navn", "\u2066Hole", "U+2066 (et retningstegn (bidi)) som tegn nr. 1"),
    "nullbredde i en nøkkel": ("kommunenummer", "33\u200b10", "U+200B (et usynlig tegn)"),
    "BOM inne i tekst": ("navn", "Ho\ufeffle", "U+FEFF (et usynlig tegn) som tegn nr. 3"),
    "C1-tegn": ("merknad", "x\u0085y", "U+0085 (et kontrolltegn)"),
}


@pytest.mark.parametrize("case", list(HIDDEN))
def test_hidden_characters_are_refused_by_name(
    case: str, book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    column, value, described = HIDDEN[case]
    (book / KOMMUNER).write_text(set_cell(column, value)(rows(book)), "utf-8")
    err = refused(book, capsys, "validate")
    assert f"{KOMMUNER}, linje 3, kolonne «{column}»: Cellen inneholder {described}" in err, err
    assert value not in err and not any(c in err for c in value if not c.isalnum())


def test_template_and_build_give_the_validators_message(book: Path, tmp_path: Path) -> None:
    """These crashed: «Uventet feil (IllegalCharacterError)» and an English «Extension error»."""
    (book / KOMMUNER).write_text(set_cell("navn", "Ho\u0007le")(rows(book)), "utf-8")
    before = state(book)
    expected = f"{KOMMUNER}, linje 3, kolonne «navn»: Cellen inneholder U+0007"
    for args in (
        ["template", "--table", "kommuner", "--out", str(tmp_path / "k.xlsx")],
        ["build", "--skip-regenerate"],
    ):
        result = sirkbok(*args, root=book)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert expected in result.stderr, result.stderr
        for word in ("Uventet feil", "IllegalCharacterError", "Extension error", "Traceback"):
            assert word not in result.stderr + result.stdout
    assert not (tmp_path / "k.xlsx").exists()
    assert state(book) == before


def kilder_with_url(book: Path, url: str) -> tuple[str, int]:
    """kilder.csv with `url` in the first row that has an address; returns the text and its line."""
    table = rows(book, "kilder")
    column = table[0].index("url")
    index = next(i for i, row in enumerate(table) if i and row[column].startswith("https://"))
    table[index][column] = url
    return as_csv(table), index + 1


URLS = {
    "brukernavn": ("https://user@www.ssb.no/statbank", "brukernavn eller passord foran @"),
    "brukernavn og passord": ("https://a:b@www.ssb.no/", "brukernavn eller passord foran @"),
    "liknende vert": ("https://hole.kommune.no@evil.example/x", "brukernavn eller passord"),
    "omvendt skråstrek": ("https://evil.example\\@hole.kommune.no/", "omvendt skråstrek"),
    "kyrillisk o": ("https://www.hole.k\u043emmune.no/", "gyldig vertsnavn"),
    "retningstegn": ("https://www.ssb.no/\u202etxt.exe", "usynlige tegn"),
}


@pytest.mark.parametrize("case", list(URLS))
def test_addresses_with_credentials_or_look_alikes_are_refused(
    case: str, book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, reason = URLS[case]
    text, line = kilder_with_url(book, url)
    (book / "data/kilder.csv").write_text(text, "utf-8")
    err = refused(book, capsys, "validate")
    assert f"data/kilder.csv, linje {line}, kolonne «url»: Adressen" in err, err
    assert reason in err, err


# --- 2. the descriptor, checked before it is read -----------------------------------------------


def edit_descriptor(book: Path, change: Any) -> None:
    path = book / DESCRIPTOR
    data = json.loads(path.read_text("utf-8"))
    path.write_text(json.dumps(change(data), ensure_ascii=False), "utf-8")


def _set(data: dict, keys: list[Any], value: Any) -> dict:
    node = data
    for key in keys[:-1]:
        node = node[key]
    if value is None:
        del node[keys[-1]]
    else:
        node[keys[-1]] = value
    return data


FIELD = ["resources", 1, "schema", "fields"]
DESCRIPTORS = {
    "en tom liste": (lambda d: [], "Beskrivelsen: Verdien har feil type. Fant: «en liste ([…])»"),
    "resources som objekt": (
        lambda d: _set(d, ["resources"], {"a": 1}),
        "I «resources»: Verdien har feil type. Fant: «et objekt ({…})». Forventet: en liste",
    ),
    "tabell uten schema": (
        lambda d: _set(d, ["resources", 1, "schema"], None),
        "I «resources[1] «kommuner»»: Feltet «schema» mangler.",
    ),
    "ukjent felttype": (
        lambda d: _set(d, [*FIELD, 1, "type"], "hemmelig"),
        "I «resources[1] «kommuner».schema.fields[1] «navn».type»: Verdien er ikke tillatt. "
        "Fant: «hemmelig». Forventet: en felttype",
    ),
    "ugyldig medietype": (
        lambda d: _set(d, ["resources", 1, "mediatype"], "text/csv> ; <x"),
        "I «resources[1] «kommuner».mediatype»: Verdien har feil form.",
    ),
    "tallfelt uten øvre grense": (
        lambda d: _set(d, [*FIELD, 7, "constraints", "maximum"], None),
        "«areal_km2».constraints»: Feltet «maximum» mangler.",
    ),
    "grense som tekst": (
        lambda d: _set(d, [*FIELD, 7, "constraints", "minimum"], "0"),
        "I «resources[1] «kommuner».schema.fields[7] «areal_km2».constraints.minimum»: Verdien "
        "har feil type. Fant: «en tekst». Forventet: et tall",
    ),
    "felt uten navn": (
        lambda d: _set(d, [*FIELD, 1, "name"], None),
        "I «resources[1] «kommuner».schema.fields[1]»: Feltet «name» mangler.",
    ),
    "uendelig grense": (
        lambda d: _set(d, [*FIELD, 7, "constraints", "maximum"], float("inf")),
        "Beskrivelsen inneholder «Infinity», som ikke er gyldig JSON.",
    ),
    "kontroll uten valg": (
        lambda d: _set(d, ["resources", 1, "checks", 0, "source"], None),
        "I «resources[1] «kommuner».checks[0].source» (kontrollen «source»): Valget mangler.",
    ),
    "kontroll med ukjent kolonne": (
        lambda d: _set(d, ["resources", 1, "checks", 0, "source"], "finnes_ikke"),
        "(kontrollen «source»): Valget har feil verdi. Fant: «finnes_ikke». Forventet: en kolonne "
        "i tabellen: areal_kilde, areal_km2,",
    ),
    "kontroll av ukjent type": (
        lambda d: _set(d, ["resources", 1, "checks", 0, "type"], "gjett"),
        "I «resources[1] «kommuner».checks[0]»: Ukjent kontrolltype. Fant: «gjett». "
        "Forventet: en av: source, status,",
    ),
    "kontroll uten type": (
        lambda d: _set(d, ["resources", 1, "checks", 0, "type"], None),
        "I «resources[1] «kommuner».checks[0]»: Feltet «type» mangler.",
    ),
    "kontroll som ikke er et objekt": (
        lambda d: _set(d, ["resources", 1, "checks", 0], "source"),
        "I «resources[1] «kommuner».checks[0]»: Verdien har feil type. Fant: «en tekst». "
        "Forventet: et objekt",
    ),
    "kontroll med ukjent valg": (
        lambda d: _set(d, ["resources", 1, "checks", 0, "kolonner"], ["folketall"]),
        "I «resources[1] «kommuner».checks[0].kolonner» (kontrollen «source»): Ukjent valg for "
        "kontrollen. Fant: «kolonner». Forventet: fields, source,",
    ),
    "kontroll med tekst der en liste skal stå": (
        lambda d: _set(d, ["resources", 1, "checks", 0, "fields"], "folketall"),
        "I «resources[1] «kommuner».checks[0].fields» (kontrollen «source»): Valget har feil "
        "verdi. Fant: «folketall». Forventet: en ikke-tom liste med tekster.",
    ),
    "kontroll med tomt skilletegn": (
        lambda d: _set(d, ["resources", 2, "checks", 0, "separator"], ""),
        "I «resources[2] «tema».checks[0].separator» (kontrollen «listForeignKey»): Valget har "
        "feil verdi. Fant: «». Forventet: en tekst som ikke er tom.",
    ),
    "kontroll med tom liste": (
        lambda d: _set(d, ["resources", 1, "checks", 0, "fields"], []),
        "checks[0].fields» (kontrollen «source»): Valget har feil verdi. Fant: «[]».",
    ),
    "kontroll med tall der en tekst skal stå": (
        lambda d: _set(d, ["resources", 5, "checks", 2, "unit"], 1),
        "I «resources[5] «aktor_tall».checks[2].unit» (kontrollen «share»): Valget har feil "
        "verdi. Fant: «1». Forventet: en tekst som ikke er tom.",
    ),
    "kontroll med kolonneliste der ett navn skal stå": (
        lambda d: _set(d, ["resources", 1, "checks", 0, "source"], ["folketall_kilde"]),
        'checks[0].source» (kontrollen «source»): Valget har feil verdi. Fant: «["folketall_'
        'kilde"]». Forventet: et kolonnenavn (tekst).',
    ),
    "kontroll som viser til ukjent tabell": (
        lambda d: _set(d, ["resources", 2, "checks", 0, "reference", "resource"], ["kommuner"]),
        "I «resources[2] «tema».checks[0].reference» (kontrollen «listForeignKey»): Valget har "
        'feil verdi. Fant: «{"resource": ["kommuner"], "fields": "kommunenummer"}». Forventet: '
        '{"resource": en tabell i datapakken, "fields": en kolonne i den}.',
    ),
    "kontroll som viser til ukjent kolonne": (
        lambda d: _set(d, ["resources", 2, "checks", 0, "reference", "fields"], ["navn"]),
        '(kontrollen «listForeignKey»): Valget har feil verdi. Fant: «{"resource": '
        '"kommuner", "fields": ["navn"]}». Forventet: en kolonne i tabellen «kommuner» under '
        "«fields».",
    ),
    "tallkontroll på en tekstkolonne": (
        lambda d: _set(d, ["resources", 5, "checks", 3, "low"], "merknad"),
        "I «resources[5] «aktor_tall».checks[3].low» (kontrollen «range»): Valget har feil verdi. "
        "Fant: «merknad». Forventet: en tallkolonne i tabellen: aar, hoy, lav, verdi.",
    ),
    "andel av en tekstkolonne": (
        lambda d: _set(d, ["resources", 5, "checks", 2, "fields"], ["verdi", "merknad"]),
        '(kontrollen «share»): Valget har feil verdi. Fant: «["verdi", "merknad"]». Forventet: '
        "en tallkolonne i tabellen:",
    ),
    "datokontroll på en tekstkolonne": (
        lambda d: _set(d, ["resources", 3, "checks", 1, "start"], "tittel"),
        "I «resources[3] «milepaeler».checks[1].start» (kontrollen «dateOrder»): Valget har feil "
        "verdi. Fant: «tittel». Forventet: en datokolonne i tabellen: dato, slutt_dato.",
    ),
    "kontroll som leser en kolonne som er borte": (
        lambda d: _set(
            _set(d, [*FIELD, 2, "name"], "regionen"),
            ["resources", 1, "schema", "foreignKeys", 0, "fields"],
            "regionen",
        ),
        "I «resources[4] «aktorer».checks[0]» (kontrollen «regionMatch»): Kontrollen leser "
        "kolonnen «region» i tabellen «kommuner», som mangler. Forventet: tabellen «kommuner» "
        "med kolonnen «region».",
    ),
    "fremmednøkkel til ukjent tabell": (
        lambda d: _set(
            d,
            ["resources", 1, "schema", "foreignKeys", 0, "reference"],
            {"resource": "borte", "fields": "id"},
        ),
        "I «resources[1] «kommuner».schema.foreignKeys[0]»: Tabellen finnes ikke.",
    ),
    "mønster med tilbakereferanse": (
        lambda d: _set(d, [*FIELD, 1, "constraints", "pattern"], r"(a)\1"),
        "«navn»»: Mønsteret kan ikke brukes.",
    ),
    "skjult tegn i en nøkkel": (
        lambda d: _set(d, ["title\u202e"], "x"),
        "Nøkkelen «title[U+202E]» inneholder U+202E",
    ),
}


@pytest.mark.parametrize("case", list(DESCRIPTORS))
def test_a_broken_descriptor_is_named_not_a_crash(
    case: str, book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change, expected = DESCRIPTORS[case]
    edit_descriptor(book, change)
    err = refused(book, capsys, "validate")
    assert f"feil: {DESCRIPTOR}: " in err, err
    assert expected in err, err


def test_a_descriptor_nested_100k_deep_is_refused(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (book / DESCRIPTOR).write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    err = refused(book, capsys, "validate")
    assert f"feil: {DESCRIPTOR}: Beskrivelsen er nøstet for dypt" in err, err
    (book / DESCRIPTOR).write_text('{"a":' * 200 + "1" + "}" * 200, "utf-8")  # parses, too deep
    assert f"{DESCRIPTOR}: Beskrivelsen er nøstet for dypt" in refused(book, capsys, "validate")


def test_a_bad_media_type_never_reaches_the_turtle_file(book: Path) -> None:
    from sirkbok.book import dcat

    edit_descriptor(book, lambda d: _set(d, ["resources", 1, "mediatype"], "text/csv> ; <x"))
    with pytest.raises(UserError, match="mediatype»: Verdien har feil form"):
        dcat.graph(book, "https://example.org/bok/")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        # The units table on «Data og kilder» shows each name in `code`: a backtick ended the code
        # and the rest was HTML in a maintainers' notebook's output, where HTML is allowed.
        ("units", {"name": "x` <img src=x onerror=alert(1)> `", "title": "ond"}),
        # «Slik siterer du» shows the version as {{ dataversjon }}, Markdown in a trusted page.
        ("version", "1.0 <img src=x onerror=alert(1)>"),
    ],
)
def test_descriptor_text_shown_as_code_or_markup_is_refused(
    key: str, value: Any, book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def change(descriptor: dict) -> dict:
        if key == "units":
            descriptor["units"].append(value)
        else:
            descriptor[key] = value
        return descriptor

    edit_descriptor(book, change)
    err = refused(book, capsys, "validate")
    assert f"feil: {DESCRIPTOR}: I «{key}" in err and "Verdien har feil form" in err, err


# --- 3. patterns without catastrophic backtracking ----------------------------------------------


def test_a_backtracking_pattern_takes_no_time(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`(a+)+` on 30 a's and a `!` took 56 s with Python's re; RE2 has no backtracking."""
    edit_descriptor(book, lambda d: _set(d, [*FIELD, 11, "constraints"], {"pattern": "(a+)+"}))
    (book / KOMMUNER).write_text(set_cell("merknad", "a" * 30 + "!")(rows(book)), "utf-8")
    start = time.monotonic()
    err = refused(book, capsys, "validate")
    assert time.monotonic() - start < 5
    assert f"{KOMMUNER}, linje 3, kolonne «merknad»: Verdien har feil form." in err, err


# --- 4. numbers have bounds, codes are ASCII digits ---------------------------------------------

NUMBERS = {
    "309-sifret areal": ("areal_km2", "1" + "0" * 308, "Verdien er utenfor tillatt område"),
    "folketall over Norges": (
        "folketall",
        "99999999",
        "Verdien er utenfor tillatt område (fra 0 til 10\u202f000\u202f000). Fant: «99999999». "
        "Forventet: et tall fra 0 til 10\u202f000\u202f000.",  # wording.bounds, as everywhere
    ),
    "fullbredde sifre": ("kommunenummer", "\uff13\uff13\uff19\uff19", "Verdien har feil form."),
    "mellomrom foran": ("kommunenummer", " 3305", "Verdien har feil form."),
}


@pytest.mark.parametrize("case", list(NUMBERS))
def test_numbers_are_bounded_and_codes_ascii(
    case: str, book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    column, value, message = NUMBERS[case]
    (book / KOMMUNER).write_text(set_cell(column, value)(rows(book)), "utf-8")
    err = refused(book, capsys, "validate")
    assert f"{KOMMUNER}, linje 3, kolonne «{column}»: {message}" in err, err


def test_every_number_field_in_the_package_declares_both_bounds(repo_root: Path) -> None:
    data = json.loads((repo_root / DESCRIPTOR).read_text("utf-8"))
    for resource in data["resources"]:
        for field in resource["schema"]["fields"]:
            if field.get("type") in ("integer", "number", "year"):
                bounds = field["constraints"]
                assert bounds["minimum"] <= bounds["maximum"] < 1e16, field
                assert "Tillatt fra" in field["description"], field


# --- 5. pages are made only from data that validates --------------------------------------------


@pytest.mark.parametrize("number", ["\uff13\uff13\uff19\uff19", " 3310"])
def test_regenerate_writes_no_page_for_data_that_does_not_validate(number: str, book: Path) -> None:
    table = rows(book)
    table.append([number, "Hole", *table[2][2:]])
    (book / KOMMUNER).write_text(as_csv(table), "utf-8")
    before = state(book)
    result = sirkbok("regenerate", root=book)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{KOMMUNER}, linje {len(table)}, kolonne «kommunenummer»: Verdien har feil form." in (
        result.stderr
    ), result.stderr
    assert "Oppdaterte" not in result.stdout
    assert not (book / "chapters/kommuner" / f"{number}.ipynb").exists()
    assert state(book) == before


# --- 6. error output is capped ------------------------------------------------------------------


def test_twenty_thousand_bad_rows_print_fifty_errors_and_a_count(book: Path) -> None:
    header = rows(book)[0]
    bad = {"kommunenummer": "x", "region": "ingen", "fylke": "Mars", "folketall": "mange"}
    lines = [
        [bad.get(c, "") if c != "kommunenummer" else f"x{i}" for c in header] for i in range(20_000)
    ]
    (book / KOMMUNER).write_text(as_csv([header, *lines]), "utf-8")
    before = state(book)
    start = time.monotonic()
    result = sirkbok("validate", root=book)
    assert time.monotonic() - start < 60
    assert result.returncode == 1
    err = result.stderr.splitlines()
    assert len(err) == 52, err[-3:]
    assert len(result.stderr) < 30_000
    assert err[0].startswith(f"feil: {KOMMUNER}, linje 2, kolonne «")
    more = int(err[-2].split("… og ")[1].split(" feil til")[0].replace(" ", ""))
    assert err[-1] == f"Datapakken er ikke gyldig: {more + 50} feil funnet."
    assert more + 50 >= 6 * 20_000
    kept = validate.validate_package(book / "data").problems  # bounded, whatever the row count
    assert len(kept) < 1_000 and count(kept) == more + 50
    assert state(book) == before
