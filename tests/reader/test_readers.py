"""Reader-facing output without a browser: thin notebooks, reader tables, numbers, CSV for Excel."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from sirkbok.core import format
from sirkbok.core.vocabulary import MISSING, STATUSES, column_title
from sirkbok.reader import charts, colours, tables
from sirkbok.reader.colours import STATUS_COLOURS
from sirkbok.reader.tables import table_html

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "chapters").rglob("*.ipynb"))
MAX_CODE_LINES = 1500  # issue 14: the notebooks' code halves; calculations live in the package


def code_lines(notebook: Path) -> list[str]:
    """The non-blank, non-comment lines of a notebook's code cells."""
    cells = json.loads(notebook.read_text("utf-8"))["cells"]
    return [
        line.strip()
        for cell in cells
        if cell["cell_type"] == "code"
        for line in "".join(cell["source"]).splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]


def test_notebooks_are_thin() -> None:
    assert NOTEBOOKS
    total = sum(len(code_lines(n)) for n in NOTEBOOKS)
    assert total <= MAX_CODE_LINES, (
        f"notatbøkene har {total} kodelinjer, grensen er {MAX_CODE_LINES}"
    )
    helpers = [
        f"{n.relative_to(ROOT)}: {line}"
        for n in NOTEBOOKS
        for line in code_lines(n)
        if re.match(r"(async\s+)?def |class ", line)
    ]
    assert not helpers, "hjelpefunksjoner hører hjemme i pakken: " + "; ".join(helpers)


def test_every_code_cell_is_hidden_from_readers() -> None:
    """Code is shown once, in «Slik er det regnet ut», not as a toggle per cell."""
    shown = [
        f"{n.relative_to(ROOT)} celle {i}"
        for n in NOTEBOOKS
        for i, cell in enumerate(json.loads(n.read_text("utf-8"))["cells"])
        if cell["cell_type"] == "code"
        and not {"remove-input", "remove-cell"} & set(cell["metadata"].get("tags", []))
    ]
    assert not shown


def test_one_vocabulary_of_statuses() -> None:
    assert STATUSES == ("målt", "egenoppgitt", "estimat", "mangler") and set(STATUS_COLOURS) == set(
        STATUSES
    )
    assert charts.STATUS_COLOURS is STATUS_COLOURS
    assert format.number(None) == MISSING
    # no second definition of a colour that means something (status, region, theme, decision):
    # each is written once, in reader/colours.py
    meaning = {
        *STATUS_COLOURS.values(),
        *colours.REGION_COLOURS.values(),
        *colours.THEME_PALETTE,
        *colours.DECISION_COLOURS.values(),
    }
    package = ROOT / "scripts" / "sirkbok"
    copies = [
        f"{p.relative_to(ROOT).as_posix()}: {colour}"
        for p in package.rglob("*.py")
        for colour in sorted(meaning)
        if f'"{colour}"' in p.read_text("utf-8") and p.name != "colours.py"
    ]
    assert not copies


def test_region_colours_follow_the_regions_of_the_data_package() -> None:
    """The regions' colours are presentation, so they live in reader/colours.py and not in the data
    package; but their keys are the data package's region ids, in its order, so a renamed or added
    region in data/regioner.csv cannot leave a chart without its colour."""
    import csv

    with (ROOT / "data" / "regioner.csv").open(encoding="utf-8") as handle:
        ids = [row["id"] for row in csv.DictReader(handle)]
    assert list(colours.REGION_COLOURS) == ids


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (461529, 2, "ca. 460\u202f000"),
        (467856, 3, "ca. 468\u202f000"),
        (4.263, 2, "ca. 4,3"),
        (0.01234, 2, "ca. 0,012"),
        (95, 2, "ca. 95"),
        (-1234, 2, "ca. \u22121\u202f200"),
        (None, 2, "mangler"),
        (pd.NA, 2, "mangler"),
    ],
)
def test_estimates_keep_two_or_three_significant_digits(
    value: float | None, digits: int, expected: str
) -> None:
    assert format.estimate(value, digits) == expected


def test_years_have_no_thousands_separator() -> None:
    assert format.year(2014.0) == "2014"
    assert format.year(pd.NA) == MISSING


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("m2", "m²"),
        ("km2", "km²"),
        ("Nm3 CH4/år", "Nm³ CH₄/år"),
        ("t CO2/år", "t CO₂/år"),
        ("t/år", "t/år"),
        ("m22", "m22"),
        ("<b>m2</b>", "\\<b\\>m²\\</b\\>"),
    ],
)
def test_units_are_shown_with_their_symbols_and_escaped(code: str, shown: str) -> None:
    assert format.unit(code) == shown


def test_reader_table() -> None:
    frame = pd.DataFrame(
        {
            "navn": ["Ringerike", None],
            "energi_gwh": pd.array([1.2345, None], dtype="Float64"),
            "aar": pd.array([2014, None], dtype="Int64"),
            "co2e_t": [1234.5, 99.0],
        }
    )
    html = table_html(frame, decimals={"energi_gwh": 1}, estimates=["co2e_t"], label="Prøve")
    assert 'class="dataframe sirk-data"' in html and "sirk-table-wrap" in html
    assert "<NA>" not in html and "nan" not in html
    assert "Energi (GWh/år)" in html and "energi_gwh" not in html  # readable title with unit
    assert ">1,2<" in html and ">2014<" in html and ">1\u202f200<" in html  # rounded estimate
    assert f'<span class="sirk-missing">{MISSING}</span>' in html
    assert '<td class="sirk-num" data-label="Energi (GWh/år)">' in html  # right-aligned, card label
    assert "<caption" in html and "Prøve" in html
    # data text is escaped, never markup
    assert "&lt;b&gt;" in table_html(pd.DataFrame({"navn": ["<b>"]}))


def test_column_titles_are_readable() -> None:
    """Norwegian words with the unit in brackets, never the identifier's ASCII spelling."""
    assert column_title("unngatt_t_co2e_per_aar") == "Unngått (tonn CO₂e per år)"
    assert column_title("ombrukbart_t_per_aar") == "Ombrukbart (tonn per år)"
    assert column_title("lagret_gwh") == "Lagret (GWh)"
    assert column_title("hoy_verdi_kg") == "Høy verdi (kg)"
    assert column_title("spenn_gwh") == "Spenn (GWh/år)"  # beside its siblings in GWh per year
    assert column_title("co2e_t") == "Unngått (t CO₂e/år)"
    assert column_title("t") == "T"  # a unit alone is a name, not a unit of nothing
    assert column_title("Kommune") == "Kommune"


def test_excel_csv_is_norwegian() -> None:
    frame = pd.DataFrame(
        {"navn": ["Gjøvik"], "energi_gwh": [1246.9180889423076], "folketall": [31581]}
    )
    data = charts.excel_csv(frame)
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "Navn;Energi (GWh/år);Folketall"
    assert text.splitlines()[1] == "Gjøvik;1247;31581"  # no decimals from 1000 up


def test_csv_values_carry_the_precision_the_page_shows() -> None:
    """The figure's CSV and its table on the page print each number with the same decimals:
    826.3 is «826,3» in both (it was «826,0» in the CSV), small values keep their digits."""
    frame = pd.DataFrame(
        {
            "inndata_navn": ["Energi per tonn", "Utsorteringsfaktor", "Metan"],
            "lav_verdi": [826.3, 0.5, 36.8],
            "spenn_gwh": [7.67, 0.487, 0.347],
            "andel": [0.368, 0.8, 0.0],
            "antall": [3.0, 4.0, None],
        }
    )
    rows = charts.excel_csv(frame).decode("utf-8-sig").splitlines()
    assert rows[0] == "Forutsetning;Lav verdi;Spenn (GWh/år);Andel;Antall"
    assert rows[1:] == [
        "Energi per tonn;826,3;7,67;0,368;3",
        "Utsorteringsfaktor;0,5;0,49;0,800;4",
        "Metan;36,8;0,35;0,000;",
    ]
    page = table_html(frame, decimals=tables.float_decimals(frame))
    shown = [
        cell.replace("\u202f", "")
        for cell in re.findall(r'<td class="sirk-num"[^>]*>([^<]*)</td>', page)
    ]
    csv_numbers = [cell for row in rows[1:] for cell in row.split(";")[1:] if cell]
    assert shown == csv_numbers


FIGURE_CSVS = sorted((ROOT / "chapters").rglob("figurer/*.csv"))
FIGURE_SVGS = sorted((ROOT / "chapters").rglob("figurer/*.svg"))
ASCII_SPELLING = r"(?i)\b(aar|hoy|gwh|mwh|kwh|co2e?|t|unngatt|aktor)\b"
TEXT_ONLY = {"strategi-tidslinje", "strategi-ansvarsmatrise", "naeringsparker-nettverk"}  # lists


@pytest.mark.parametrize("path", FIGURE_CSVS, ids=lambda p: p.name)
def test_figure_download_opens_in_norwegian_excel(path: Path) -> None:
    """Each figure's CSV parses with Excel's Norwegian settings and has a numeric column."""
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "mangler BOM (UTF-8-merket Excel ser etter)"
    frame = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")
    assert frame.shape[1] >= 2, f"{path.name}: bare én kolonne, feil skilletegn?"
    numeric = frame.select_dtypes("number")
    assert numeric.empty == (path.stem in TEXT_ONLY), f"{path.name}: ingen tallkolonne"
    snake = [c for c in frame.columns if re.fullmatch(r"[a-zæøå0-9]+(_[a-zæøå0-9]+)+", c)]
    assert not snake, f"{path.name}: kolonnenavn fra koden: {snake}"
    # Norwegian words: no identifier spelling («aar», «hoy»), no bare unit («gwh», «t co2e»)
    words = {c: re.sub(r"\(.*?\)", "", c) for c in frame.columns}  # a unit in brackets is fine
    ascii_words = [c for c, outside in words.items() if re.search(ASCII_SPELLING, outside)]
    assert not ascii_words, f"{path.name}: kode-stavemåte eller enhet uten parentes: {ascii_words}"
    header = raw.decode("utf-8-sig").splitlines()[0].split(";")
    assert len(header) == len(set(header)), f"{path.name}: samme kolonnenavn to ganger: {header}"
    for column in numeric.columns:
        values = numeric[column].dropna()
        # at most the decimals the figure's table on the page shows (tables.float_decimals)
        rounded = all(v == round(v, 3) for v in values)
        assert rounded, f"{path.name}: {column} uavrundet"


@pytest.mark.parametrize("path", FIGURE_SVGS, ids=lambda p: p.name)
def test_exported_figures_show_whole_labels(path: Path) -> None:
    """The figure images (the fallback and the download) have no label Vega shortened to «…»."""
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", path.read_text(encoding="utf-8"))
    assert texts, f"{path.name}: ingen tekst"
    cut = [text for text in texts if text.rstrip().endswith("…")]
    assert not cut, f"{path.name}: forkortet tekst {cut}"


def test_the_house_theme_is_active_only_while_a_figure_is_made(tmp_path: Path) -> None:
    import altair as alt

    active = alt.theme.active
    frame = pd.DataFrame({"kategori": ["a", "b"], "verdi": [1, 2]})
    chart = alt.Chart(frame).mark_bar().encode(x="verdi:Q", y="kategori:N")
    figure = charts.publish(chart, "prove", "Tekst.", "Alternativ tekst.", frame, folder=tmp_path)
    assert figure.spec["config"]["font"] == charts.FONT  # the house style is in the figure
    assert json.loads((tmp_path / "prove.vl.json").read_text())["config"]["font"] == charts.FONT
    assert alt.theme.active == active  # and the theme before it is back
    assert "config" not in chart.to_dict() or chart.to_dict()["config"].get("font") != charts.FONT
