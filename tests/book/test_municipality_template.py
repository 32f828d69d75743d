"""The Excel template for one municipality: only its own numbers, Norwegian headings, instructions
that name the contact address and no command."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sirkbok.book import municipality_template
from sirkbok.core import context, publisher
from sirkbok.datapackage import load as data
from sirkbok.pages import coverage, quantities

NUMBERS = [str(n) for n in data.load("kommuner")["kommunenummer"]]


@pytest.mark.parametrize("number", NUMBERS)
def test_the_template_holds_only_the_municipalitys_numbers(number: str) -> None:
    book = load_workbook(io.BytesIO(municipality_template.workbook(number)))
    name = str(data.load("kommuner").set_index("kommunenummer").loc[number, "navn"])
    sheet = book.worksheets[0]
    assert sheet.title == f"Tall for {name}"[:31]
    headings = [cell.value for cell in sheet[3]]
    assert headings == [heading for heading, _ in municipality_template.HEADINGS]
    assert all("_" not in str(h) for h in headings)  # readers' words, not column names
    labels = [row[0] for row in sheet.iter_rows(min_row=4, values_only=True)]
    # Every value the municipality page lists as missing has its row, and nothing of another
    # municipality is there (the per-municipality rows name no other municipality).
    wanted = {q.key: q.label for q in quantities.quantities(data.load("ressursstrommer"))}
    for row in coverage.missing_for(coverage.package_values(), number).itertuples():
        assert wanted[quantities.key_of(row.tabell, row.id)[0]] in labels
    others = set(data.load("kommuner")["navn"]) - {name}
    assert not any(other in str(label) for label in labels for other in others)
    assert len(labels) <= 10


def test_the_instructions_name_the_contact_address_and_no_command() -> None:
    book = load_workbook(io.BytesIO(municipality_template.workbook("3446")))
    text = "\n".join(str(row[0]) for row in book["Slik fyller du ut"].iter_rows(values_only=True))
    assert publisher.read(context.current().root).email in text
    for command in ("sirkbok", "`", "--", "import", "make ", ".venv"):
        assert command not in text


def test_every_municipality_gets_its_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    written = municipality_template.write_all(tmp_path / "maler")
    assert sorted(p.name for p in written) == sorted(f"kommune-{n}.xlsx" for n in NUMBERS)
