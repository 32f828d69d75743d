"""The table template formats the rows an editor types in later, not only today's rows."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from sirkbok.datapackage import descriptor, template
from sirkbok.datapackage.load import load


def test_new_rows_get_the_columns_number_format_and_drop_down(tmp_path: Path) -> None:
    out = tmp_path / "kommuner.xlsx"
    template.write_template("kommuner", out)
    sheet = load_workbook(out)["kommuner"]
    last_data_row = 1 + len(load("kommuner"))
    assert sheet.max_row == last_data_row  # no styled empty cells: the column styles them
    fields = descriptor.resource("kommuner")["schema"]["fields"]
    for column, field in enumerate(fields, start=1):
        wanted = template.NUMBER_FORMATS[field.get("type", "string")]
        letter = get_column_letter(column)
        # The column's default style (<col style>) is what Excel and LibreOffice give a cell typed
        # into a row below the data; the filled-in cells carry the same format themselves.
        assert sheet.column_dimensions[letter].number_format == wanted, field["name"]
        formats = {
            sheet.cell(row=r, column=column).number_format for r in range(2, 1 + last_data_row)
        }
        assert formats == {wanted}, field["name"]
    ranges = {str(v.sqref) for v in sheet.data_validations.dataValidation}
    assert ranges and all(r.endswith(str(last_data_row + template.EXTRA_ROWS)) for r in ranges)
