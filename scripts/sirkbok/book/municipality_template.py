"""One municipality's Excel template: only its own numbers, Norwegian headings, no commands.

For the officer who sends numbers by e-mail rather than through the form. Each row is one quantity
of `themes.quantities` that belongs to the municipality (population, area, its household flows and
the flows of the plants in it), with today's value or «mangler»; the officer fills in the new value,
year and source, and mails the file to the contact address of the publisher block. The headings are
the form's labels, so the editors read both the same way. The site build writes one per
municipality into maler/ (sirkbok.book.sphinx_ext); the municipality page links to it.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from sirkbok.book import forms
from sirkbok.core import context, publisher
from sirkbok.core.files import write_atomic
from sirkbok.core.format import missing, number
from sirkbok.datapackage import load as data
from sirkbok.datapackage.template import text_not_formula
from sirkbok.pages import quantities

HEADINGS = [
    ("Størrelse", 48),
    ("Enhet", 14),
    ("Verdi i boka nå", 16),
    ("Ny verdi", 14),
    ("År", 8),
    ("Kildens tittel, utgiver", 40),
    ("Kildens adresse", 36),
    ("Kildegrad", 14),
    ("Merknad", 40),
]
TO_FILL = {"Ny verdi", "År", "Kildens tittel, utgiver", "Kildens adresse", "Kildegrad", "Merknad"}


def rows(municipality: str) -> list[tuple[str, str, str]]:
    """(quantity label, unit, today's value or «mangler») for every quantity of the municipality."""
    kommuner = data.load("kommuner").set_index("kommunenummer")
    flows = data.load("ressursstrommer").set_index("id")
    found = []
    for quantity in quantities.listed():
        row_id = quantity.row_id(municipality)
        if quantity.table == "kommuner":
            value = kommuner.loc[municipality, quantity.column]
        elif row_id in flows.index and (
            quantity.per_municipality or str(flows.loc[row_id, "kommunenummer"]) == municipality
        ):
            value = flows.loc[row_id, quantity.column]
        else:
            continue
        shown = (
            "mangler" if missing(value) else number(value, 0 if float(value).is_integer() else 2)
        )
        found.append((quantity.label, quantity.unit, shown))
    return found


def workbook(municipality: str) -> bytes:
    """The template for `municipality` (its four-digit number) as .xlsx bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    name = str(data.load("kommuner").set_index("kommunenummer").loc[municipality, "navn"])
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = f"Tall for {name}"[:31]
    sheet.append([f"Tall for {name} kommune ({municipality}) til kunnskapsbasen"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(["Fyll inn de gule kolonnene for tallene du har. Se arket «Slik fyller du ut»."])
    sheet.append([heading for heading, _ in HEADINGS])
    fill = PatternFill("solid", fgColor="FFF2CC")
    for column, (heading, width) in enumerate(HEADINGS, start=1):
        cell = sheet.cell(row=3, column=column)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if heading in TO_FILL:
            cell.fill = fill
        sheet.column_dimensions[get_column_letter(column)].width = width
    for label, unit, shown in rows(municipality):
        sheet.append([label, unit, shown])
    grades = DataValidation(type="list", formula1='"' + ",".join(forms.GRADES.values()) + '"')
    grades.add(f"H4:H{max(sheet.max_row, 4)}")
    sheet.add_data_validation(grades)
    sheet.freeze_panes = "A4"
    guide = book.create_sheet("Slik fyller du ut")
    for line in guide_lines(name, publisher.read(context.current().root).email):
        guide.append([line])
    guide.column_dimensions["A"].width = 110
    for worksheet in book.worksheets:
        text_not_formula(worksheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def guide_lines(name: str, email: str) -> list[str]:
    return [
        f"Slik sender du inn tall for {name}",
        "",
        "1. Finn raden for tallet du har. «Verdi i boka nå» viser hva boka bruker i dag; "
        "«mangler» betyr at tallet ikke er kjent ennå.",
        "2. Skriv tallet i «Ny verdi», i enheten som står i «Enhet». Bruk komma som desimaltegn.",
        "3. Skriv året tallet gjelder, og kilden: tittel og utgiver, og adressen om den finnes.",
        "4. Velg kildegrad: H for offisiell statistikk eller vedtak, M for en rapport, L for et "
        "anslag eller en uformell kilde.",
        "5. La rader du ikke har tall for, stå tomme. Ikke gjett: et tall uten kilde kan ikke brukes.",
        f"6. Lagre filen og send den som vedlegg til {email}.",
        "",
        "En person i redaksjonen leser filen, legger tallene inn i datapakken og sjekker dem med "
        "de samme reglene som resten av boka, før de kommer med i boka.",
    ]


def write_all(folder: Path) -> list[Path]:
    """One template per municipality, `kommune-<nummer>.xlsx`, in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for municipality in pd.Series(data.load("kommuner")["kommunenummer"]).astype(str):
        target = folder / quantities.template_name(municipality)
        write_atomic(target, workbook(municipality))
        written.append(target)
    return written
